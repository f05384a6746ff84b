"""The note marks the patient's pre-visit answers the clinician has not confirmed (issue 17).

Unconfirmed answers carry "(patient-reported)" after their label on page 1 (findings and the red
flag's "Found:" line) and in the appendix; confirmed ones lose the mark, and one line on page 1
says how many answers came from the questionnaire and how many were confirmed.
"""

from __future__ import annotations

from datetime import date

from exam_assistant.library import Library
from exam_assistant.models import Encounter, Patient
from tests.reports.conftest import Render, save_artifact
from tests.reports.pdftext import pages_text, squashed

PATIENT = {"reported_by": "patient"}
CONFIRMED = {"reported_by": "patient", "confirmed": True}
ABRUPT = "Abrupt, severe chest, back or interscapular pain (worst ever, maximal at onset)"
MARK = "(patient-reported)"


def _encounter() -> Encounter:
    return Encounter.model_validate({
        "patient": Patient(name="Pat Reported", date_of_birth=date(1980, 1, 1)).model_dump(mode="json"),
        "clinician": {"name": "Dr Grey"},
        "findings": {
            "history.abrupt_severe_pain": {"kind": "yes_no", "value": "yes", **PATIENT},
            "history.pain_now": {"kind": "number", "value": 6, **PATIENT},
            "history.weight_loss": {"kind": "yes_no", "value": "no", **PATIENT},
            "history.night_pain": {"kind": "yes_no", "value": "yes", **CONFIRMED},
            "history.location": {"kind": "multi_choice", "values": ["neck", "interscapular"], **CONFIRMED},
            "history.arm_symptoms": {"kind": "yes_no", "value": "yes"},  # asked by the clinician
        },
    })


def test_unconfirmed_answers_are_marked_on_page_one_and_confirmed_ones_are_not(render: Render) -> None:
    """Page 1: the flag's trigger and the findings carry the mark only on unconfirmed answers, with the count line."""
    pdf = render(_encounter())
    save_artifact("patient_reported", pdf)
    first = squashed(pages_text(pdf)[0])
    assert squashed(f"Found: {ABRUPT} {MARK}: yes") in first
    assert squashed(f"Pain now (0-10) {MARK}: 6") in first
    assert squashed("5 answers given by the patient in the pre-visit questionnaire; 2 confirmed with the patient "
                    "by the clinician, 3 not confirmed (marked patient-reported).") in first
    assert squashed("1 questions answered no (1 patient-reported, not yet confirmed)") in first
    for label in ("Night pain that stops sleep", "Where is the pain?", "Arm symptoms (pain, tingling or numbness)"):
        assert squashed(label) in first
        assert squashed(f"{label} {MARK}") not in first


def test_the_appendix_marks_unconfirmed_answers_in_the_history_table(render: Render) -> None:
    """The full history lists the denied patient answer and the number with the mark, the confirmed ones without."""
    text = squashed("\n".join(pages_text(render(_encounter()))[1:]))
    appendix = text[text.index(squashed("History and red-flag screen")):]
    assert squashed(f"Unexplained weight loss {MARK}") in appendix
    assert squashed(f"Pain now (0-10) {MARK}") in appendix
    assert squashed(f"Night pain that stops sleep {MARK}") not in appendix


def test_an_encounter_without_pre_visit_answers_has_no_mark_and_no_line(render: Render, library: Library) -> None:
    """Confirming everything removes every mark; an ordinary encounter has neither marks nor the line."""
    enc = _encounter()
    confirmed = {k: f.model_copy(update={"confirmed": True}) if getattr(f, "reported_by", None) else f
                 for k, f in enc.findings.items()}
    text = squashed("\n".join(pages_text(render(enc.model_copy(update={"findings": confirmed}), library))))
    assert MARK not in text.replace(squashed("(marked patient-reported)"), "")
    assert squashed("5 confirmed with the patient by the clinician.") in text
    plain = {k: f.model_copy(update={"reported_by": None, "confirmed": False}) if getattr(f, "reported_by", None)
             else f for k, f in enc.findings.items()}
    text = squashed("\n".join(pages_text(render(enc.model_copy(update={"findings": plain}), library))))
    assert "patient-reported" not in text and "pre-visit" not in text
