"""How the ``encounters`` commands print: aligned text, JSON and CSV."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from exam_assistant.store.records import EncounterSummary, StoredEncounter

# Why: names and notes typed elsewhere (or stored before input was checked) could carry ESC/CSI
# sequences that recolour, retitle or clear the terminal of whoever lists the records.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROL_AND_LINES = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def terminal_safe(text: str, keep_lines: bool = False) -> str:
    """``text`` with control characters shown as ``\\xNN`` (newline and tab kept if ``keep_lines``)."""
    pattern = _CONTROL if keep_lines else _CONTROL_AND_LINES
    return pattern.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def listing(rows: Sequence[EncounterSummary], fmt: str) -> str:
    """A page of summaries as text (aligned columns), JSON (a list) or CSV (header + rows)."""
    from exam_assistant.store.export import summaries_frame  # pandas: only when listing

    frame = summaries_frame(rows)
    if fmt == "csv":
        return str(frame.to_csv(index=False))
    if fmt == "json":
        records = frame.astype(object).where(frame.notna(), None).to_dict(orient="records")
        return json.dumps(records, indent=2, ensure_ascii=False) + "\n"
    if not rows:
        return "no encounters\n"
    lines = [f"{'id':<36}  {'status':<6}  {'visit':<10}  {'v':>3}  {'patient':<28}  clinician"]
    for r in rows:
        patient = terminal_safe(r.patient_name + (f" ({r.patient_identifier})" if r.patient_identifier else ""))
        lines.append(
            f"{r.id:<36}  {r.status:<6}  {r.created_at.date().isoformat():<10}  {r.version:>3}  "
            f"{patient[:28]:<28}  {terminal_safe(r.clinician_name or '-')}"
        )
    return "\n".join(lines) + "\n"


def show(stored: StoredEncounter, fmt: str) -> str:
    """One encounter: its JSON (as ``encounters save`` reads it) or a readable summary."""
    from exam_assistant.store.export import finding_value

    enc = stored.encounter
    if fmt == "json":
        return enc.model_dump_json(indent=2) + "\n"
    lines = [
        f"Encounter {stored.id}: {stored.status}, version {stored.version}",
        f"Last saved by {stored.updated_by} on {stored.updated_at:%Y-%m-%d %H:%M} UTC",
        f"Patient: {enc.patient.name}, born {enc.patient.date_of_birth.isoformat()} "
        f"(age {enc.age} at the visit), {enc.patient.sex}"
        + (f", identifier {enc.patient.identifier}" if enc.patient.identifier else ""),
        f"Visit: {enc.created_at:%Y-%m-%d %H:%M} UTC, {enc.setting.replace('_', ' ')}",
        f"Clinician: {enc.clinician.name if enc.clinician else '-'}",
    ]
    if enc.previous_encounter_id:
        lines.append(f"Follow-up of: {enc.previous_encounter_id}")
    if stored.amends_id:
        lines.append(f"Amendment of: {stored.amends_id}")
    if stored.ui_step:
        lines.append(f"Exam step: {stored.ui_step}")
    if enc.chief_complaint:
        lines.append(f"Complaint: {enc.chief_complaint}")
    lines.append(f"Findings ({len(enc.findings)}):")
    lines.extend(f"  {key}: {finding_value(f, True)}" for key, f in sorted(enc.findings.items()))
    if enc.notes:
        lines.append(f"Notes: {enc.notes}")
    return terminal_safe("\n".join(lines), keep_lines=True) + "\n"
