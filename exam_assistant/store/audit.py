"""The append-only audit log: created, updated, viewed, finalised, amended, exported, deleted.

An event records who (the actor label), when, which encounter (its opaque UUID), the
encounter version and a short machine detail (an export kind, a linked encounter id). It never
holds clinical content or a patient's name: the detail is built by the store from ids and fixed
words, never from user text. The database refuses UPDATE and DELETE on this table (triggers),
and every event is a link of a hash chain (``audit_chain.py``) that ``db verify-audit`` checks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import Engine, insert, select
from sqlalchemy.orm import Session

from exam_assistant.models import utcnow
from exam_assistant.store import audit_chain
from exam_assistant.store.errors import InvalidEncounterError
from exam_assistant.store.tables import AuditEventRow, table_of

AuditEventKind = Literal[
    "created", "updated", "viewed", "finalised", "amended", "exported", "deleted", "signed_in", "access_denied",
    "invite_created", "invite_opened", "invite_submitted", "invite_imported", "invite_revoked",
    "practice_start", "practice_save", "practice_commit", "audit_sealed",
]
EVENTS: tuple[AuditEventKind, ...] = (
    "created",
    "updated",
    "viewed",
    "finalised",
    "amended",
    "exported",
    "deleted",
    "signed_in",
    "access_denied",
    "invite_created",
    "invite_opened",
    "invite_submitted",
    "invite_imported",
    "invite_revoked",
    "practice_start",
    "practice_save",
    "practice_commit",
    "audit_sealed",
)
_DETAIL = re.compile(r"^[a-z0-9_\- :.]{0,200}$")
_EXPORT_KIND = re.compile(r"^[a-z0-9_\-]{1,40}$")


@dataclass(frozen=True)
class AuditEvent:
    """One audit entry as read back."""

    id: int
    event: str
    actor: str
    at: datetime
    encounter_id: str | None
    version: int | None
    detail: str


def check_export_kind(kind: str) -> str:
    """An export kind is a short lowercase word (``pdf``, ``csv``, ``fhir``), never free text."""
    if not _EXPORT_KIND.match(kind):
        raise InvalidEncounterError("an export kind is 1 to 40 lowercase letters, digits, - or _")
    return kind


def record(
    session: Session,
    event: AuditEventKind,
    actor: str,
    encounter_id: str | None,
    version: int | None,
    detail: str = "",
    at: datetime | None = None,
) -> None:
    """Add one event to the log inside the caller's transaction (it commits with the change)."""
    if event not in EVENTS or not _DETAIL.match(detail):
        raise ValueError("audit events take a known event and a machine detail only")
    table = table_of(AuditEventRow)
    session.flush()  # the encounter row this event hashes must be visible to the statements below
    conn = session.connection()
    audit_chain.lock_chain(conn)
    values: dict[str, object] = {
        "event": event,
        "actor": actor,
        "at": at or utcnow(),
        "encounter_id": encounter_id,
        "version": version,
        "detail": detail,
        "subject_hash": audit_chain.subject_hash(conn, encounter_id),
        "prev_hash": audit_chain.last_hash(conn),
    }
    values["row_hash"] = audit_chain.event_hash(values)
    key = audit_chain.audit_key()  # read per event: a key set or changed takes effect at once
    values["mac"] = audit_chain.event_mac(key, str(values["row_hash"])) if key is not None else None
    conn.execute(insert(table).values(**values))


def history(engine: Engine, encounter_id: str | None = None, limit: int = 1000) -> list[AuditEvent]:
    """Audit events, oldest first; only those of one encounter when ``encounter_id`` is given."""
    query = select(AuditEventRow).order_by(AuditEventRow.id).limit(limit)
    if encounter_id is not None:
        query = query.where(AuditEventRow.encounter_id == encounter_id)
    with Session(engine) as session:
        return [
            AuditEvent(r.id, r.event, r.actor, r.at, r.encounter_id, r.version, r.detail)
            for r in session.scalars(query)
        ]
