"""Patient-reported answers in the clinician's encounter: which wait for confirmation, confirming
them, and the audit words for a save that confirmed or changed some.

An answer the patient gave before the visit carries ``reported_by: patient``. The clinician either
confirms it with the patient (``confirmed: true``; it stays patient-reported, so its provenance is
never lost) or changes it, which replaces it with an ordinary clinician-recorded finding (no
``reported_by``). Only the unconfirmed ones are marked "patient-reported" in the note.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from exam_assistant.models import Encounter, Finding

MARK = "patient-reported"


def is_pending(finding: Finding | None) -> bool:
    """A patient-reported answer the clinician has neither confirmed nor changed."""
    return getattr(finding, "reported_by", None) == "patient" and not getattr(finding, "confirmed", False)


def is_confirmed(finding: Finding | None) -> bool:
    return getattr(finding, "reported_by", None) == "patient" and bool(getattr(finding, "confirmed", False))


def pending(encounter: Encounter, item_ids: Iterable[str] | None = None) -> list[str]:
    """Item ids (of ``item_ids``, else all) holding an unconfirmed patient-reported answer."""
    ids = encounter.findings if item_ids is None else item_ids
    return [i for i in ids if is_pending(encounter.findings.get(i))]


def confirmations(encounter: Encounter, item_ids: Iterable[str]) -> dict[str, Finding]:
    """The confirmed copies of those of ``item_ids`` still pending (others are left alone)."""
    return {
        i: encounter.findings[i].model_copy(update={"confirmed": True})
        for i in pending(encounter, item_ids)
    }


def marked(label: str, finding: Finding | None) -> str:
    """``label`` with "(patient-reported)" when the answer still waits for the clinician."""
    return f"{label} ({MARK})" if is_pending(finding) else label


def counts(encounter: Encounter) -> tuple[int, int]:
    """(confirmed, still pending) patient-reported answers of the encounter."""
    found = list(encounter.findings.values())
    return sum(map(is_confirmed, found)), sum(map(is_pending, found))


def audit_detail(before: Mapping[str, Any] | None, after: Encounter) -> str:
    """Machine words for the audit event of a save: how many patient-reported answers it confirmed
    and how many it changed into clinician-recorded ones ("" when none). Counts only, never values."""
    if not before:
        return ""
    old = before.get("findings") or {}
    was_patient = {k for k, f in old.items() if isinstance(f, dict) and f.get("reported_by") == "patient"}
    was_confirmed = {k for k in was_patient if old[k].get("confirmed")}
    confirmed = sum(1 for k in was_patient - was_confirmed if is_confirmed(after.findings.get(k)))
    changed = sum(1 for k in was_patient if getattr(after.findings.get(k), "reported_by", None) != "patient")
    parts = [f"{confirmed} confirmed" if confirmed else "", f"{changed} changed" if changed else ""]
    words = " ".join(p for p in parts if p)
    return f"patient-reported: {words}" if words else ""
