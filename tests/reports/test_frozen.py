"""A final note is bytes: rendered once at finalise, re-read byte for byte, amended by a new note."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from exam_assistant.library import Library
from exam_assistant.models import Encounter
from exam_assistant.store import EncounterRepository, InvalidEncounterError, open_store
from exam_assistant.store.frozen import NoteRef, RenderedNote
from reports import ClinicProfile
from reports.frozen import frozen_renderer, note_pdf
from tests.reports.conftest import example, save_artifact
from tests.reports.pdftext import all_text, pages_text, squashed

ACTOR = "Dr Sam Okafor"


@pytest.fixture
def repo(tmp_path: Path) -> Iterator[EncounterRepository]:
    store = open_store(f"sqlite:///{tmp_path / 'notes.sqlite'}")
    yield store
    store.engine.dispose()


def _finalised(repo: EncounterRepository, encounter: Encounter, library: Library, profile: ClinicProfile) -> str:
    stored = repo.save_draft(encounter, None, ACTOR)
    final = repo.finalise(stored.id, stored.version, ACTOR, render=frozen_renderer(library, profile))
    return final.id


def test_final_note_downloads_the_same_bytes_after_a_clinic_profile_change(
    repo: EncounterRepository, library: Library, clinic: ClinicProfile
) -> None:
    """The download after the clinic renamed itself is the frozen note, not a re-rendering."""
    key = _finalised(repo, example("c6_radiculopathy"), library, clinic)
    before = note_pdf(repo, repo.get(key).encounter, library, clinic)
    renamed = clinic.model_copy(update={"name": "Hilltop Spine Centre", "paper": "Letter"})
    after = note_pdf(repo, repo.get(key).encounter, library, renamed)
    assert hashlib.sha256(after).hexdigest() == hashlib.sha256(before).hexdigest()
    frozen = repo.frozen_note(key)
    assert frozen is not None and frozen.pdf == before and frozen.sha256 == hashlib.sha256(before).hexdigest()
    assert "Riverside Spine" in all_text(after) and "Hilltop" not in all_text(after)
    # The same encounter as a draft would follow the new settings: the test can tell the two apart.
    draft = repo.get(key).encounter.model_copy(update={"status": "draft", "finalised_at": None})
    assert "Hilltop Spine Centre" in all_text(note_pdf(repo, draft, library, renamed))
    save_artifact("frozen_c6", before)


def test_the_audit_log_records_the_hash_of_the_frozen_note(
    repo: EncounterRepository, library: Library, clinic: ClinicProfile
) -> None:
    key = _finalised(repo, example("neck_pain_normal_exam"), library, clinic)
    frozen = repo.frozen_note(key)
    assert frozen is not None
    finalised = [e for e in repo.audit_history(key) if e.event == "finalised"]
    assert [e.detail for e in finalised] == [f"sha256 {frozen.sha256}"]


def test_an_amendment_names_the_note_it_replaces_by_date_and_hash(
    repo: EncounterRepository, library: Library, clinic: ClinicProfile
) -> None:
    first = _finalised(repo, example("c6_radiculopathy"), library, clinic)
    original = repo.frozen_note(first)
    assert original is not None and original.supersedes is None
    draft = repo.amend(first, ACTOR)
    amended = repo.finalise(draft.id, draft.version, ACTOR, render=frozen_renderer(library, clinic))
    note = repo.frozen_note(amended.id)
    assert note is not None and note.supersedes == original.ref
    words = squashed(all_text(note.pdf))
    assert squashed(f"SHA-256 {original.sha256}") in words
    assert squashed(clinic.clock().when(original.ref.finalised_at)) in words
    assert repo.frozen_note(first) == original  # the replaced note is still there, unchanged
    save_artifact("frozen_c6_amendment", note.pdf)


def test_finalising_without_a_named_clinician_is_refused_and_the_draft_kept(
    repo: EncounterRepository, library: Library, clinic: ClinicProfile
) -> None:
    stored = repo.save_draft(example("neck_pain_normal_exam").model_copy(update={"clinician": None}), None, ACTOR)
    with pytest.raises(InvalidEncounterError, match="name of the clinician"):
        repo.finalise(stored.id, stored.version, ACTOR, render=frozen_renderer(library, clinic))
    again = repo.get(stored.id)
    assert (again.status, again.version) == ("draft", stored.version)
    assert repo.frozen_note(stored.id) is None


def test_a_note_that_cannot_be_rendered_leaves_the_draft_as_it_was(repo: EncounterRepository) -> None:
    stored = repo.save_draft(example("neck_pain_normal_exam"), None, ACTOR)

    def broken(encounter: Encounter, previous: NoteRef | None) -> RenderedNote:
        raise RuntimeError("renderer failed")

    with pytest.raises(RuntimeError):
        repo.finalise(stored.id, stored.version, ACTOR, render=broken)
    assert repo.get(stored.id).status == "draft"
    assert [e.event for e in repo.audit_history(stored.id)] == ["created"]


def test_the_database_refuses_to_change_a_frozen_note(
    repo: EncounterRepository, library: Library, clinic: ClinicProfile
) -> None:
    key = _finalised(repo, example("neck_pain_normal_exam"), library, clinic)
    for statement in ("UPDATE final_notes SET sha256 = 'x'", "DELETE FROM final_notes"):
        with pytest.raises(DBAPIError, match="append-only"), repo.engine.begin() as conn:
            conn.execute(text(statement))
    assert repo.frozen_note(key) is not None


def test_a_final_note_without_a_frozen_pdf_says_its_copy_is_rendered_now(
    repo: EncounterRepository, library: Library, clinic: ClinicProfile
) -> None:
    """A note finalised before notes were frozen is rendered on download, and the copy says so."""
    stored = repo.save_draft(example("neck_pain_normal_exam"), None, ACTOR)
    repo.finalise(stored.id, stored.version, ACTOR)  # no renderer: as before migration 0003
    first = squashed(pages_text(note_pdf(repo, repo.get(stored.id).encounter, library, clinic))[0])
    assert squashed("copy rendered now with the current settings") in first
    draft = squashed(pages_text(note_pdf(repo, example("neck_pain_normal_exam"), library, clinic))[0])
    assert squashed("copy rendered now") not in draft
