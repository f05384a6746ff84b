"""What a clinic configures once (its profile) and what each export chooses (note options)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from exam_assistant import __version__
from exam_assistant.models import Encounter


class ClinicProfile(BaseModel):
    """The clinic printed in every page header, its paper size and its default pre-test probabilities."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Annotated[str, Field(min_length=1, max_length=200)] = "Exam Assistant"
    address: Annotated[str, Field(max_length=400)] = ""
    phone: Annotated[str, Field(max_length=80)] = ""
    logo_path: Path | None = Field(default=None, description="PNG or JPEG printed at the left of the header")
    paper: Literal["A4", "Letter"] = "A4"
    default_pretest_probabilities: dict[str, Annotated[float, Field(gt=0, lt=1)]] = Field(
        default_factory=dict,
        description="cluster rule id -> the clinic's pre-test probability, used when the encounter gives none",
    )

    @field_validator("logo_path")
    @classmethod
    def _logo_exists(cls, v: Path | None) -> Path | None:
        if v is not None and not v.is_file():
            raise ValueError(f"logo file {v} does not exist")
        return v

    def apply_defaults(self, encounter: Encounter) -> Encounter:
        """The encounter with the clinic's pre-test probabilities filled in where the clinician gave none."""
        missing = {
            k: v for k, v in self.default_pretest_probabilities.items() if k not in encounter.pretest_probabilities
        }
        if not missing:
            return encounter
        return encounter.model_copy(update={"pretest_probabilities": {**missing, **encounter.pretest_probabilities}})


class NoteOptions(BaseModel):
    """Choices for one rendering of the note."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    deidentified: bool = Field(default=False, description="leave out name, date of birth, identifier and dates")
    invariant: bool = Field(default=False, description="byte-identical output for the same input (tests)")
    generated_at: datetime | None = Field(default=None, description="printed generation time; now when absent")
    app_version: str = __version__

    @field_validator("generated_at")
    @classmethod
    def _aware(cls, v: datetime | None) -> datetime | None:
        if v is not None and v.tzinfo is None:
            raise ValueError("generated_at must carry a time zone")
        return v.astimezone(UTC) if v is not None else None

    def stamp(self) -> datetime:
        """The generation time to print, in UTC, to the second."""
        return (self.generated_at or datetime.now(UTC)).replace(microsecond=0)
