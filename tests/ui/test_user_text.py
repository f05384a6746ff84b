"""User text is shown as typed: never turned into markdown, links or HTML."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from streamlit.testing.v1 import AppTest

from exam_assistant.models import Text
from exam_assistant.store import EncounterRepository
from exam_assistant.ui import steps
from exam_assistant.ui.bounded import earliest_birth_date
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
    errors = " ".join(e.value for e in at.error).replace("\\", "")
    assert "Date of birth: missing; enter a date from" in errors and "to today, as DD/MM/YYYY" in errors
    assert "patient's name" not in errors
    assert store.count() == 0


def _submit_patient(at: AppTest, born: date, name: str = "Old Timer") -> str:
    next(w for w in at.text_input if w.label == "Patient name").input(name)
    at.date_input[0].set_value(born)
    at.get("form_submit_button")[0].click()
    ok(at.run())
    return " ".join(e.value for e in at.error).replace("\\", "")


def test_impossible_dates_of_birth_are_refused_with_the_reason(store: EncounterRepository) -> None:
    """A date of birth 300 years ago or in the future reaches the app (the picker takes any date)
    and is refused saying why and what is allowed; the filled name is not asked for again."""
    today = date.today()
    old = today.replace(year=today.year - 300, day=1)
    errors = _submit_patient(new_app(), old)
    assert f"Date of birth: {old:%d/%m/%Y} would make the patient about 300 years old" in errors
    assert f"enter a date from {earliest_birth_date():%d/%m/%Y} to today" in errors
    assert "patient's name" not in errors
    future = today.replace(year=today.year + 1, day=1)
    errors = _submit_patient(new_app(), future)
    assert f"Date of birth: {future:%d/%m/%Y} is in the future" in errors
    assert store.count() == 0


def test_a_visit_before_the_birth_date_is_refused_with_the_reason(store: EncounterRepository) -> None:
    """Changing the date of birth of a draft to after its visit date is refused, naming both dates,
    with the store's own rule (input_limits.date_problems); the stored patient is unchanged."""
    visit = date.today() - timedelta(days=40)
    encounter_id = stored_draft(store, step=steps.PATIENT)
    stored = store.get(encounter_id)
    dated = stored.encounter.model_copy(update={"created_at": datetime.combine(visit, time(9), UTC)})
    store.save_draft(dated.model_dump(mode="json"), stored.version, "test", ui_step=steps.PATIENT)
    at = new_app(query={"encounter": encounter_id})
    born = date.today() - timedelta(days=10)
    errors = _submit_patient(at, born, name="Bea Stored")
    assert f"Date of birth: {born:%d/%m/%Y} is after this visit's date ({visit:%d/%m/%Y})" in errors
    assert "a visit cannot be before the patient was born" in errors
    assert store.get(encounter_id).encounter.patient.date_of_birth == date(1960, 3, 2)


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
