"""The other pages: protocol library, continue (drafts), encounters, settings; and embedding."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from exam_assistant.library import cached_library
from exam_assistant.models import Encounter, Number, Patient
from exam_assistant.store import EncounterRepository
from exam_assistant.ui import steps
from exam_assistant.ui.clinic_settings import load_signer, save_profile, settings_path, signer_path
from reports import ClinicProfile
from tests.ui.conftest import ROOT, button, current_id, new_app, ok, page_text, stored_draft

LIBRARY = "exam_assistant/ui/pages/library.py"
CONTINUE = "exam_assistant/ui/pages/continue_drafts.py"
ENCOUNTERS = "exam_assistant/ui/pages/encounters.py"
SETTINGS = "exam_assistant/ui/pages/settings.py"


def test_library_page_lists_every_pack_section_and_item() -> None:
    """Every loaded pack's title, each section title and each item label is on the page."""
    at = ok(new_app(LIBRARY))
    text = page_text(at)
    labels = {e.label for e in at.expander}
    for loaded in cached_library().ordered_packs():
        assert loaded.pack.title in text
        for section in loaded.pack.sections:
            assert section.title in text
            for item in section.items:
                assert any(label.startswith(item.label) for label in labels), item.id


def test_library_page_shows_technique_positive_criterion_and_accuracy() -> None:
    """radic.spurling: how to perform it, when it is positive, and its figures with sources."""
    at = new_app(LIBRARY)
    at.text_input[0].input("Spurling")
    ok(at.run())
    text = page_text(at)
    assert "How to perform it" in text and "Positive when:" in text
    assert "Sensitivity" in text and "LR+" in text
    assert "Source:" in text and "doi.org" in text


