"""What a clinic configures once (its profile) and what each export chooses (note options)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from exam_assistant import __version__
from exam_assistant.models import Encounter
from reports.localtime import Clock, DateFormat, system_date_format, system_timezone, valid_timezone
from reports.logo import logo_problem


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
    timezone: str | None = Field(default=None, description="IANA time zone of the clinic; None: the machine's")
    date_format: DateFormat | None = Field(default=None, description="how dates are printed; None: the machine's")
    sign_cert: Path | None = Field(default=None, description="PEM certificate for a PAdES signature of final notes")
    sign_key: Path | None = Field(default=None, description="PEM private key matching sign_cert")

    @field_validator("logo_path", "sign_cert", "sign_key")
    @classmethod
    def _file_exists(cls, v: Path | None) -> Path | None:
        if v is not None and not v.is_file():
            raise ValueError(f"file {v} does not exist")
        return v

    @field_validator("logo_path")
    @classmethod
    def _real_logo(cls, v: Path | None, info: ValidationInfo) -> Path | None:
        # Why: the path comes from a settings file; only a real image in the clinic's folder is read.
        folder = (info.context or {}).get("clinic_folder") if isinstance(info.context, dict) else None
        problem = logo_problem(v, folder) if v is not None else None
        if problem is not None:
            raise ValueError(problem)
        return v

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, v: str | None) -> str | None:
        if v is not None and not valid_timezone(v):
            raise ValueError(f"'{v}' is not a time zone name such as Europe/London")
        return v

    @model_validator(mode="after")
    def _cert_with_key(self) -> ClinicProfile:
        if (self.sign_cert is None) != (self.sign_key is None):
            raise ValueError("a signing certificate needs its private key, and a key its certificate")
        return self

    def clock(self) -> Clock:
        """Dates and times the clinic's way (the machine's zone and date order where none is set)."""
        return Clock(self.timezone or system_timezone(), self.date_format or system_date_format())

    def apply_defaults(self, encounter: Encounter) -> Encounter:
        """The encounter with the clinic's pre-test probabilities filled in where the clinician gave none."""
        missing = {
            k: v for k, v in self.default_pretest_probabilities.items() if k not in encounter.pretest_probabilities
        }
        if not missing:
            return encounter
        return encounter.model_copy(update={"pretest_probabilities": {**missing, **encounter.pretest_probabilities}})


class PriorNote(BaseModel):
    """The frozen note an amendment replaces, named in the new note by date and SHA-256."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    encounter_id: str
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    finalised_at: datetime


class NoteOptions(BaseModel):
    """Choices for one rendering of the note."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    deidentified: bool = Field(default=False, description="leave out name, date of birth, identifier and dates")
    invariant: bool = Field(default=False, description="byte-identical output for the same input (tests)")
    generated_at: datetime | None = Field(default=None, description="printed generation time; now when absent")
    app_version: str = __version__
    supersedes: PriorNote | None = Field(default=None, description="the final note this amendment replaces")
    signing: bool = Field(default=False, description="a digital signature will be added in the signature box")
    rerendered: bool = Field(default=False, description="a final note with no frozen PDF, rendered again now")

    @field_validator("generated_at")
    @classmethod
    def _aware(cls, v: datetime | None) -> datetime | None:
        if v is not None and v.tzinfo is None:
            raise ValueError("generated_at must carry a time zone")
        return v.astimezone(UTC) if v is not None else None

    def stamp(self) -> datetime:
        """The generation time to print, in UTC, to the second."""
        return (self.generated_at or datetime.now(UTC)).replace(microsecond=0)
