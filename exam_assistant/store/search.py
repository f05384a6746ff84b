"""Listing and searching encounters: filters, a page of summaries, a count, a full export."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Engine, Select, func, or_, select, tuple_
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


def _filtered(query: SelectT, filters: EncounterFilters) -> SelectT:
    # Join the patient and clinician tables only when a filter reads them: at a million rows the
    # planner otherwise sometimes joins everything before taking the first 50.
    if filters.patient and filters.patient.strip():
        query = query.join(PatientRow, PatientRow.id == EncounterRow.patient_id)
    if filters.clinician and filters.clinician.strip():
        query = query.join(ClinicianRow, ClinicianRow.id == EncounterRow.clinician_id)
    if not filters.include_deleted:
        query = query.where(EncounterRow.deleted_at.is_(None))
    if filters.patient and filters.patient.strip():
        needle = fold(filters.patient)
        query = query.where(
            or_(
                PatientRow.name_folded.contains(needle, autoescape=True),
                PatientRow.identifier_folded.contains(needle, autoescape=True),
            )
        )
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
    page = _filtered(select(EncounterRow.id.label("page_id")), filters)
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
    query = _filtered(select(func.count(EncounterRow.id)), filters)
    with engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def stored(engine: Engine, filters: EncounterFilters) -> Iterator[StoredEncounter]:
    """Every matching encounter in full, newest first, read in batches by keyset (no OFFSET)."""
    last: tuple[Any, str] | None = None
    while True:
        query = _filtered(select(EncounterRow), filters)
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
