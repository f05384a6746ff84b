"""Summary and finish: the full assessment, notes, finalising, read-only notes, amend, follow-up, PDF."""

from __future__ import annotations

import io

from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from exam_assistant.engine.assess import assess
from exam_assistant.library import cached_library
from exam_assistant.store import EncounterRepository
from exam_assistant.ui import steps
from exam_assistant.ui.flow.summary import build_note
from reports import ClinicProfile
from tests.ui.conftest import button, current_id, go_to_step, new_app, ok, page_text, stored_draft, widget


def _at_finish(store: EncounterRepository) -> tuple[str, AppTest]:
    encounter_id = stored_draft(store, step=steps.FINISH)
    return encounter_id, new_app(query={"encounter": encounter_id})


def test_summary_shows_the_assessment_with_reasons(store: EncounterRepository) -> None:
    """rf.venous_tos: the summary lists the red flag with its action and a "Why?" per rule."""
    encounter_id = stored_draft(store, findings={"history.arm_swelling": {"kind": "yes_no", "value": "yes"}},
                                step=steps.SUMMARY)
    at = new_app(query={"encounter": encounter_id})
    ok(at)
    text = page_text(at)
    assert "Summary and assessment" in text and "venous TOS" in text
    assert any("rf.venous_tos" in e.label for e in at.expander)


def test_clinical_notes_are_saved(store: EncounterRepository) -> None:
    """The notes box on the summary autosaves into encounter.notes, shown as typed."""
    encounter_id = stored_draft(store, step=steps.SUMMARY)
    at = new_app(query={"encounter": encounter_id})
    text = "Pain <worse> at night & *better* with rest [see x](y)"
    at.text_area(key="ea.notes_input").input(text)
    ok(at.run())
    assert text == store.get(encounter_id).encounter.notes


def test_finalising_makes_the_note_read_only(store: EncounterRepository) -> None:
    """After finalising, every examination widget is disabled and the note says it is final."""
    encounter_id, at = _at_finish(store)
    assert button(at, "Finalise the note").disabled
    at.checkbox[0].check()
    ok(at.run())
    button(at, "Finalise the note").click()
    ok(at.run())
    assert store.get(encounter_id).status == "final"
    assert "The note is final" in page_text(at)
    go_to_step(at, steps.HISTORY)
    assert widget(at, "history.fever").disabled


def test_amending_a_final_note_opens_a_new_draft(store: EncounterRepository) -> None:
    """"Amend this note" starts a linked draft and puts its id in the URL."""
    encounter_id, at = _at_finish(store)
    store.finalise(encounter_id, store.get(encounter_id).version, "test")
    at = new_app(query={"encounter": encounter_id})
    button(at, "Amend this note").click()
    ok(at.run())
    new_id = current_id(at)
    assert new_id != encounter_id
    assert encounter_id == store.get(new_id).amends_id
    go_to_step(at, steps.HISTORY)
    assert not widget(at, "history.fever").disabled


def test_follow_up_visit_starts_from_the_previous_one(store: EncounterRepository) -> None:
    """"Start a follow-up visit" makes a draft whose previous_encounter_id is the final note."""
    encounter_id, _ = _at_finish(store)
    store.finalise(encounter_id, store.get(encounter_id).version, "test")
    at = new_app(query={"encounter": encounter_id})
    go_to_step(at, steps.FINISH)
    button(at, "Start a follow-up visit").click()
    ok(at.run())
    new_id = current_id(at)
    follow_up = store.get(new_id).encounter
    assert str(follow_up.previous_encounter_id) == encounter_id
    assert "follow-up" in page_text(at).lower()


def test_finish_step_offers_the_pdf_download(store: EncounterRepository) -> None:
    """The finish step has a PDF download button (AppTest cannot click it; the browser test does)."""
    _, at = _at_finish(store)
    downloads = at.get("download_button")
    assert downloads and "PDF" in downloads[0].proto.label


def test_note_builder_makes_a_pdf_and_records_the_export(store: EncounterRepository) -> None:
    """build_note: the bytes open as a PDF naming the patient, and the export is in the audit log."""
    encounter_id = stored_draft(store)
    encounter = store.get(encounter_id).encounter
    data = build_note(encounter, assess(encounter, cached_library()), cached_library(), ClinicProfile(), store, "Dr Grey")
    reader = PdfReader(io.BytesIO(data))
    assert "Bea Stored" in "".join(page.extract_text() for page in reader.pages)
    assert "exported" in [event.event for event in store.audit_history(encounter_id)]
