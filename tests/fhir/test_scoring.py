"""Totals recomputed from a QuestionnaireResponse agree with the engine's scores."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from exam_assistant.engine.scores import compute_score
from exam_assistant.fhir.questionnaire import questionnaire_response, response_packs
from exam_assistant.fhir.scoring import score_total
from exam_assistant.library import Library, load_library
from exam_assistant.models import Choice, Encounter, Finding, Number, Patient

LIBRARY = load_library()
REFS = {"patient": {"reference": "urn:uuid:p"}, "encounter": {"reference": "urn:uuid:e"}}


def _response(findings: dict[str, Finding], library: Library) -> dict[str, Any]:
    encounter = Encounter(patient=Patient(name="Test Patient", date_of_birth="1970-01-01"), findings=findings)
    (pack,) = response_packs(encounter, library)
    return questionnaire_response(encounter, library, pack, "qr", REFS)


def _answers() -> st.SearchStrategy[dict[str, Finding]]:
    """Any subset of the score items answered with any allowed value."""
    choices: dict[str, st.SearchStrategy[Finding]] = {}
    for definition in LIBRARY.scores.values():
        for item_id in definition.items:
            item = LIBRARY.items[item_id]
            if item.answer == "number":
                assert item.minimum is not None and item.maximum is not None
                choices[item_id] = st.integers(int(item.minimum), int(item.maximum)).map(
                    lambda v: Number(value=float(v)))
            else:
                choices[item_id] = st.sampled_from([o.value for o in item.options]).map(lambda v: Choice(value=v))
    return st.fixed_dictionaries({}, optional=choices)


@settings(max_examples=150, deadline=None)
@given(_answers())
def test_totals_from_the_response_agree_with_the_engine(findings: dict[str, Finding]) -> None:
    """For any answers to the NPRS, NDI and QuickDASH items, the response-based total equals the engine's value."""
    if not findings:
        return
    encounter = Encounter(patient=Patient(name="Test Patient", date_of_birth="1970-01-01"), findings=findings)
    response = _response(findings, LIBRARY)
    for definition in LIBRARY.scores.values():
        assert score_total(definition, response) == compute_score(definition, encounter, LIBRARY.items).value


def test_ndi_with_two_sections_missing_is_recomputed_with_the_mean() -> None:
    """An NDI with 8 of 10 sections answered (all 3) totals 30.0, and with 7 answered it has no total."""
    ndi = LIBRARY.scores["scores.ndi"]
    eight: dict[str, Finding] = {i: Choice(value="3") for i in ndi.items[:8]}
    assert score_total(ndi, _response(eight, LIBRARY)) == 30.0
    seven: dict[str, Finding] = {i: Choice(value="3") for i in ndi.items[:7]}
    assert score_total(ndi, _response(seven, LIBRARY)) is None
