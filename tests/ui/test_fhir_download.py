"""The finished note's "Download as FHIR R4" button and the bytes behind it."""

from __future__ import annotations

import base64
import json

from exam_assistant.fhir.download import bundle_json
from exam_assistant.library import cached_library
from exam_assistant.store import EncounterRepository
from exam_assistant.store.frozen import RenderedNote
from exam_assistant.ui import steps
from reports import ClinicProfile
from tests.ui.conftest import new_app, stored_draft

LABEL = "Download as FHIR R4 (JSON)"
FROZEN = b"%PDF-1.7 frozen at finalise"


def _final(store: EncounterRepository) -> str:
    encounter_id = stored_draft(store, step=steps.FINISH)
    store.finalise(encounter_id, store.get(encounter_id).version, "Dr Grey",
                   render=lambda encounter, previous: RenderedNote(FROZEN))
    return encounter_id


def _download_labels(encounter_id: str) -> list[str]:
    at = new_app(query={"encounter": encounter_id})
    return [d.proto.label for d in at.get("download_button")]


def test_a_final_note_offers_the_fhir_download_and_a_draft_does_not(store: EncounterRepository) -> None:
    """The finish step of a final note has the FHIR download button; a draft's finish step has none."""
    draft_id = stored_draft(store, step=steps.FINISH)
    assert LABEL not in _download_labels(draft_id)
    assert LABEL in _download_labels(_final(store))


def test_fhir_download_holds_the_frozen_pdf_and_clinic_and_is_audited(store: EncounterRepository) -> None:
    """The button's bytes are a document Bundle with the frozen PDF and the clinic, and the export is logged."""
    encounter_id = _final(store)
    final = store.get(encounter_id).encounter
    bundle = json.loads(bundle_json(final, cached_library(), ClinicProfile(name="Riverside Physio"), store, "Dr Grey"))
    by_type = {e["resource"]["resourceType"]: e["resource"] for e in bundle["entry"]}
    assert bundle["type"] == "document" and by_type["Organization"]["name"] == "Riverside Physio"
    assert base64.b64decode(by_type["DocumentReference"]["content"][0]["attachment"]["data"]) == FROZEN
    assert "exported" in [event.event for event in store.audit_history(encounter_id)]
