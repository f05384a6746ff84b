"""Schema of a practice case: a simulated patient written in YAML under ``<folder>/cases/``.

A case holds no real patient data: an age, a sex and invented findings. Findings use the
Encounter finding format and are keyed by the protocol library's item ids, so the same packs
that guide the clinic simulate the patient and compute what the evidence says.
Every model is frozen and forbids unknown fields, like the protocol pack schema.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from exam_assistant.models import Finding
from exam_assistant.practice.choices import (
    GLOBAL_RATINGS,
    CaseLevel,
    Domain,
    Effect,
    GlobalRating,
    ImagingChoice,
    PlanChoice,
    RootLevel,
    Side,
)
from exam_assistant.protocol import ID_PATTERN

CASE_SCHEMA_VERSION = "1"
CASE_ID_PATTERN = r"^[a-z][a-z0-9_]*$"
# An item id, or a pattern ending in '*' that matches every item id starting with the prefix.
ITEM_OR_PATTERN = r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*(\.\*)?$"

ItemId = Annotated[str, Field(pattern=ID_PATTERN, max_length=80)]
Words = Annotated[str, Field(min_length=3, max_length=2000)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CasePatient(_Strict):
    """The simulated patient: age and sex only."""

    age: Annotated[int, Field(ge=16, le=100)]
    sex: Literal["female", "male"]


class UnsafeAction(_Strict):
    item: ItemId
    why: Annotated[str, Field(min_length=10)]


class KeyActions(_Strict):
    """What a competent student does in this case, and what they must not do."""

    must_ask: list[ItemId] = Field(default_factory=list, description="history questions that must be asked")
    must_do: list[ItemId] = Field(default_factory=list, description="tests that must be performed")
    reasonable: list[Annotated[str, Field(pattern=ITEM_OR_PATTERN)]] = Field(
        default_factory=list,
        description="further tests that cost nothing; 'neuro.*' matches every neuro item",
    )
    unsafe: list[UnsafeAction] = Field(default_factory=list, description="tests that are unsafe in this case")

    @model_validator(mode="after")
    def _unsafe_not_required(self) -> KeyActions:
        clash = {u.item for u in self.unsafe} & set(self.must_do)
        if clash:
            raise ValueError(f"{', '.join(sorted(clash))} cannot be both required and unsafe")
        return self


class Interpretation(_Strict):
    """A key test whose result and meaning the student must state.

    The expected result is read from the case's findings on ``side`` (default: the case's
    symptomatic side); the expected effect from the library's evidence for ``target`` unless
    the case gives one.
    """

    item: ItemId
    side: Literal["left", "right", "any"] | None = None
    target: ItemId | None = Field(default=None, description="diagnosis id; default: the item's first evidence target")
    effect: Effect | None = Field(default=None, description="only when the library has no figure to derive it from")


class ChoiceExpectation(_Strict):
    why: Words


class ImagingExpectation(ChoiceExpectation):
    correct: Annotated[list[ImagingChoice], Field(min_length=1)]
    acceptable: list[ImagingChoice] = Field(default_factory=list)
    unsafe: list[ImagingChoice] = Field(default_factory=list, description="choices that would harm or delay care")


class PlanExpectation(ChoiceExpectation):
    required: Annotated[list[PlanChoice], Field(min_length=1)]
    acceptable: list[PlanChoice] = Field(default_factory=list)
    unsafe: list[PlanChoice] = Field(default_factory=list)


class Expected(_Strict):
    """The answers a competent student commits to."""

    red_flags: list[ItemId] = Field(default_factory=list, description="red-flag rule ids; empty: none present")
    diagnosis: ItemId
    differential: list[ItemId] = Field(default_factory=list, description="acceptable alternatives to name")
    level: RootLevel = "none"
    side: Side = Field(description="the symptomatic side (also the side of the level, if any)")
    interpretations: list[Interpretation] = Field(default_factory=list)
    imaging: ImagingExpectation
    plan: PlanExpectation

    @model_validator(mode="after")
    def _consistent(self) -> Expected:
        if set(self.imaging.correct) & set(self.imaging.unsafe):
            raise ValueError("imaging: a choice cannot be both correct and unsafe")
        if set(self.plan.required) & set(self.plan.unsafe):
            raise ValueError("plan: a choice cannot be both required and unsafe")
        if self.diagnosis in self.differential:
            raise ValueError("the most likely diagnosis should not be repeated in the differential")
        return self


# ------------------------------------------------------------------ checklist checks


class AskedCheck(_Strict):
    check: Literal["asked"]
    items: Annotated[list[ItemId], Field(min_length=1)]
    at_least: int | None = Field(default=None, ge=1, description="default: all of them")


class PerformedCheck(_Strict):
    check: Literal["performed"]
    items: Annotated[list[ItemId], Field(min_length=1)]
    at_least: int | None = Field(default=None, ge=1)


class AvoidedCheck(_Strict):
    check: Literal["avoided"]
    items: Annotated[list[ItemId], Field(min_length=1)]


class InterpretedCheck(_Strict):
    check: Literal["interpreted"]
    item: ItemId


class RedFlagsCheck(_Strict):
    check: Literal["red_flags"]


class DiagnosisCheck(_Strict):
    check: Literal["diagnosis"]


class DifferentialCheck(_Strict):
    check: Literal["differential"]
    at_least: int = Field(default=1, ge=1)


class LevelCheck(_Strict):
    check: Literal["level"]


class ImagingCheck(_Strict):
    check: Literal["imaging"]


class PlanCheck(_Strict):
    check: Literal["plan"]


Check = Annotated[
    AskedCheck
    | PerformedCheck
    | AvoidedCheck
    | InterpretedCheck
    | RedFlagsCheck
    | DiagnosisCheck
    | DifferentialCheck
    | LevelCheck
    | ImagingCheck
    | PlanCheck,
    Field(discriminator="check"),
]


class ChecklistItem(_Strict):
    """One line of the OSCE mark sheet."""

    id: Annotated[str, Field(pattern=CASE_ID_PATTERN, max_length=60)]
    text: Words
    domain: Domain
    points: Annotated[float, Field(gt=0, le=20)]
    check: Check
    critical: bool = Field(default=False, description="missing it caps the global rating at borderline")
    teaching: str | None = Field(default=None, description="the teaching point shown when it is missed")
    references: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _at_least_fits(self) -> ChecklistItem:
        chk = self.check
        if isinstance(chk, (AskedCheck, PerformedCheck)) and chk.at_least and chk.at_least > len(chk.items):
            raise ValueError(f"at_least {chk.at_least} of {len(chk.items)} items can never be met")
        return self


class Penalties(_Strict):
    unsafe_test: Annotated[float, Field(ge=0, le=20)] = 3.0
    unnecessary_test: Annotated[float, Field(ge=0, le=5)] = 0.5
    unnecessary_cap: Annotated[float, Field(ge=0, le=20)] = 3.0


class RatingBand(_Strict):
    at_least: Annotated[float, Field(ge=0, le=100, description="percent of the checklist")]
    rating: GlobalRating


DEFAULT_BANDS = (
    RatingBand(at_least=85, rating="excellent"),
    RatingBand(at_least=70, rating="good"),
    RatingBand(at_least=55, rating="clear_pass"),
    RatingBand(at_least=40, rating="borderline"),
    RatingBand(at_least=0, rating="clear_fail"),
)


class MarkingScheme(_Strict):
    checklist: Annotated[list[ChecklistItem], Field(min_length=1)]
    penalties: Penalties = Field(default_factory=Penalties)
    rating_bands: list[RatingBand] = Field(default_factory=lambda: list(DEFAULT_BANDS))

    @model_validator(mode="after")
    def _checks(self) -> MarkingScheme:
        ids = [c.id for c in self.checklist]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"checklist id(s) used twice: {', '.join(dupes)}")
        if not any(b.at_least == 0 for b in self.rating_bands):
            raise ValueError("rating_bands needs a band starting at 0 so every score has a rating")
        order = [GLOBAL_RATINGS.index(b.rating) for b in sorted(self.rating_bands, key=lambda b: b.at_least)]
        if order != sorted(order):
            raise ValueError("rating_bands must rise with the percentage")
        return self


class Case(_Strict):
    """One simulated patient and its OSCE mark sheet."""

    schema_version: Literal["1"]
    id: Annotated[str, Field(pattern=CASE_ID_PATTERN, max_length=80)]
    title: Annotated[str, Field(min_length=3, max_length=120)]
    level: CaseLevel
    presenting_complaint: Words
    patient: CasePatient
    setting: Literal["primary_care", "physiotherapy", "sports", "spine_clinic", "emergency"] = "primary_care"
    time_limit_minutes: Annotated[int, Field(ge=2, le=60)] = 10
    findings: dict[ItemId, Finding] = Field(min_length=1)
    responses: dict[ItemId, Annotated[str, Field(min_length=1, max_length=600)]] = Field(
        default_factory=dict, description="what the patient says or the examiner sees, in plain words"
    )
    default_response: str = "Nothing remarkable."
    hints: list[Words] = Field(default_factory=list)
    key_actions: KeyActions
    expected: Expected
    marking: MarkingScheme
    references: Annotated[list[str], Field(min_length=1)]
    authors: list[str] = Field(default_factory=list)
    reviewers: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _interpreted_are_expected(self) -> Case:
        expected = {i.item for i in self.expected.interpretations}
        for entry in self.marking.checklist:
            if isinstance(entry.check, InterpretedCheck) and entry.check.item not in expected:
                raise ValueError(
                    f"checklist '{entry.id}' marks the interpretation of '{entry.check.item}', "
                    "which expected.interpretations does not list"
                )
        return self

    @property
    def maximum(self) -> float:
        return sum(c.points for c in self.marking.checklist)


def matches(pattern: str, item_id: str) -> bool:
    """True when ``item_id`` is ``pattern`` or starts with the prefix of a ``prefix.*`` pattern."""
    if pattern.endswith(".*"):
        return item_id.startswith(pattern[:-1])
    return item_id == pattern


def is_case_id(value: str) -> bool:
    return re.fullmatch(CASE_ID_PATTERN, value) is not None
