"""The result of assessing an encounter: a public, documented JSON shape.

Every entry carries an ``id`` (the rule that produced it), a ``reason`` and ``references``,
so the screen and the PDF can always answer "why?".
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from exam_assistant.protocol import ImagingStudy, Tier, TreatmentStep, Verification

ASSESSMENT_FORMAT_VERSION = "1.0"


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Trigger(_Out):
    """A finding that made a rule fire, in words a clinician reads."""

    item: str
    label: str
    value: str


class RedFlag(_Out):
    id: str
    title: str
    tier: Tier
    action: str
    suggests: list[str]
    triggered_by: list[Trigger]
    reason: str
    references: list[str]


class ClusterResult(_Out):
    id: str
    title: str
    target: str
    positive: int
    negative: int
    not_tested: int
    total: int
    complete: bool
    positive_items: list[str]
    band: str | None = Field(description="the threshold row that applies, if any")
    interpretation: str
    lr_positive: float | None = None
    lr_negative: float | None = None
    pretest_probability: float | None = None
    pretest_source: str | None = None
    posttest_probability: float | None = None
    verification: Verification = "primary"
    called_positive: bool | None = None
    caveat: str | None = None
    reason: str
    references: list[str]


class DecisionResult(_Out):
    """A decision rule (CCR, NEXUS) or a points score (ADD-RS)."""

    id: str
    title: str
    applicable: bool
    outcome: str | None = Field(description="None while the findings it needs are missing")
    score: float | None = None
    band: str | None = None
    missing: list[str] = Field(default_factory=list)
    reason: str
    references: list[str]


class ScoreResult(_Out):
    id: str
    title: str
    value: float | None
    maximum: float
    percent: float | None = None
    band: str | None = None
    answered: int
    total: int
    note: str
    mcid: str | None = None
    references: list[str]


class LevelFinding(_Out):
    item: str
    label: str
    value: str


class Lookalike(_Out):
    condition: str
    distinguish: str
    references: list[str]


class LevelResult(_Out):
    id: str = "neuro.level"
    level: str
    side: Literal["left", "right", "bilateral"]
    supporting: list[LevelFinding]
    confidence: Literal["single finding", "consistent pattern"]
    lookalikes: list[Lookalike]
    reason: str
    references: list[str]


class Evidence(_Out):
    rule: str
    finding: str
    weight: float


class DifferentialEntry(_Out):
    id: str
    name: str
    score: float
    tier: Tier
    for_: list[Evidence] = Field(alias="for", serialization_alias="for")
    against: list[Evidence]
    reason: str
    references: list[str]

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class ImagingSuggestion(_Out):
    id: str
    title: str
    scenario: str
    first: ImagingStudy | None
    alternatives: list[ImagingStudy]
    not_appropriate: list[ImagingStudy]
    review_in_weeks: int | None
    acr_topic: str | None
    acr_version: str | None
    verification: Verification
    classes: list[str] = Field(default_factory=list, description="hold-back classes (see the pack schema)")
    reason: str
    references: list[str]


class TreatmentPathway(_Out):
    id: str
    title: str
    pathway: str
    steps: list[TreatmentStep]
    reason: str
    references: list[str]


class Contraindication(_Out):
    id: str
    item: str
    why: str
    references: list[str]


class ProtocolSuggestion(_Out):
    id: str
    protocol: str
    why: str
    classes: list[str] = Field(default_factory=list)
    references: list[str]


class HeldBack(_Out):
    """A suggestion the hold-back policy took out of the plan, with its reason and its holders."""

    id: str = Field(description="the rule that proposed it")
    title: str
    why: str
    kind: Literal["imaging", "treatment", "treatment_step", "protocol"] = "treatment"
    text: str | None = Field(default=None, description="the step, when one step of a pathway is held back")
    classes: list[str] = Field(default_factory=list)
    held_by: list[str] = Field(default_factory=list, description="red flags or suspected diagnoses holding it")
    holder_title: str = Field(default="", description="the first holder in words")
    forbidden: bool = Field(default=False, description="true when a holder forbids it outright ('do not')")


class DoNot(_Out):
    """A class of advice that must not be given while a red flag or suspected diagnosis stands."""

    advice_class: str = Field(alias="class", serialization_alias="class")
    label: str
    why: str
    held_by: str
    holder_title: str
    also_held_by: list[str] = Field(default_factory=list)
    also_held_by_titles: list[str] = Field(default_factory=list, description="the other holders in words, as also_held_by")
    withheld: list[str] = Field(default_factory=list, description="rules whose suggestions were withheld because of it")
    references: list[str]

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class OpenItem(_Out):
    item: str
    label: str


class OpenQuestion(_Out):
    """A red-flag rule still undecided, and the unanswered items that decide it."""

    rule: str
    title: str
    tier: Tier
    suggests: list[str]
    has_findings_for: bool = Field(description="some recorded finding already points towards it")
    items: list[OpenItem]


class Assessment(_Out):
    format_version: Literal["1.0"] = "1.0"
    urgency: Tier
    stop_examination: bool
    headline: str
    red_flags: list[RedFlag]
    clusters: list[ClusterResult]
    decisions: list[DecisionResult]
    scores: list[ScoreResult]
    level: LevelResult | None
    differential: list[DifferentialEntry]
    imaging: list[ImagingSuggestion]
    treatment: list[TreatmentPathway]
    contraindications: list[Contraindication]
    suggested_protocols: list[ProtocolSuggestion]
    held_back: list[HeldBack] = Field(
        default_factory=list, description="suggestions the hold-back policy took out, each with its reason and holders"
    )
    do_not: list[DoNot] = Field(default_factory=list, description="classes of advice forbidden by a red flag or suspected diagnosis")
    suspected: list[str] = Field(default_factory=list, description="diagnosis ids the hold-back policy treats as suspected")
    flags: list[str] = Field(default_factory=list, description="ids of intermediate flag rules that fired")
    open_questions: list[OpenQuestion] = Field(
        default_factory=list, description="red-flag rules still undecided and the unanswered items that decide each, most urgent first"
    )
    references: list[str] = Field(description="every reference key cited above, in order of first use")
