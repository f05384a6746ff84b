"""Row-level helpers shared by the repository's write paths (run inside its transaction)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from exam_assistant.models import Clinician, Encounter, Patient, utcnow
from exam_assistant.store.errors import (
    ConflictError,
    InvalidEncounterError,
    NotFoundError,
    StaleSaveError,
)
from exam_assistant.store.records import (
    clinician_key,
    encounter_json,
    fold,
    patient_key,
    protocol_versions,
)
from exam_assistant.store.tables import Base, ClinicianRow, EncounterRow, PatientRow, table_of

MAX_UI_STEP = 200


def _insert_ignoring_conflict(session: Session, entity: type[Base], values: dict[str, Any]) -> bool:
    """INSERT ... ON CONFLICT DO NOTHING as a Core statement; True when a row was inserted."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    table = table_of(entity)
    key = next(iter(table.primary_key.columns))
    stmt = dialect.insert(table).values(**values).on_conflict_do_nothing().returning(key)
    return session.connection().execute(stmt).first() is not None


def patient_id(session: Session, patient: Patient) -> int:
    """The id of the patients row for these identifiers, created if new (safe under concurrency)."""
    key = patient_key(patient)
    found = session.scalar(select(PatientRow.id).where(PatientRow.match_key == key))
    if found is not None:
        return found
    values = {
        "match_key": key,
        "name": patient.name,
        "name_folded": fold(patient.name),
        "date_of_birth": patient.date_of_birth,
        "sex": patient.sex,
        "identifier": patient.identifier,
        "identifier_folded": fold(patient.identifier) if patient.identifier else None,
        "created_at": utcnow(),
    }
    _insert_ignoring_conflict(session, PatientRow, values)
    return int(session.scalars(select(PatientRow.id).where(PatientRow.match_key == key)).one())


def clinician_id(session: Session, clinician: Clinician | None) -> int | None:
    """The id of the clinicians row for this clinician, created if new; None when there is none."""
    if clinician is None:
        return None
    key = clinician_key(clinician)
    found = session.scalar(select(ClinicianRow.id).where(ClinicianRow.match_key == key))
    if found is not None:
        return found
    values = {
        "match_key": key,
        "name": clinician.name,
        "name_folded": fold(clinician.name),
        "role": clinician.role,
        "registration_number": clinician.registration_number,
        "created_at": utcnow(),
    }
    _insert_ignoring_conflict(session, ClinicianRow, values)
    return int(session.scalars(select(ClinicianRow.id).where(ClinicianRow.match_key == key)).one())


def check_ui_step(ui_step: str | None) -> None:
    """The exam step is a short label (a page or panel name), never clinical text."""
    if ui_step is not None and len(ui_step) > MAX_UI_STEP:
        raise InvalidEncounterError(f"the exam step label must be at most {MAX_UI_STEP} characters")


def columns(session: Session, encounter: Encounter, actor: str, now: datetime) -> dict[str, Any]:
    """The column values for storing ``encounter`` (its JSON must already carry ``now``)."""
    previous = str(encounter.previous_encounter_id) if encounter.previous_encounter_id else None
    if previous is not None and session.scalar(select(EncounterRow.id).where(EncounterRow.id == previous)) is None:
        raise InvalidEncounterError(f"the previous encounter {previous} is not in this database")
    return {
        "status": encounter.status,
        "created_at": encounter.created_at,
        "updated_at": now,
        "updated_by": actor,
        "clinician_id": clinician_id(session, encounter.clinician),
        "patient_id": patient_id(session, encounter.patient),
        "protocol_versions": protocol_versions(encounter),
        "data": encounter_json(encounter),
        "schema_version": encounter.schema_version,
        "previous_encounter_id": previous,
        "finalised_at": encounter.finalised_at,
    }


def insert_new(session: Session, values: dict[str, Any]) -> bool:
    """Insert a new encounter row; False (and no change) when the id is already taken."""
    return _insert_ignoring_conflict(session, EncounterRow, values)


def live_row(session: Session, encounter_id: str, lock: bool = False) -> EncounterRow:
    """The encounter row, refusing a missing or deleted one (locked FOR UPDATE on PostgreSQL)."""
    query = select(EncounterRow).where(EncounterRow.id == encounter_id)
    if lock:
        query = query.with_for_update()
    row = session.scalars(query.execution_options(populate_existing=True)).one_or_none()
    if row is None:
        raise NotFoundError(f"no encounter with id {encounter_id}")
    if row.deleted_at is not None:
        raise NotFoundError(f"encounter {encounter_id} was deleted on {when(row.deleted_at)}")
    return row


def when(moment: datetime) -> str:
    """A time as clinicians read it in messages: ``2026-05-01 09:30 UTC``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def stale(row: EncounterRow, expected: int | None) -> StaleSaveError:
    """The error for a save based on an old version, naming who saved last and when."""
    last = f"{row.updated_by} saved it on {when(row.updated_at)} (version {row.version})"
    if expected is None:
        return StaleSaveError(
            f"Not saved: encounter {row.id} already exists; {last}. Open it and make your "
            "changes there so nothing is overwritten.",
            row.version,
            row.updated_by,
            row.updated_at,
        )
    return StaleSaveError(
        f"Not saved: someone else changed this encounter after you opened it; {last}, and your "
        f"copy is based on version {expected}. Reload it to see their changes, then redo yours.",
        row.version,
        row.updated_by,
        row.updated_at,
    )


def deleted(row: EncounterRow) -> ConflictError:
    """The error for saving an encounter that was deleted."""
    assert row.deleted_at is not None
    return ConflictError(f"Not saved: encounter {row.id} was deleted by {row.updated_by} on {when(row.deleted_at)}.")
