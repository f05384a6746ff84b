"""Out-of-range numbers reach the app and are refused with one plain message naming the field and
the allowed range (the browser no longer swallows them into a red field); nothing else is lost."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from exam_assistant.models import Number
from exam_assistant.store import EncounterRepository
from tests.ui.conftest import ok, start_examination, widget


def _errors(app: AppTest) -> str:
    return " ".join(e.value for e in app.error).replace("\\", "")


def test_an_out_of_range_number_says_what_is_allowed_and_is_not_saved(
        app: AppTest, store: EncounterRepository) -> None:
    encounter_id = start_examination(app)
    field = widget(app, "history.pain_now", kind="number_input")
    assert not field.proto.has_min and not field.proto.has_max, "the browser must not refuse it silently"
    assert field.placeholder == "Not recorded (0 to 10)"
    field.set_value(15)
    ok(app.run())
    assert "Not saved: Pain now (0-10) must be between 0 and 10 (got 15)" in _errors(app)
    assert "history.pain_now" not in store.get(encounter_id).encounter.findings
    assert widget(app, "history.pain_now", kind="number_input").value == 15, "what was typed stays in view"

    widget(app, "history.pain_now", kind="number_input").set_value(7)
    ok(app.run())
    assert "Pain now" not in _errors(app)
    assert store.get(encounter_id).encounter.findings["history.pain_now"] == Number(value=7)
