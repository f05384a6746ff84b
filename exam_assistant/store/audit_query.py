"""Searching the audit log for the admin viewer, and writing it as CSV (no clinical content in it)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from exam_assistant.store.audit import AuditEvent
from exam_assistant.store.tables import AuditEventRow

MAX_ROWS = 5_000
CSV_COLUMNS = ("id", "at", "event", "actor", "encounter_id", "version", "detail")


@dataclass(frozen=True)
class AuditFilters:
    """Every filter is optional; they combine with AND. ``actor`` is a case-insensitive substring."""

    events: tuple[str, ...] = ()
    actor: str | None = None
    encounter_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def search(engine: Engine, filters: AuditFilters, limit: int = MAX_ROWS) -> list[AuditEvent]:
    """Matching events, newest first, at most ``limit`` (capped at MAX_ROWS)."""
    query = select(AuditEventRow).order_by(AuditEventRow.id.desc()).limit(max(1, min(limit, MAX_ROWS)))
    if filters.events:
        query = query.where(AuditEventRow.event.in_(filters.events))
    if filters.actor and filters.actor.strip():
        query = query.where(AuditEventRow.actor.ilike(f"%{filters.actor.strip()}%"))
    if filters.encounter_id and filters.encounter_id.strip():
        query = query.where(AuditEventRow.encounter_id == filters.encounter_id.strip())
    if filters.since is not None:
        query = query.where(AuditEventRow.at >= filters.since)
    if filters.until is not None:
        query = query.where(AuditEventRow.at <= filters.until)
    with Session(engine) as session:
        return [AuditEvent(r.id, r.event, r.actor, r.at, r.encounter_id, r.version, r.detail)
                for r in session.scalars(query)]


def events_csv(events: Sequence[AuditEvent]) -> bytes:
    """The events as CSV (UTF-8), one row each, times in ISO 8601 UTC."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for e in events:
        writer.writerow([e.id, e.at.isoformat(), e.event, e.actor, e.encounter_id or "", e.version or "", e.detail])
    return out.getvalue().encode("utf-8")
