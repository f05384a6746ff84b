"""Frozen notes on both back-ends: the PDF bytes round-trip exactly and the table is append-only."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from exam_assistant.library import cached_library
from exam_assistant.store import EncounterRepository
from reports import ClinicProfile
from reports.frozen import frozen_renderer
from tests.store.factories import make_encounter


def test_frozen_bytes_round_trip_and_cannot_be_changed(repo: EncounterRepository) -> None:
    stored = repo.save_draft(make_encounter(), None, "tester")
    final = repo.finalise(stored.id, stored.version, "tester",
                          render=frozen_renderer(cached_library(), ClinicProfile(timezone="UTC")))
    frozen = repo.frozen_note(final.id)
    assert frozen is not None and frozen.pdf.startswith(b"%PDF-") and not frozen.signed
    assert hashlib.sha256(frozen.pdf).hexdigest() == frozen.sha256
    assert frozen.ref.finalised_at == final.encounter.finalised_at
    for statement in ("UPDATE final_notes SET signed = NOT signed", "DELETE FROM final_notes"):
        with pytest.raises(DBAPIError, match="append-only"), repo.engine.begin() as conn:
            conn.execute(text(statement))
    assert repo.frozen_note(final.id) == frozen


def test_finalising_without_a_renderer_keeps_no_pdf(repo: EncounterRepository) -> None:
    """Older callers still finalise; their notes render on demand (documented)."""
    stored = repo.save_draft(make_encounter(), None, "tester")
    repo.finalise(stored.id, stored.version, "tester")
    assert repo.frozen_note(stored.id) is None
    assert [e.detail for e in repo.audit_history(stored.id) if e.event == "finalised"] == [""]
