"""Summary and finish: the full assessment, notes, finalising, read-only notes, amend, follow-up, PDF."""

from __future__ import annotations

import hashlib
import io

from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from exam_assistant.library import cached_library
from exam_assistant.models import Clinician
from exam_assistant.store import EncounterRepository
from exam_assistant.ui import steps
from exam_assistant.ui.clinic_settings import save_signer, signer_path
from exam_assistant.ui.flow.summary import build_note
from reports import ClinicProfile
from reports.frozen import frozen_renderer
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


def test_finalising_without_a_registered_clinician_is_refused_in_plain_words(store: EncounterRepository) -> None:
    """The note names Dr Grey without a registration number and Settings has no signer: refused, kept."""
    encounter_id, at = _at_finish(store)
    button(at, "Finalise the note").click()
    ok(at.run())
    assert store.get(encounter_id).status == "draft"
    assert "registration number" in page_text(at) and store.frozen_note(encounter_id) is None


def test_finalising_makes_the_note_read_only(store: EncounterRepository) -> None:
    """After finalising, every examination widget is disabled and the note says it is final; the
    clinician entered once in Settings signs, and the PDF is frozen with the note."""
    save_signer(Clinician(name="Dr Grey", registration_number="HCPC PH123456"), signer_path())
    encounter_id, at = _at_finish(store)
    assert "reviewed the findings and the assessment" in page_text(at)  # what the one click attests
    button(at, "Finalise the note").click()
    ok(at.run())
    assert store.get(encounter_id).status == "final"
    assert "The note is final" in page_text(at)
    clinician = store.get(encounter_id).encounter.clinician
    assert clinician is not None and clinician.registration_number == "HCPC PH123456"
    frozen = store.frozen_note(encounter_id)
    assert frozen is not None and "HCPC PH123456" in "".join(p.extract_text() for p in PdfReader(io.BytesIO(frozen.pdf)).pages)
    assert any(frozen.sha256 in c.value for c in at.caption)  # the screen shows the frozen note's hash
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
    data = build_note(encounter, cached_library(), ClinicProfile(), store, "Dr Grey")
    reader = PdfReader(io.BytesIO(data))
    assert "Bea Stored" in "".join(page.extract_text() for page in reader.pages)
    assert "exported" in [event.event for event in store.audit_history(encounter_id)]


def test_a_final_note_downloads_its_frozen_bytes_whatever_the_clinic_profile(store: EncounterRepository) -> None:
    """build_note of a final note returns the bytes frozen at finalise, after the clinic renamed itself."""
    encounter_id = stored_draft(store)
    draft = store.get(encounter_id)
    store.finalise(encounter_id, draft.version, "Dr Grey",
                   render=frozen_renderer(cached_library(), ClinicProfile(name="Old Name Clinic")))
    final = store.get(encounter_id).encounter
    data = build_note(final, cached_library(), ClinicProfile(name="New Name Clinic"), store, "Dr Grey")
    frozen = store.frozen_note(encounter_id)
    assert frozen is not None and hashlib.sha256(data).hexdigest() == frozen.sha256
    assert "Old Name Clinic" in PdfReader(io.BytesIO(data)).pages[0].extract_text()


def test_summary_puts_do_not_beside_the_red_flags_and_shows_no_aspirin(store: EncounterRepository) -> None:
    """Hold-back policy on screen: with dissection and ACS features the summary says "Do not" give antithrombotics
    and the plan shows no aspirin step; the step it withheld is named."""
    yes = {"kind": "yes_no", "value": "yes"}
    findings = {"history.location": {"kind": "multi_choice", "values": ["chest_wall", "interscapular"]},
                "history.chest_pain": yes, "history.character": {"kind": "multi_choice", "values": ["tearing"]},
                "history.abrupt_severe_pain": yes, "history.autonomic_symptoms": yes, "history.pain_over_15_min": yes,
                "history.duration_weeks": {"kind": "number", "value": 0},
                "rf.cardiac_pain_timing": {"kind": "choice", "value": "ongoing"}}
    encounter_id = stored_draft(store, findings=findings, step=steps.SUMMARY)
    at = new_app(query={"encounter": encounter_id})
    ok(at)
    text = page_text(at)
    assert "Do not give antithrombotics (aspirin, heparin, thrombolysis)" in text
    assert "withheld: tx.acs" in text
    assert "Aspirin 300 mg" not in text


def test_an_amendment_finalised_in_the_app_names_the_note_it_replaces(store: EncounterRepository) -> None:
    """Finalise, amend, finalise again: the amendment's frozen PDF carries the first note's hash."""
    save_signer(Clinician(name="Dr Grey", registration_number="HCPC PH123456"), signer_path())
    first_id, at = _at_finish(store)
    button(at, "Finalise the note").click()
    ok(at.run())
    button(at, "Amend this note").click()
    ok(at.run())
    amendment_id = current_id(at)
    go_to_step(at, steps.FINISH)
    button(at, "Finalise the note").click()
    ok(at.run())
    first, second = store.frozen_note(first_id), store.frozen_note(amendment_id)
    assert first is not None and second is not None and second.supersedes == first.ref
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(second.pdf)).pages)
    assert first.sha256 in "".join(text.split())
