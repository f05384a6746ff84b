"""Listing and searching encounters: filters, a page of summaries, a count, a full export.

A patient name or identifier is a substring search on the folded columns: on PostgreSQL a LIKE
served by the pg_trgm indexes (revision 0005); on SQLite, for three characters or more, a phrase
query on the FTS5 trigram index ``patients_search`` (revision 0010), which finds the same rows as
the LIKE; shorter needles, or an SQLite without the trigram tokenizer, scan with LIKE.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Engine, Select, func, or_, select, text, tuple_
from sqlalchemy.orm import Session

from exam_assistant.store.records import (
    EncounterFilters,
    EncounterSummary,
    Status,
    StoredEncounter,
    fold,
    to_stored,
)
from exam_assistant.store.tables import ClinicianRow, EncounterRow, PatientRow

MAX_PAGE = 1000
EXPORT_BATCH = 200

SelectT = TypeVar("SelectT", bound="Select[*tuple[Any, ...]]")
TRIGRAM = 3  # the FTS5 trigram index cannot answer a shorter needle
_HAS_FTS: weakref.WeakKeyDictionary[Engine, bool] = weakref.WeakKeyDictionary()


def trigram_index(engine: Engine) -> bool:
    """True for an SQLite database with the ``patients_search`` FTS5 table (checked once per engine)."""
    if engine.dialect.name != "sqlite":
        return False
    if engine not in _HAS_FTS:
        with engine.connect() as conn:
            found = conn.execute(text("SELECT 1 FROM sqlite_master WHERE name = 'patients_search'")).first()
        _HAS_FTS[engine] = found is not None
    return _HAS_FTS[engine]


def _patient_match(needle: str, fts: bool) -> Any:
    if fts and len(needle) >= TRIGRAM:
        phrase = '"' + needle.replace('"', '""') + '"'  # one phrase: every character literal
        ids = text("SELECT rowid FROM patients_search WHERE patients_search MATCH :phrase").bindparams(phrase=phrase)
        return PatientRow.id.in_(ids.columns(rowid=PatientRow.id.type))
    return or_(
        PatientRow.name_folded.contains(needle, autoescape=True),
        PatientRow.identifier_folded.contains(needle, autoescape=True),
    )


def _filtered(query: SelectT, filters: EncounterFilters, fts: bool = False) -> SelectT:
    # Join the patient and clinician tables only when a filter reads them: at a million rows the
    # planner otherwise sometimes joins everything before taking the first 50.
    if filters.patient and filters.patient.strip():
        query = query.join(PatientRow, PatientRow.id == EncounterRow.patient_id)
    if filters.clinician and filters.clinician.strip():
        query = query.join(ClinicianRow, ClinicianRow.id == EncounterRow.clinician_id)
    if not filters.include_deleted:
        query = query.where(EncounterRow.deleted_at.is_(None))
    if filters.patient and filters.patient.strip():
        query = query.where(_patient_match(fold(filters.patient), fts))
    if filters.clinician and filters.clinician.strip():
        query = query.where(ClinicianRow.name_folded.contains(fold(filters.clinician), autoescape=True))
    if filters.clinic is not None:
        query = query.where(EncounterRow.clinic == filters.clinic)
    if filters.status is not None:
        query = query.where(EncounterRow.status == filters.status)
    if filters.since is not None:
        query = query.where(EncounterRow.created_at >= filters.since)
    if filters.until is not None:
        query = query.where(EncounterRow.created_at <= filters.until)
    return query


def _page_bounds(limit: int, offset: int) -> tuple[int, int]:
    if limit < 1 or limit > MAX_PAGE or offset < 0:
        raise ValueError(f"limit must be 1 to {MAX_PAGE} and offset at least 0")
    return limit, offset


def _before(query: SelectT, after: tuple[datetime, str]) -> SelectT:
    """Keyset condition: rows after ``after`` (visit time, id) in newest-first order.

    A row-value comparison, so both back-ends walk the (created_at, id) index from that point
    (the equivalent OR of two conditions was 15x slower on PostgreSQL).
    """
    return query.where(tuple_(EncounterRow.created_at, EncounterRow.id) < tuple_(after[0], after[1]))


def summaries(
    engine: Engine, filters: EncounterFilters, limit: int, offset: int, after: tuple[datetime, str] | None = None
) -> list[EncounterSummary]:
    """One page of summaries, newest visit first (ties broken by id, so pages are stable).

    ``after`` (the visit time and id of the last row of the previous page) pages by keyset, which
    costs the same on page 1 and page 10,000; ``offset`` scans and skips every earlier row.
    """
    limit, offset = _page_bounds(limit, offset)
    # First the page's 50 ids (an index walk on encounters), then their names: a fixed, small plan.
    page = _filtered(select(EncounterRow.id.label("page_id")), filters, trigram_index(engine))
    if after is not None:
        page = _before(page, after)
    newest_first = (EncounterRow.created_at.desc(), EncounterRow.id.desc())
    ids = page.order_by(*newest_first).limit(limit).offset(offset).subquery()
    query = (
        select(
            EncounterRow.id,
            EncounterRow.status,
            EncounterRow.created_at,
            EncounterRow.updated_at,
            EncounterRow.updated_by,
            EncounterRow.version,
            PatientRow.name,
            PatientRow.identifier,
            PatientRow.date_of_birth,
            ClinicianRow.name,
            EncounterRow.previous_encounter_id,
            EncounterRow.amends_id,
            EncounterRow.ui_step,
        )
        .join(ids, ids.c.page_id == EncounterRow.id)
        .join(PatientRow, PatientRow.id == EncounterRow.patient_id)
        .outerjoin(ClinicianRow, ClinicianRow.id == EncounterRow.clinician_id)
        .order_by(*newest_first)
    )
    with engine.connect() as conn:
        return [_summary(tuple(row)) for row in conn.execute(query)]


def _summary(values: tuple[Any, ...]) -> EncounterSummary:
    status: Status = "final" if values[1] == "final" else "draft"
    return EncounterSummary(values[0], status, *values[2:])


def count(engine: Engine, filters: EncounterFilters) -> int:
    """The number of encounters matching the filters."""
    query = _filtered(select(func.count(EncounterRow.id)), filters, trigram_index(engine))
    with engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def stored(engine: Engine, filters: EncounterFilters) -> Iterator[StoredEncounter]:
    """Every matching encounter in full, newest first, read in batches by keyset (no OFFSET)."""
    last: tuple[Any, str] | None = None
    while True:
        query = _filtered(select(EncounterRow), filters, trigram_index(engine))
        if last is not None:
            query = _before(query, last)
        query = query.order_by(EncounterRow.created_at.desc(), EncounterRow.id.desc()).limit(EXPORT_BATCH)
        with Session(engine) as session:
            batch = list(session.scalars(query))
            records = [to_stored(row) for row in batch]
        yield from records
        if len(batch) < EXPORT_BATCH:
            return
        last = (batch[-1].created_at, batch[-1].id)
