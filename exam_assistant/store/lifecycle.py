"""Amendments, follow-up visits and the immutable copies kept at finalise and amend.

An amendment never edits a final note: it is a new encounter (new id, ``amends_id`` pointing
at the final one) that starts as a copy of it. Its first immutable copy links to the final copy
it supersedes, so the chain final -> amendment -> final can be followed in ``encounter_versions``.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from exam_assistant.models import Encounter, utcnow
from exam_assistant.store import audit, rows
from exam_assistant.store.errors import ConflictError
from exam_assistant.store.records import encounter_json, validate_encounter
from exam_assistant.store.tables import EncounterRow, EncounterVersionRow

HISTORY_PREFIXES = ("history.",)  # findings carried into a follow-up visit


def keep_copy(
    session: Session,
    encounter_id: str,
    version: int,
    kind: str,
    data: dict[str, Any],
    actor: str,
    now: datetime,
    supersedes: int | None = None,
) -> None:
    """Add an immutable copy of an encounter (the table refuses UPDATE and DELETE)."""
    session.add(
        EncounterVersionRow(
            encounter_id=encounter_id,
            version=version,
            kind=kind,
            data=data,
            schema_version=str(data["schema_version"]),
            created_at=now,
            created_by=actor,
            supersedes_id=supersedes,
        )
    )


def final_copy_id(session: Session, encounter_id: str | None) -> int | None:
    """The id of the newest final copy of ``encounter_id`` (None when there is none)."""
    if encounter_id is None:
        return None
    return session.scalar(
        select(EncounterVersionRow.id)
        .where(EncounterVersionRow.encounter_id == encounter_id, EncounterVersionRow.kind == "final")
        .order_by(EncounterVersionRow.version.desc())
        .limit(1)
    )


def _insert(
    session: Session,
    encounter: Encounter,
    actor: str,
    now: datetime,
    ui_step: str | None,
    amends_id: str | None,
    clinic: str,
) -> str:
    key = str(encounter.id)
    values = rows.columns(session, encounter, actor, now)
    values.update(id=key, version=1, ui_step=ui_step, amends_id=amends_id, clinic=clinic)
    if not rows.insert_new(session, values):  # a fresh uuid4 collided: practically impossible
        raise ConflictError(f"encounter id {key} is already taken; try again")
    return key


def amend(session: Session, encounter_id: str, actor: str) -> str:
    """Create (or return the open) amendment draft of a final note; returns its id."""
    old = rows.live_row(session, encounter_id, lock=True)
    if old.status != "final":
        raise ConflictError(f"encounter {encounter_id} is a draft: edit it directly, no amendment needed")
    existing = session.scalars(
        select(EncounterRow).where(EncounterRow.amends_id == encounter_id, EncounterRow.deleted_at.is_(None))
    ).first()
    if existing is not None and existing.status == "draft":
        return existing.id
    if existing is not None:
        raise ConflictError(f"encounter {encounter_id} was already amended by encounter {existing.id}; amend that one")
    now = utcnow()
    draft = validate_encounter(old.data).model_copy(
        update={"id": uuid.uuid4(), "status": "draft", "finalised_at": None, "updated_at": now}
    )
    new_id = _insert(session, draft, actor, now, old.ui_step, amends_id=encounter_id, clinic=old.clinic)
    keep_copy(
        session,
        new_id,
        1,
        "amendment",
        encounter_json(draft),
        actor,
        now,
        supersedes=final_copy_id(session, encounter_id),
    )
    audit.record(session, "amended", actor, encounter_id, old.version, detail=f"new version {new_id}", at=now)
    audit.record(session, "created", actor, new_id, 1, detail=f"amends {encounter_id}", at=now)
    return new_id


def follow_up(session: Session, previous_id: str, actor: str) -> str:
    """Create a follow-up draft carrying over patient, clinician and history; returns its id."""
    previous_row = rows.live_row(session, previous_id)
    previous = validate_encounter(previous_row.data)
    now = utcnow()
    draft = Encounter(
        patient=previous.patient,
        clinician=previous.clinician,
        setting=previous.setting,
        chief_complaint=previous.chief_complaint,
        findings={k: v for k, v in previous.findings.items() if k.startswith(HISTORY_PREFIXES)},
        previous_encounter_id=previous.id,
        created_at=now,
        updated_at=now,
    )
    new_id = _insert(session, draft, actor, now, None, amends_id=None, clinic=previous_row.clinic)
    audit.record(session, "created", actor, new_id, 1, detail=f"follow-up of {previous_id}", at=now)
    return new_id
