"""The finish step offers the patient handout beside the note; the builder makes the real PDF."""

from __future__ import annotations

from typing import Any

from exam_assistant.library import cached_library
from exam_assistant.store import EncounterRepository
from exam_assistant.ui import steps
from reports.handout import handout_builder
from reports.options import ClinicProfile
from tests.reports.pdftext import all_text, reader
from tests.ui.conftest import new_app, ok, stored_draft


def test_finish_step_offers_the_patient_handout(store: EncounterRepository) -> None:
    encounter_id = stored_draft(store, step=steps.FINISH)
    at = ok(new_app(query={"encounter": encounter_id}))
    labels = [str(getattr(b.proto, "label", "")) for b in at.get("download_button")]
    assert "Download the patient handout (PDF)" in labels, labels
    button: Any = next(b for b in at.get("download_button") if b.proto.label.startswith("Download the patient"))
    assert "plain words" in button.proto.help and button.proto.ignore_rerun  # built only when clicked


def test_handout_builder_renders_the_stored_encounter(store: EncounterRepository) -> None:
    encounter_id = stored_draft(store, findings={"history.arm_swelling": {"kind": "yes_no", "value": "yes"}},
                                step=steps.FINISH)
    encounter = store.get(encounter_id).encounter
    pdf = handout_builder(encounter, cached_library(), ClinicProfile(name="Test Clinic"))()
    text = all_text(pdf)
    assert len(reader(pdf).pages) <= 2
    assert "Test Clinic" in text and "Bea Stored" in text and "Venous thoracic outlet syndrome" in text
