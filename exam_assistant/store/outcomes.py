"""Outcome scores over a patient's visits, as a pandas table ready to chart.

A visit belongs to the patient when the date of birth matches and either the identifier matches
(when the patient has one) or the name matches (case-insensitive). Deleted drafts, amendment
drafts still open, and final notes replaced by a final amendment are left out, so each visit
counts once. The scores are computed by :mod:`exam_assistant.engine.scores` from the library's
score definitions (methods ``nprs``, ``ndi``, ``quickdash``); a score the library does not define,
or a visit with too few answers, gives NaN.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from exam_assistant.engine.scores import compute_score
from exam_assistant.models import Encounter, Patient
from exam_assistant.store.records import fold, validate_encounter
from exam_assistant.store.tables import EncounterRow, PatientRow

if TYPE_CHECKING:
    from exam_assistant.library import Library

SCORE_COLUMNS = ("nprs", "ndi", "ndi_percent", "quickdash")
COLUMNS = ("encounter_id", "visit_date", "status", *SCORE_COLUMNS)


def visit_scores(encounter: Encounter, library: Library) -> dict[str, float | None]:
    """The NPRS, NDI (points and percent) and QuickDASH values of one encounter."""
    out: dict[str, float | None] = dict.fromkeys(SCORE_COLUMNS)
    for definition in library.scores.values():
        result = compute_score(definition, encounter, library.items)
        if definition.method == "ndi":
            out["ndi"], out["ndi_percent"] = result.value, result.percent
        elif out.get(definition.method) is None:
            out[definition.method] = result.value
    return out


def _patient_rows(session: Session, patient: Patient, clinic: str | None) -> list[EncounterRow]:
    match = [PatientRow.date_of_birth == patient.date_of_birth]
    if clinic is not None:
        match.append(EncounterRow.clinic == clinic)
    if patient.identifier:
        match.append(PatientRow.identifier_folded == fold(patient.identifier))
    else:
        match.append(PatientRow.name_folded == fold(patient.name))
    query = (
        select(EncounterRow)
        .join(PatientRow, PatientRow.id == EncounterRow.patient_id)
        .where(*match, EncounterRow.deleted_at.is_(None))
        .order_by(EncounterRow.created_at, EncounterRow.id)
    )
    return list(session.scalars(query))


def _one_per_visit(rows: list[EncounterRow]) -> list[EncounterRow]:
    replaced = {r.amends_id for r in rows if r.amends_id and r.status == "final"}
    return [r for r in rows if r.id not in replaced and not (r.amends_id and r.status == "draft")]


def outcome_series(
    engine: Engine, patient: Patient, library: Library | None = None, clinic: str | None = None
) -> pd.DataFrame:
    """One row per visit, oldest first: encounter_id, visit_date, status and each score (the
    visits of ``clinic`` only, when given)."""
    if library is None:
        from exam_assistant.library import cached_library

        library = cached_library()
    with Session(engine) as session:
        rows = _one_per_visit(_patient_rows(session, patient, clinic))
        records = []
        for row in rows:
            encounter = validate_encounter(row.data)
            records.append(
                {
                    "encounter_id": row.id,
                    "visit_date": pd.Timestamp(encounter.visit_date),
                    "status": row.status,
                    **visit_scores(encounter, library),
                }
            )
    frame = pd.DataFrame.from_records(records, columns=list(COLUMNS))
    for column in SCORE_COLUMNS:
        frame[column] = frame[column].astype(float)
    frame["visit_date"] = pd.to_datetime(frame["visit_date"])
    return frame