def test_library_page_shows_a_pack_that_failed_to_load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A broken pack in EXAM_ASSISTANT_PROTOCOL_PATH is listed with its file, line and reason."""
    broken = tmp_path / "packs"
    broken.mkdir()
    (broken / "broken.yaml").write_text("schema_version: '1'\nid: broken\ntitle: [unclosed\n", encoding="utf-8")
    monkeypatch.setenv("EXAM_ASSISTANT_PROTOCOL_PATH", str(broken))
    at = ok(new_app(LIBRARY))
    text = page_text(at)
    assert "Packs that failed to load" in text
    assert "broken.yaml" in text and "PACK_001" in text
    assert "Thoracic outlet syndrome tests" in text  # the others still load


def test_continue_page_lists_drafts_and_opens_one(store: EncounterRepository) -> None:
    """A saved draft is listed with its patient and step; Continue opens it in the examination."""
    encounter_id = stored_draft(store, step=steps.PROTOCOLS)
    at = ok(new_app(CONTINUE))
    assert "Bea Stored" in page_text(at) and "protocols" in page_text(at)
    button(at, "Continue").click()
    ok(at.run())
    assert encounter_id == current_id(at)
    assert "Choose the examination" in page_text(at)


def test_encounters_page_finds_opens_and_charts_outcome_scores(store: EncounterRepository) -> None:
    """Search by name lists the visit; choosing it shows the NPRS over visits."""
    first = stored_draft(store, findings={"scores.nprs_now": Number(value=7).model_dump()})
    store.finalise(first, store.get(first).version, "test")
    second = store.start_follow_up(first, "test")
    enc = second.encounter.model_copy(update={"findings": {**second.encounter.findings,
                                                            "scores.nprs_now": Number(value=3)}})
    store.save_draft(enc.model_dump(mode="json"), second.version, "test")
    at = new_app(ENCOUNTERS)
    at.text_input[0].input("bea")
    at.get("form_submit_button")[0].click()
    ok(at.run())
    assert "2 encounter(s) found" in page_text(at)
    chooser = next(s for s in at.selectbox if s.label == "Encounter")
    chooser.set_value(first)
    ok(at.run())
    assert "Outcome scores over visits" in page_text(at)
    assert at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart"), "a chart of the scores"
    assert at.get("download_button"), "CSV export offered"


def test_encounters_page_starts_a_follow_up(store: EncounterRepository) -> None:
    """"Start a follow-up visit" creates a linked draft and opens it."""
    first = stored_draft(store)
    at = new_app(ENCOUNTERS)
    next(s for s in at.selectbox if s.label == "Encounter").set_value(first)
    ok(at.run())
    button(at, "Start a follow-up visit").click()
    ok(at.run())
    drafts = [s for s in store.list() if s.previous_encounter_id == first]
    assert len(drafts) == 1


def test_settings_page_saves_the_clinic_profile_next_to_the_database(database: str) -> None:
    """Name, paper size and a default pre-test probability are saved to clinic_settings.json."""
    at = new_app(SETTINGS)
    next(t for t in at.text_input if t.label == "Clinic name").input("Harbour Physio")
    at.radio[0].set_value("Letter")
    pretest = next(n for n in at.number_input if n.label.startswith("TOS provocation cluster")
                   or "radiculopathy" in n.label.lower())
    pretest.set_value(30.0)
    at.get("form_submit_button")[0].click()
    ok(at.run())
    assert "Settings saved" in page_text(at)
    saved = json.loads(settings_path(database).read_text())
    assert saved["name"] == "Harbour Physio" and saved["paper"] == "Letter"
    assert list(saved["default_pretest_probabilities"].values()) == [0.3]
    assert settings_path(database).parent == Path(database.removeprefix("sqlite:///")).parent


def test_embedded_flow_runs_under_its_own_prefix() -> None:
    """examples/embed_app.py: the flow draws inside the host page and uses ?clinic_encounter=."""
    at = AppTest.from_file(str(ROOT / "examples" / "embed_app.py"), default_timeout=60)
    ok(at.run())
    assert "Clinic portal" in page_text(at)
    next(t for t in at.text_input if t.label == "Patient name").input("Embedded Person")
    at.date_input[0].set_value(date(1980, 1, 1))
    at.get("form_submit_button")[0].click()
    ok(at.run())
    assert "clinic_encounter" in at.query_params
    assert "encounter" not in at.query_params
    assert "Red-flag screen" in page_text(at)


def test_settings_page_saves_time_zone_date_format_and_the_signing_clinician(database: str) -> None:
    """The clinic's zone and date format go into the profile; the signer into its own file."""
    at = new_app(SETTINGS)
    next(s for s in at.selectbox if s.label.startswith("Time zone")).set_value("Europe/Berlin")
    next(r for r in at.radio if r.label == "Date format").set_value("dd.mm.yyyy")
    at.get("form_submit_button")[0].click()
    ok(at.run())
    saved = json.loads(settings_path(database).read_text())
    assert (saved["timezone"], saved["date_format"]) == ("Europe/Berlin", "dd.mm.yyyy")
    next(t for t in at.text_input if t.label == "Registration number").input("GMC 7654321")
    at.get("form_submit_button")[1].click()
    ok(at.run())
    assert "enter both" in page_text(at) and load_signer(signer_path(database)) is None
    next(t for t in at.text_input if t.label == "Name").input("Dr Sam Okafor")
    at.get("form_submit_button")[1].click()
    ok(at.run())
    signer = load_signer(signer_path(database))
    assert signer is not None and (signer.name, signer.registration_number) == ("Dr Sam Okafor", "GMC 7654321")


def test_screen_times_follow_the_clinic_time_zone_and_date_format(store: EncounterRepository, database: str) -> None:
    """A visit at 13:20 UTC in May shows as 05/04/2026 09:20 EDT for a New York clinic."""
    save_profile(ClinicProfile(timezone="America/New_York", date_format="mm/dd/yyyy"), settings_path(database))
    enc = Encounter(patient=Patient(name="Tz Person", date_of_birth=date(1970, 1, 2)),
                    created_at=datetime(2026, 5, 4, 13, 20, tzinfo=UTC))
    store.save_draft(enc, None, "test")
    text = page_text(new_app(CONTINUE))
    assert "05/04/2026 09:20 EDT" in text and "01/02/1970" in text
