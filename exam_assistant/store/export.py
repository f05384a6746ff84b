"""Encounters as pandas tables: the CSV export (one row per encounter) and the listing.

CSV export columns (``exam-assistant encounters export-csv``), in this order:

- ``encounter_id``, ``status`` (draft/final), ``version``, ``visit_at`` (ISO 8601 UTC),
  ``updated_at``, ``updated_by``, ``finalised_at``
- ``patient_name``, ``patient_identifier``, ``date_of_birth``, ``sex``, ``age_at_visit``
- ``clinician_name``, ``clinician_role``, ``setting``
- ``protocols``: the packs used, ``id@version`` joined by ``;``
- ``previous_encounter_id`` (follow-up of), ``amends_id`` (amendment of)
- ``findings_count``, then one ``finding.<item id>`` column per item recorded in any exported
  encounter, sorted by id. Values: yes/no/unknown; numbers as written; a choice's value;
  multi-choice values joined by ``|``; sided items as ``L:<left> R:<right>`` (a sided test's
  side as ``positive[criterion+criterion]``, with ``@12s`` for a timed result).
- With ``--include-notes`` only: ``chief_complaint``, ``notes``, the text findings and the
  per-side notes of sided tests. Without it, free text is left out entirely.

Cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``)
are prefixed with ``'`` unless they are numbers.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from exam_assistant.models import (
    Choice,
    Finding,
    MultiChoice,
    Number,
    SidedTest,
    SideResult,
    Text,
    YesNo,
)
from exam_assistant.store.records import EncounterSummary, StoredEncounter

FIXED_COLUMNS = (
    "encounter_id",
    "status",
    "version",
    "visit_at",
    "updated_at",
    "updated_by",
    "finalised_at",
    "patient_name",
    "patient_identifier",
    "date_of_birth",
    "sex",
    "age_at_visit",
    "clinician_name",
    "clinician_role",
    "setting",
    "protocols",
    "previous_encounter_id",
    "amends_id",
    "findings_count",
)
NOTE_COLUMNS = ("chief_complaint", "notes")
SUMMARY_COLUMNS = (
    "id",
    "status",
    "visit_at",
    "updated_at",
    "updated_by",
    "version",
    "patient_name",
    "patient_identifier",
    "date_of_birth",
    "clinician_name",
    "previous_encounter_id",
    "amends_id",
    "ui_step",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _side(side: SideResult, include_notes: bool) -> str:
    text: str = side.result
    if side.criteria:
        text += "[" + "+".join(side.criteria) + "]"
    if side.seconds is not None:
        text += f"@{side.seconds:g}s"
    if include_notes and side.note:
        text += f" ({side.note})"
    return text


def finding_value(finding: Finding, include_notes: bool) -> str | float | None:
    """One finding as a single CSV cell; free text only when ``include_notes``."""
    if isinstance(finding, YesNo | Choice | Number):
        return finding.value
    if isinstance(finding, MultiChoice):
        return "|".join(finding.values)
    if isinstance(finding, Text):
        return finding.value if include_notes else None
    if isinstance(finding, SidedTest):
        return f"L:{_side(finding.left, include_notes)} R:{_side(finding.right, include_notes)}"
    left, right = finding.left, finding.right
    return f"L:{'' if left is None else left} R:{'' if right is None else right}"


def _iso(value: Any) -> str | None:
    return None if value is None else value.isoformat()


def _row(stored: StoredEncounter, include_notes: bool) -> dict[str, Any]:
    enc = stored.encounter
    row: dict[str, Any] = {
        "encounter_id": stored.id,
        "status": stored.status,
        "version": stored.version,
        "visit_at": _iso(enc.created_at),
        "updated_at": _iso(stored.updated_at),
        "updated_by": stored.updated_by,
        "finalised_at": _iso(enc.finalised_at),
        "patient_name": enc.patient.name,
        "patient_identifier": enc.patient.identifier,
        "date_of_birth": enc.patient.date_of_birth.isoformat(),
        "sex": enc.patient.sex,
        "age_at_visit": enc.age,
        "clinician_name": enc.clinician.name if enc.clinician else None,
        "clinician_role": enc.clinician.role if enc.clinician else None,
        "setting": enc.setting,
        "protocols": ";".join(f"{p.id}@{p.version}" for p in enc.protocols),
        "previous_encounter_id": str(enc.previous_encounter_id) if enc.previous_encounter_id else None,
        "amends_id": stored.amends_id,
        "findings_count": len(enc.findings),
    }
    if include_notes:
        row.update(chief_complaint=enc.chief_complaint, notes=enc.notes)
    for item_id, finding in enc.findings.items():
        value = finding_value(finding, include_notes)
        if value is not None:
            row[f"finding.{item_id}"] = value
    return row


def _defuse(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        try:
            float(value)
        except ValueError:
            return "'" + value
    return value


def encounters_frame(encounters: Iterable[StoredEncounter], include_notes: bool = False) -> pd.DataFrame:
    """One row per encounter with the documented columns (see the module docstring)."""
    rows = [_row(stored, include_notes) for stored in encounters]
    findings = sorted({key for row in rows for key in row if key.startswith("finding.")})
    columns = [*FIXED_COLUMNS, *(NOTE_COLUMNS if include_notes else ()), *findings]
    frame = pd.DataFrame.from_records(rows, columns=columns)
    return frame.map(_defuse)


def summaries_frame(summaries: Iterable[EncounterSummary]) -> pd.DataFrame:
    """The listing as a table (``encounters list --format csv``)."""
    rows = [
        {
            "id": s.id,
            "status": s.status,
            "visit_at": s.created_at.isoformat(),
            "updated_at": s.updated_at.isoformat(),
            "updated_by": s.updated_by,
            "version": s.version,
            "patient_name": s.patient_name,
            "patient_identifier": s.patient_identifier,
            "date_of_birth": s.date_of_birth.isoformat(),
            "clinician_name": s.clinician_name,
            "previous_encounter_id": s.previous_encounter_id,
            "amends_id": s.amends_id,
            "ui_step": s.ui_step,
        }
        for s in summaries
    ]
    return pd.DataFrame.from_records(rows, columns=list(SUMMARY_COLUMNS)).map(_defuse)
