"""The encounter: patient, clinician and findings, as a public, versioned JSON format.

Holds patient-identifiable data (name, date of birth, identifier, free text). Never log it.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from exam_assistant.decision_models import Decisions

ENCOUNTER_SCHEMA_VERSION = "1.0"
MAX_NOTE_LENGTH = 20_000
MAX_SHORT_TEXT = 300


def utcnow() -> datetime:
    return datetime.now(UTC)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


ShortText = Annotated[str, Field(max_length=MAX_SHORT_TEXT)]


class Patient(_Model):
    name: Annotated[str, Field(min_length=1, max_length=MAX_SHORT_TEXT)]
    date_of_birth: date
    sex: Literal["female", "male", "other", "unknown"] = "unknown"
    identifier: ShortText | None = None

    @field_validator("name")
    @classmethod
    def _name_not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("the patient's name cannot be blank")
        return v.strip()

    @field_validator("date_of_birth")
    @classmethod
    def _plausible_birth(cls, v: date) -> date:
        today = date.today()
        if v > today:
            raise ValueError(f"date of birth {v.isoformat()} is in the future")
        if age_on(v, today) > 120:
            raise ValueError(f"date of birth {v.isoformat()} gives an age over 120 years; check the year")
        return v

    def age_on(self, when: date) -> int:
        return age_on(self.date_of_birth, when)


def age_on(born: date, when: date) -> int:
    return when.year - born.year - ((when.month, when.day) < (born.month, born.day))


class Clinician(_Model):
    name: Annotated[str, Field(min_length=1, max_length=MAX_SHORT_TEXT)]
    role: ShortText = "clinician"
    registration_number: ShortText | None = None


# ------------------------------------------------------------------ finding values

YesNoValue = Literal["yes", "no", "unknown"]
TestResult = Literal["positive", "negative", "not_tested", "could_not_complete"]
SensationGrade = Literal["normal", "reduced", "absent", "not_tested"]
ReportedBy = Literal["patient"] | None  # provenance of an answer the patient gave before the visit
_REPORTED = "'patient' when the patient answered it before the visit"
_CONFIRMED = "the clinician confirmed this pre-visit answer with the patient (it stays patient-reported)"


class _Answer(_Model):
    """A finding the patient can give before the visit: where it came from, and whether it was confirmed."""

    reported_by: ReportedBy = Field(default=None, description=_REPORTED)
    confirmed: bool = Field(default=False, description=_CONFIRMED)

    @model_validator(mode="after")
    def _confirmed_needs_patient(self) -> Self:
        if self.confirmed and self.reported_by != "patient":
            raise ValueError("only a patient-reported answer (reported_by: patient) can be confirmed")
        return self


class YesNo(_Answer):
    kind: Literal["yes_no"] = "yes_no"
    value: YesNoValue
    screen: bool = Field(
        default=False, description="answered 'no' by the all-negative screen button, not asked one by one"
    )


class SideResult(_Model):
    result: TestResult = "not_tested"
    criteria: list[str] = Field(default_factory=list, description="what was reproduced or observed")
    seconds: Annotated[float, Field(ge=0, le=600)] | None = Field(
        default=None, description="time to symptoms (e.g. Roos EAST)"
    )
    note: Annotated[str, Field(max_length=MAX_SHORT_TEXT)] | None = None

    @model_validator(mode="after")
    def _criteria_need_a_result(self) -> SideResult:
        if self.criteria and self.result == "not_tested":
            raise ValueError("a test marked 'not tested' cannot have a reproduced symptom recorded")
        return self


class SidedTest(_Model):
    kind: Literal["sided_test"] = "sided_test"
    left: SideResult = Field(default_factory=SideResult)
    right: SideResult = Field(default_factory=SideResult)


class Number(_Answer):
    kind: Literal["number"] = "number"
    value: float
    unit: ShortText | None = None


class Choice(_Answer):
    kind: Literal["choice"] = "choice"
    value: Annotated[str, Field(max_length=80)]


class MultiChoice(_Answer):
    kind: Literal["multi_choice"] = "multi_choice"
    values: list[Annotated[str, Field(max_length=80)]]


MrcGrade = Annotated[int, Field(ge=0, le=5, description="MRC grade 0 (no contraction) to 5 (normal)")]
ReflexGrade = Annotated[int, Field(ge=0, le=4, description="0 absent, 1 reduced, 2 normal, 3 brisk, 4 with clonus")]


class Mrc(_Model):
    kind: Literal["mrc"] = "mrc"
    left: MrcGrade | None = None
    right: MrcGrade | None = None


class Reflex(_Model):
    kind: Literal["reflex"] = "reflex"
    left: ReflexGrade | None = None
    right: ReflexGrade | None = None


class Sensation(_Model):
    kind: Literal["sensation"] = "sensation"
    left: SensationGrade = "not_tested"
    right: SensationGrade = "not_tested"


class Text(_Model):
    kind: Literal["text"] = "text"
    value: Annotated[str, Field(max_length=MAX_NOTE_LENGTH)]


Finding = Annotated[
    YesNo | SidedTest | Number | Choice | MultiChoice | Mrc | Reflex | Sensation | Text,
    Field(discriminator="kind"),
]


class ProtocolUse(_Model):
    id: str
    version: str
    content_hash: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


class Encounter(_Model):
    """One examination of one patient. ``findings`` are keyed by protocol item id."""

    schema_version: Literal["1.0"] = "1.0"
    id: uuid.UUID = Field(default_factory=uuid.uuid4)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    status: Literal["draft", "final"] = "draft"
    setting: Literal["primary_care", "physiotherapy", "sports", "spine_clinic", "emergency", "teaching", "other"] = (
        "primary_care"
    )
    patient: Patient
    clinician: Clinician | None = None
    chief_complaint: Annotated[str, Field(max_length=2000)] = ""
    findings: dict[str, Finding] = Field(default_factory=dict)
    protocols: list[ProtocolUse] = Field(default_factory=list)
    pretest_probabilities: dict[str, Annotated[float, Field(gt=0, lt=1)]] = Field(
        default_factory=dict, description="cluster rule id -> the clinician's pre-test probability"
    )
    notes: Annotated[str, Field(max_length=MAX_NOTE_LENGTH)] = ""
    previous_encounter_id: uuid.UUID | None = None
    finalised_at: datetime | None = None
    decisions: Decisions = Field(default_factory=Decisions, description="what the clinician decided (not findings)")

    @field_validator("created_at", "updated_at", "finalised_at")
    @classmethod
    def _aware_utc(cls, v: datetime | None) -> datetime | None:
        if v is None:
            return None
        if v.tzinfo is None:
            raise ValueError("times must carry a time zone (UTC, e.g. 2026-05-01T09:30:00Z)")
        return v.astimezone(UTC)

    @property
    def visit_date(self) -> date:
        return self.created_at.date()

    @property
    def age(self) -> int:
        return self.patient.age_on(self.visit_date)
