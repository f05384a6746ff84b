"""One student's attempt at a case: what they asked and examined, and what they committed to.

This is the ``ATTEMPT.json`` format that ``exam-assistant practice score`` marks in batch.
It holds a student label (a name or nickname the student chooses), never patient data.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from exam_assistant.errors import Problem
from exam_assistant.practice.choices import Effect, GlobalRating, ImagingChoice, Mode, PlanChoice, RootLevel, Side
from exam_assistant.protocol import ID_PATTERN

ATTEMPT_FORMAT_VERSION = "1.0"

ItemId = Annotated[str, Field(pattern=ID_PATTERN, max_length=80)]


def utcnow() -> datetime:
    return datetime.now(UTC)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class InterpretationAnswer(_Model):
    item: ItemId
    side: Literal["left", "right", "any"] = "any"
    result: Literal["positive", "negative"]
    effect: Effect | None = None


class Answers(_Model):
    """The student's commitment at the end of the case."""

    interpretations: list[InterpretationAnswer] = Field(default_factory=list)
    red_flags: list[ItemId] = Field(default_factory=list, description="red-flag rule ids the student identified")
    diagnosis: ItemId | None = None
    differential: list[ItemId] = Field(default_factory=list)
    level: RootLevel | None = None
    side: Side | None = None
    imaging: ImagingChoice | None = None
    plan: list[PlanChoice] = Field(default_factory=list)


class Attempt(_Model):
    format_version: Literal["1.0"] = "1.0"
    id: uuid.UUID = Field(default_factory=uuid.uuid4)
    case_id: Annotated[str, Field(min_length=1, max_length=80)]
    mode: Mode = "learning"
    student: Annotated[str, Field(max_length=80)] = ""
    started_at: datetime = Field(default_factory=utcnow)
    finished_at: datetime | None = None
    actions: list[ItemId] = Field(default_factory=list, description="item ids asked or examined, in order")
    hints_used: int = Field(default=0, ge=0)
    answers: Answers = Field(default_factory=Answers)
    examiner_global_rating: GlobalRating | None = Field(
        default=None, description="an examiner's own global rating, reported beside the computed one"
    )

    @field_validator("started_at", "finished_at")
    @classmethod
    def _aware(cls, v: datetime | None) -> datetime | None:
        if v is None:
            return None
        if v.tzinfo is None:
            raise ValueError("times must carry a time zone (UTC, e.g. 2026-05-01T09:30:00Z)")
        return v.astimezone(UTC)

    @field_validator("student")
    @classmethod
    def _trim(cls, v: str) -> str:
        return v.strip()

    def done(self) -> list[str]:
        """Each item asked or examined, once, in first-asked order."""
        return list(dict.fromkeys(self.actions))

    @property
    def duration_seconds(self) -> float | None:
        if self.finished_at is None:
            return None
        return max(0.0, (self.finished_at - self.started_at).total_seconds())


def load_attempt(path: Path) -> tuple[Attempt | None, list[Problem]]:
    """Read and parse an attempt JSON file; problems instead of exceptions."""
    source = str(path)
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        return None, [Problem("CASE_008", source, f"could not be read: {exc.strerror or exc}")]
    except json.JSONDecodeError as exc:
        return None, [Problem("CASE_009", source, f"not valid JSON: {exc.msg}", line=exc.lineno)]
    try:
        return Attempt.model_validate(data), []
    except ValidationError as exc:
        out = []
        for err in exc.errors():
            loc = ".".join(str(p) for p in err["loc"])
            out.append(Problem("CASE_009", source, str(err["msg"]).removeprefix("Value error, "), loc))
        return None, out
