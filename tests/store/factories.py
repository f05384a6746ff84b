"""Test encounters with recognisable, made-up patient data."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from exam_assistant.models import (
    Clinician,
    Encounter,
    Number,
    Patient,
    SidedTest,
    SideResult,
    Text,
    YesNo,
)


def make_encounter(
    name: str = "Ada Testpatient",
    identifier: str | None = "MRN-0001",
    clinician: str | None = "Dr Jo Clinician",
    born: date = date(1971, 3, 14),
    visit: datetime | None = None,
    **extra: Any,
) -> Encounter:
    """A valid draft encounter; ``extra`` sets any other Encounter field."""
    fields: dict[str, Any] = {
        "patient": Patient(name=name, date_of_birth=born, sex="female", identifier=identifier),
        "clinician": Clinician(name=clinician) if clinician else None,
        "chief_complaint": "left arm pain",
        "findings": {
            "history.fever": YesNo(value="no"),
            "history.pain_now": Number(value=6),
            "radic.spurling": SidedTest(left=SideResult(result="positive", criteria=["arm_pain"])),
        },
    }
    if visit is not None:
        fields["created_at"] = visit
        fields["updated_at"] = visit
    fields.update(extra)
    return Encounter(**fields)


def with_note(encounter: Encounter, note: str) -> Encounter:
    """The same encounter with a different free-text note."""
    return encounter.model_copy(update={"notes": note})


def with_text_finding(encounter: Encounter, item: str, text: str) -> Encounter:
    """The same encounter with one more free-text finding."""
    return encounter.model_copy(update={"findings": {**encounter.findings, item: Text(value=text)}})


def at(year: int, month: int, day: int, hour: int = 9) -> datetime:
    """A UTC time."""
    return datetime(year, month, day, hour, tzinfo=UTC)
