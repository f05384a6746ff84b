"""FHIR export of patient-reported answers: the QuestionnaireResponse's source is the patient."""

from __future__ import annotations

from typing import Any

from exam_assistant.fhir.bundle import build_bundle
from exam_assistant.fhir.validate import validate_resource
from exam_assistant.library import cached_library
from exam_assistant.models import Encounter
from exam_assistant.previsit.importing import patient_findings


def _responses(findings: dict[str, Any]) -> list[dict[str, Any]]:
    enc = Encounter.model_validate({"patient": {"name": "Test Patient", "date_of_birth": "1980-01-01"},
                                    "findings": findings})
    bundle = build_bundle(enc, cached_library())
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "QuestionnaireResponse"]


def test_patient_reported_answers_make_the_patient_the_source() -> None:
    """A history response holding a patient-reported answer names the patient as its source; a clinician's does not."""
    answers = {"history.night_pain": {"kind": "yes_no", "value": "no"}}
    reported = [r for r in _responses(patient_findings(answers)) if "history" in r["questionnaire"]]
    assert reported and reported[0]["source"] == reported[0]["subject"]
    validate_resource(reported[0])
    typed = [r for r in _responses(answers) if "history" in r["questionnaire"]]
    assert typed and "source" not in typed[0]
