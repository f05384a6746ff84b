"""Frozen notes: the PDF of a final note, rendered once at finalise and kept as bytes.

The stored bytes and their SHA-256 are the record. Every later download returns those bytes,
whatever the clinic profile or the protocol packs have become; a correction is an amendment,
whose own PDF names the note it replaces by date and hash. The store never renders: the caller
passes a :data:`NoteRenderer` (``reports.frozen.frozen_renderer`` in the app and the CLI), so the
store does not depend on the PDF layer. The table is append-only (database triggers).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from exam_assistant.models import Encounter
from exam_assistant.store.errors import InvalidEncounterError
from exam_assistant.store.tables import FinalNoteRow


@dataclass(frozen=True)
class NoteRef:
    """Which frozen note: enough to name it in the note that replaces it."""

    encounter_id: str
    sha256: str
    finalised_at: datetime


@dataclass(frozen=True)
class RenderedNote:
    """What a renderer returns: the PDF bytes and whether they carry a digital signature."""

    pdf: bytes
    signed: bool = False


@dataclass(frozen=True)
class FrozenNote:
    """A stored final note: its bytes, their hash, and the note it replaces (for an amendment)."""

    ref: NoteRef
    pdf: bytes
    signed: bool
    created_by: str
    supersedes: NoteRef | None

    @property
    def sha256(self) -> str:
        return self.ref.sha256


NoteRenderer = Callable[[Encounter, NoteRef | None], RenderedNote]
"""Renders the final encounter (status final, sign-off time set); the second argument is the
frozen note it amends, if any, so the new PDF can name it."""


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_signer(encounter: Encounter) -> None:
    """A final note is signed by a named clinician; refuse in plain words otherwise."""
    clinician = encounter.clinician
    if clinician is None or not clinician.name.strip():
        raise InvalidEncounterError(
            "Not finalised: a final note needs the name of the clinician who signs it. "
            "Enter the clinician (name and registration number) first; nothing was lost, the draft is kept."
        )


def _ref(row: FinalNoteRow) -> NoteRef:
    return NoteRef(row.encounter_id, row.sha256, row.created_at)


def note_row(session: Session, encounter_id: str | None) -> FinalNoteRow | None:
    if encounter_id is None:
        return None
    return session.scalar(select(FinalNoteRow).where(FinalNoteRow.encounter_id == encounter_id))


def previous_ref(session: Session, amends_id: str | None) -> NoteRef | None:
    """The frozen note an amendment replaces (None for a first note, or a note frozen before 0003)."""
    row = note_row(session, amends_id)
    return _ref(row) if row is not None else None


def keep_note(
    session: Session,
    encounter_id: str,
    version: int,
    rendered: RenderedNote,
    actor: str,
    now: datetime,
    amends_id: str | None,
) -> str:
    """Store the rendered bytes with their hash in the caller's transaction; returns the hash."""
    if not rendered.pdf.startswith(b"%PDF-"):
        raise InvalidEncounterError("Not finalised: the note renderer did not return a PDF")
    digest = sha256_hex(rendered.pdf)
    previous = note_row(session, amends_id)
    session.add(
        FinalNoteRow(
            encounter_id=encounter_id,
            encounter_version=version,
            sha256=digest,
            pdf=rendered.pdf,
            signed=rendered.signed,
            created_at=now,
            created_by=actor,
            supersedes_id=previous.id if previous is not None else None,
        )
    )
    return digest


def frozen_note(engine: Engine, encounter_id: str) -> FrozenNote | None:
    """The frozen PDF of a final note, or None (a draft, or a note finalised without a renderer)."""
    with Session(engine) as session:
        row = note_row(session, encounter_id)
        if row is None:
            return None
        before = session.get(FinalNoteRow, row.supersedes_id) if row.supersedes_id is not None else None
        return FrozenNote(
            ref=_ref(row),
            pdf=bytes(row.pdf),
            signed=row.signed,
            created_by=row.created_by,
            supersedes=_ref(before) if before is not None else None,
        )
