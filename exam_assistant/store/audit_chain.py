"""The audit log as a hash chain, and its verification (``exam-assistant db verify-audit``).

Each event stores ``prev_hash`` (the ``row_hash`` of the event before it, by id) and its own
``row_hash``: SHA-256 over a canonical JSON of its fields, ``prev_hash`` included. Events about an
encounter also store ``subject_hash``, the SHA-256 of the encounter's stored JSON at that moment,
so the last ``finalised`` event vouches for the final note's content (and the frozen PDF's hash is
in its detail). Changing, deleting or inserting an event, or changing a final note, breaks a link
that :func:`verify` names. Without a secret key someone who can write the database and knows this
code could rebuild the whole chain: keep the head hash ``verify`` prints somewhere else (see
docs/records.md). Changing this serialisation breaks every existing chain: never do it in place.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, RowMapping, select, text

from exam_assistant.store.tables import AuditEventRow, EncounterRow, FinalNoteRow, table_of

CHAIN_LOCK_KEY = 0x45584155  # "EXAU": one audit writer at a time on PostgreSQL
HASHED_FIELDS = ("event", "actor", "at", "encounter_id", "version", "detail", "subject_hash", "prev_hash")


def canonical_json(value: Any) -> str:
    """One serialisation for hashing: sorted keys, no spaces, UTF-8 text (same on both back-ends)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def _sha256(text_value: str) -> str:
    return hashlib.sha256(text_value.encode("utf-8")).hexdigest()


def moment(at: datetime) -> str:
    """A time as hashed: UTC, microseconds (what both back-ends keep)."""
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def event_hash(fields: Mapping[str, Any]) -> str:
    """The hash of one event from its stored fields (``at`` as a datetime)."""
    payload = {name: fields.get(name) for name in HASHED_FIELDS}
    at = fields["at"]
    if not isinstance(at, datetime):
        raise TypeError("an audit event's time must be a datetime")
    payload["at"] = moment(at)
    return _sha256(canonical_json(payload))


def subject_hash(conn: Connection, encounter_id: str | None) -> str | None:
    """The hash of the encounter's stored JSON as this transaction sees it (None without one)."""
    if encounter_id is None:
        return None
    table = table_of(EncounterRow)
    data = conn.execute(select(table.c.data).where(table.c.id == encounter_id)).scalar_one_or_none()
    return None if data is None else _sha256(canonical_json(data))


def lock_chain(conn: Connection) -> None:
    """Serialise audit writers so two transactions never chain onto the same event.

    SQLite write transactions already run one at a time (BEGIN IMMEDIATE); PostgreSQL takes a
    transaction-scoped advisory lock, released at commit.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK_KEY})


def last_hash(conn: Connection) -> str | None:
    """The ``row_hash`` of the newest event (None for an empty log)."""
    table = table_of(AuditEventRow)
    return conn.execute(select(table.c.row_hash).order_by(table.c.id.desc()).limit(1)).scalar_one_or_none()


@dataclass(frozen=True)
class ChainReport:
    """What ``verify`` found: how many events, the head hash, and the first problem (None if intact)."""

    events: int
    head: str | None
    problem: str | None = None
    bad_event: int | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def _events(conn: Connection) -> Iterator[RowMapping]:
    table = table_of(AuditEventRow)
    result = conn.execution_options(yield_per=2000).execute(select(table).order_by(table.c.id))
    yield from result.mappings()


def verify(engine: Engine) -> ChainReport:
    """Recompute the chain, then check every final encounter and frozen note against it."""
    with engine.connect() as conn:
        previous: str | None = None
        count = 0
        finalised: dict[str, Mapping[str, Any]] = {}
        for row in _events(conn):
            count += 1
            fields = dict(row)  # "at" comes back as an aware UTC datetime (UtcDateTime)
            if fields["row_hash"] is None:
                return ChainReport(count, previous, f"event {row['id']} has no hash (written outside the app)", row["id"])
            if fields["prev_hash"] != previous:
                return ChainReport(count, previous, f"event {row['id']} does not follow the event before it "
                                   "(an event was deleted or inserted out of order)", row["id"])
            if event_hash(fields) != fields["row_hash"]:
                return ChainReport(count, previous, f"event {row['id']} ({row['event']}) was changed after it "
                                   "was written (its hash does not match its content)", row["id"])
            if row["event"] == "finalised" and row["encounter_id"] and row["subject_hash"]:
                finalised[row["encounter_id"]] = dict(row)
            previous = fields["row_hash"]
        problem = _final_notes_problem(conn, finalised)
    if problem is not None:
        return ChainReport(count, previous, problem[0], problem[1])
    return ChainReport(count, previous)


def _final_notes_problem(conn: Connection, finalised: Mapping[str, Mapping[str, Any]]) -> tuple[str, int] | None:
    """A final encounter whose content, or frozen PDF, differs from what its finalised event vouched for."""
    encounters = table_of(EncounterRow)
    rows = conn.execute(select(encounters.c.id, encounters.c.data).where(encounters.c.status == "final"))
    for encounter_id, data in rows:
        event = finalised.get(encounter_id)
        if event is None:
            continue  # finalised before the chain existed (revision 0004): nothing to compare with
        if _sha256(canonical_json(data)) != event["subject_hash"]:
            return (f"final encounter {encounter_id} differs from what event {event['id']} recorded "
                    "(the final note was changed)", event["id"])
    notes = table_of(FinalNoteRow)
    for encounter_id, digest, pdf in conn.execute(select(notes.c.encounter_id, notes.c.sha256, notes.c.pdf)):
        event = finalised.get(encounter_id)
        if hashlib.sha256(bytes(pdf)).hexdigest() != digest or (
            event is not None and event["detail"].startswith("sha256 ") and event["detail"] != f"sha256 {digest}"
        ):
            event_id = event["id"] if event is not None else 0
            return f"the frozen PDF of encounter {encounter_id} differs from its recorded SHA-256", event_id
    return None
