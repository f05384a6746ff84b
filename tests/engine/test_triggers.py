"""The findings shown under a red flag explain why it was raised, including unanswered questions."""

from __future__ import annotations

from exam_assistant.engine.assess import assess
from exam_assistant.library import Library
from exam_assistant.models import Encounter


def test_unanswered_question_that_raised_a_flag_is_shown_as_not_answered(library: Library) -> None:
    """rf.malignancy reads an unanswered body map as spinal pain; the trigger says 'not answered'."""
    encounter = Encounter.model_validate({
        "patient": {"name": "Una Urgent", "date_of_birth": "1970-01-01"},
        "findings": {"history.cancer": {"kind": "yes_no", "value": "yes"}}})
    [flag] = [f for f in assess(encounter, library).red_flags if f.id == "rf.malignancy"]
    shown = {t.item: t.value for t in flag.triggered_by}
    assert shown == {"history.cancer": "yes", "history.location": "not answered"}
