"""The audit log as a hash chain, and its verification (``exam-assistant db verify-audit``).

Each event stores ``prev_hash`` (the ``row_hash`` of the event before it, by id) and its own
``row_hash``: SHA-256 over a canonical JSON of its fields, ``prev_hash`` included. Events about an
encounter also store ``subject_hash``, the SHA-256 of the encounter's stored JSON at that moment,
so the last ``finalised`` event vouches for the final note's content (and the frozen PDF's hash is
in its detail). Changing, deleting or inserting an event, or changing a final note, breaks a link
that :func:`verify` names. Changing this serialisation breaks every existing chain: never do it
in place.

The keyed chain (revision 0009): when the app holds the audit key (``EXAM_ASSISTANT_AUDIT_KEY`` or
the file named by ``EXAM_ASSISTANT_AUDIT_KEY_FILE``, kept where the database owner cannot read it),
each event also stores ``mac`` = HMAC-SHA256(key, row_hash). The unkeyed hashes alone can be
rebuilt by anyone who can write the database; the MACs cannot without the key, and since each
``row_hash`` chains back through every earlier one, a keyed event vouches for all events before
it, including those written before the key existed. Deleting events at the end of the log is
seen only against a head hash kept elsewhere (docs/deployment.md).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import stat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, RowMapping, select, text

from exam_assistant.errors import ExamAssistantError
from exam_assistant.store.tables import AuditEventRow, EncounterRow, FinalNoteRow, table_of

CHAIN_LOCK_KEY = 0x45584155  # "EXAU": one audit writer at a time on PostgreSQL
KEY_ENV = "EXAM_ASSISTANT_AUDIT_KEY"
KEY_FILE_ENV = "EXAM_ASSISTANT_AUDIT_KEY_FILE"
MIN_KEY_CHARS = 32
MAX_KEY_FILE = 4096


class AuditKeyError(ExamAssistantError):
    """The audit key is configured but unusable (too short, unreadable, readable by others)."""


def _read_key_file(path: str) -> str:
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_KEY_FILE:
            raise AuditKeyError(f"{KEY_FILE_ENV}: {path} is not a small regular file")
        if info.st_mode & 0o077:
            raise AuditKeyError(f"{KEY_FILE_ENV}: {path} is readable by other users; chmod 600 it")
        with open(path, encoding="utf-8") as handle:
            return handle.read().strip()
    except OSError as exc:
        raise AuditKeyError(f"{KEY_FILE_ENV}: cannot read {path}: {exc.strerror or exc}") from None


def audit_key() -> bytes | None:
    """The audit key from the environment (None when none is configured)."""
    value = os.environ.get(KEY_ENV, "").strip()
    path = os.environ.get(KEY_FILE_ENV, "").strip()
    if not value and path:
        value = _read_key_file(path)
    if not value:
        return None
    if len(value) < MIN_KEY_CHARS:
        raise AuditKeyError(f"the audit key must be at least {MIN_KEY_CHARS} characters "
                            "(python3 -c 'import secrets; print(secrets.token_hex(32))')")
    return value.encode("utf-8")


def event_mac(key: bytes, row_hash: str) -> str:
    """The keyed seal of one event: HMAC-SHA256 over its chain hash."""
    return hmac.new(key, row_hash.encode("ascii"), hashlib.sha256).hexdigest()
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
    keyed: bool = False  # checked with the audit key (else the unkeyed links only)
    keyed_events: int = 0  # events carrying a MAC

    @property
    def ok(self) -> bool:
        return self.problem is None


def _events(conn: Connection) -> Iterator[RowMapping]:
    table = table_of(AuditEventRow)
    result = conn.execution_options(yield_per=2000).execute(select(table).order_by(table.c.id))
    yield from result.mappings()


def _mac_problem(row: Mapping[str, Any], key: bytes, keyed_before: bool) -> str | None:
    """Why this event's MAC is wrong under ``key`` (None when it is right, or it predates the key)."""
    if row["mac"] is None:
        if keyed_before:
            return (f"event {row['id']} has no MAC although events before it have one (written or "
                    "rebuilt by someone without the audit key)")
        return None
    if not hmac.compare_digest(event_mac(key, row["row_hash"]), row["mac"]):
        return (f"event {row['id']} ({row['event']}) does not match its MAC (changed, inserted or "
                "rebuilt by someone without the audit key)")
    return None


def _event_problem(fields: Mapping[str, Any], previous: str | None, key: bytes | None,
                   keyed_before: bool) -> str | None:
    """What is wrong with one event given the hash before it (None when nothing is)."""
    if fields["row_hash"] is None:
        return f"event {fields['id']} has no hash (written outside the app)"
    if fields["prev_hash"] != previous:
        return (f"event {fields['id']} does not follow the event before it "
                "(an event was deleted or inserted out of order)")
    if event_hash(fields) != fields["row_hash"]:
        return (f"event {fields['id']} ({fields['event']}) was changed after it "
                "was written (its hash does not match its content)")
    return _mac_problem(fields, key, keyed_before) if key is not None else None


def verify(engine: Engine, key: bytes | None = None, require_keyed_head: bool = True) -> ChainReport:
    """Recompute the chain, then check every final encounter and frozen note against it.

    With ``key`` every MAC is checked too, no event may lack one after the first that has one,
    and the newest event must have one (the app writes every event keyed once it holds the key,
    so an unkeyed head means nothing was written since the key was set, or keyed events were
    removed: ``db seal-audit`` writes one). Without it only the unkeyed links are checked.
    """
    with engine.connect() as conn:
        previous: str | None = None
        count = keyed_events = 0
        last: Mapping[str, Any] | None = None
        finalised: dict[str, Mapping[str, Any]] = {}
        for row in _events(conn):
            count += 1
            fields = dict(row)  # "at" comes back as an aware UTC datetime (UtcDateTime)
            problem_here = _event_problem(fields, previous, key, keyed_events > 0)
            if problem_here is not None:
                return ChainReport(count, previous, problem_here, fields["id"], key is not None, keyed_events)
            keyed_events += fields["mac"] is not None
            if row["event"] == "finalised" and row["encounter_id"] and row["subject_hash"]:
                finalised[row["encounter_id"]] = fields
            previous, last = fields["row_hash"], fields
        problem = _final_notes_problem(conn, finalised)
    if problem is not None:
        return ChainReport(count, previous, problem[0], problem[1], key is not None, keyed_events)
    if key is not None and require_keyed_head and last is not None and last["mac"] is None:
        return ChainReport(count, previous, f"the newest event {last['id']} carries no MAC: nothing was written "
                           "with the audit key yet (run 'exam-assistant db seal-audit'), or keyed events were "
                           "removed", last["id"], True, keyed_events)
    return ChainReport(count, previous, None, None, key is not None, keyed_events)


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
