"""User text is shown as typed: never turned into markdown, links or HTML."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from exam_assistant.models import Text
from exam_assistant.store import EncounterRepository
from tests.ui.conftest import new_app, ok, start_examination, stored_draft, widget

ENCOUNTERS = "exam_assistant/ui/pages/encounters.py"
HOSTILE = "see https://evil.example/x and www.evil.example **bold** [click](https://evil.example)"


def test_encounters_page_shows_names_and_complaints_as_plain_text(store: EncounterRepository) -> None:
    encounter_id = stored_draft(store)
    stored = store.get(encounter_id)
    enc = stored.encounter.model_copy(update={"chief_complaint": HOSTILE})
    store.save_draft(enc.model_dump(mode="json"), stored.version, "test")
    at = new_app(ENCOUNTERS)
    chooser = next(s for s in at.selectbox if s.label == "Encounter")
    chooser.set_value(encounter_id)
    ok(at.run())
    assert HOSTILE in [t.value for t in at.text], "the complaint is drawn with st.text, exactly as typed"
    assert not any("evil.example" in m.value for m in at.markdown), "never through markdown"
    assert not any("evil.example" in c.value for c in at.caption)


def test_patient_form_says_which_field_is_missing_and_what_is_allowed(store: EncounterRepository) -> None:
    """A name without a date of birth (e.g. one the picker refused as out of range) is told the
    allowed range, and is not told to enter the name it already has."""
    at = new_app()
    next(w for w in at.text_input if w.label == "Patient name").input("Old Timer")
    at.get("form_submit_button")[0].click()
    ok(at.run())
    errors = " ".join(e.value for e in at.error)
    assert "between 01/01/1900 and today" in errors
    assert "patient's name" not in errors
    assert store.count() == 0


def test_an_over_long_paste_is_kept_up_to_the_limit_with_a_message(app: AppTest, store: EncounterRepository) -> None:
    """history.psychosocial (2,000 characters): a 5,000-character paste keeps the first 2,000,
    saved, and the message says how much was cut."""
    encounter_id = start_examination(app)
    pasted = "".join(f"{n:04d} " for n in range(1000))  # 5,000 characters
    widget(app, "history.psychosocial", kind="text_area").input(pasted)
    ok(app.run())
    stored = store.get(encounter_id).encounter.findings["history.psychosocial"]
    assert stored == Text(value=pasted[:2000])
    assert widget(app, "history.psychosocial", kind="text_area").value == pasted[:2000]
    shown = [w.value.replace("\\", "") for w in app.warning]
    assert any("5,000 characters" in w and "3,000 were cut" in w for w in shown), shown
