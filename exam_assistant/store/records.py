"""What the repository hands back (plain frozen dataclasses) and the row <-> model conversions."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from pydantic import ValidationError

from exam_assistant.models import Clinician, Encounter, Patient
from exam_assistant.store.errors import InvalidEncounterError
from exam_assistant.store.tables import EncounterRow

Status = Literal["draft", "final"]
MAX_ACTOR = 300


@dataclass(frozen=True)
class StoredEncounter:
    """One encounter as stored: the validated model plus the store's bookkeeping."""

    encounter: Encounter
    version: int
    ui_step: str | None
    status: Status
    updated_at: datetime
    updated_by: str
    amends_id: str | None = None

    @property
    def id(self) -> str:
        return str(self.encounter.id)


@dataclass(frozen=True)
class EncounterSummary:
    """One line of a listing: enough to find a note, without parsing the whole encounter."""

    id: str
    status: Status
    created_at: datetime
    updated_at: datetime
    updated_by: str
    version: int
    patient_name: str
    patient_identifier: str | None
    date_of_birth: date
    clinician_name: str | None
    previous_encounter_id: str | None
    amends_id: str | None
    ui_step: str | None


@dataclass(frozen=True)
class EncounterFilters:
    """Search filters; every one is optional and they combine with AND.

    ``patient`` matches a case-insensitive substring of the patient's name or identifier;
    ``since``/``until`` bound the visit time (``created_at``), inclusive; ``clinician`` is a
    case-insensitive substring of the clinician's name. ``clinic`` keeps one clinic's encounters
    (a repository scoped to a clinic always sets it).
    """

    patient: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    status: Status | None = None
    clinician: str | None = None
    include_deleted: bool = False
    clinic: str | None = None


def fold(text: str) -> str:
    """Case-folded, trimmed text used for case-insensitive matching on every back-end."""
    return " ".join(text.split()).casefold()


def _key(*parts: object) -> str:
    return hashlib.sha256(json.dumps([str(p) for p in parts]).encode()).hexdigest()


def patient_key(patient: Patient) -> str:
    """Same key only for the same name, date of birth, sex and identifier (case-insensitive)."""
    ident = fold(patient.identifier) if patient.identifier else ""
    return _key(fold(patient.name), patient.date_of_birth.isoformat(), patient.sex, ident)


def clinician_key(clinician: Clinician) -> str:
    """Same key only for the same name, role and registration number."""
    return _key(fold(clinician.name), fold(clinician.role), clinician.registration_number or "")


def check_actor(actor: str) -> str:
    """The actor's label, trimmed; refuses an empty or over-long one."""
    actor = actor.strip()
    if not actor or len(actor) > MAX_ACTOR:
        raise InvalidEncounterError(f"the actor must be 1 to {MAX_ACTOR} characters")
    return actor


def validate_encounter(data: Any) -> Encounter:
    """The data as a validated Encounter; raises InvalidEncounterError with plain reasons."""
    try:
        if isinstance(data, Encounter):
            return Encounter.model_validate(data.model_dump(mode="json"))
        return Encounter.model_validate(data)
    except ValidationError as exc:
        reasons = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'encounter'}: {err['msg']}"
            for err in exc.errors(include_url=False, include_input=False)
        )
        raise InvalidEncounterError(f"the encounter is not valid: {reasons}") from None


def encounter_json(encounter: Encounter) -> dict[str, Any]:
    """The encounter as the JSON document stored in ``encounters.data``."""
    return encounter.model_dump(mode="json")


def content_of(data: dict[str, Any]) -> dict[str, Any]:
    """The part of the JSON that a save changes (everything but the save time)."""
    return {k: v for k, v in data.items() if k != "updated_at"}


def protocol_versions(encounter: Encounter) -> list[dict[str, str]]:
    """The protocol packs (id and version) the encounter used, for the indexed column."""
    return [{"id": p.id, "version": p.version} for p in encounter.protocols]


def to_stored(row: EncounterRow) -> StoredEncounter:
    """Convert a row, validating its JSON again on the way out."""
    encounter = validate_encounter(row.data)
    status: Status = "final" if row.status == "final" else "draft"
    return StoredEncounter(
        encounter=encounter,
        version=row.version,
        ui_step=row.ui_step,
        status=status,
        updated_at=row.updated_at,
        updated_by=row.updated_by,
        amends_id=row.amends_id,
    )
