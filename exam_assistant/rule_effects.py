"""A pack's rules: a condition on the findings and the effect it has when true (a red flag, a
cluster, a decision rule, points, a differential weight, imaging, treatment, a suggested
protocol, a contraindication, an intermediate flag)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from exam_assistant.advice_policy import AdviceClass, AdvicePolicy, ItemTag
from exam_assistant.conditions import Condition
from exam_assistant.pack_evidence import Figure, StableId, Strict, Verification
from exam_assistant.tiers import TIER_ORDER as TIER_ORDER
from exam_assistant.tiers import Tier as Tier


class RedFlagEffect(Strict):
    type: Literal["red_flag"]
    tier: Tier
    action: str
    suggests: list[str] = Field(default_factory=list, description="diagnosis ids")
    policy: AdvicePolicy | None = Field(default=None, description="what this flag holds back or forbids, beyond its tier")


class Threshold(Strict):
    """One band of a cluster: how many items positive, and what that is worth."""

    at_least: int | None = Field(default=None, ge=0)
    at_most: int | None = Field(default=None, ge=0)
    label: str
    lr_positive: Figure | None = None
    lr_negative: Figure | None = None
    interpretation: str
    verification: Verification = "primary"

    @model_validator(mode="after")
    def _bounded(self) -> Threshold:
        if self.at_least is None and self.at_most is None:
            raise ValueError("a threshold needs at_least or at_most")
        return self


class ClusterItem(Strict):
    label: str
    when: Condition
    tested: Condition | None = Field(
        default=None,
        description="true when the item was actually tested; without it, the items named in 'when' must be answered",
    )


class ClusterEffect(Strict):
    """A validated test-item cluster: counts positive items, maps the count to a likelihood ratio."""

    type: Literal["cluster"]
    target: str
    items: Annotated[list[ClusterItem], Field(min_length=1)]
    thresholds: Annotated[list[Threshold], Field(min_length=1)]
    pretest_probability: float | None = Field(default=None, gt=0, lt=1)
    pretest_source: str | None = None
    caveat: str | None = None
    positive_from: int | None = Field(default=None, ge=1, description="count from which the cluster is called positive")
    positive_when: Condition | None = Field(
        default=None, description="when the published rule is not a plain count (e.g. TOS: 2 with pain OR 3 with any symptom)"
    )


class DecisionEffect(Strict):
    """A computed decision rule (Canadian C-spine, NEXUS): an outcome when 'when' holds."""

    type: Literal["decision"]
    outcome: str
    otherwise: str | None = None
    applies_when: Condition | None = None
    not_applicable: str | None = None


class PointCategory(Strict):
    label: str
    when: Condition


class Band(Strict):
    minimum: float
    maximum: float
    label: str


class PointsEffect(Strict):
    """A points score: one point per category whose condition holds (ADD-RS)."""

    type: Literal["points"]
    categories: Annotated[list[PointCategory], Field(min_length=1)]
    bands: Annotated[list[Band], Field(min_length=1)]


class DifferentialEffect(Strict):
    type: Literal["differential"]
    diagnosis: str
    weight: float = Field(description="positive: finding for; negative: finding against")
    finding: str = Field(description="the finding in plain words, shown under 'for' or 'against'")
    supporting: bool = Field(
        default=False,
        description="a risk factor or non-specific feature (diabetes for spinal infection, pain on straining for "
        "metastasis): its weight counts once another finding or a red flag puts the diagnosis on the list, but "
        "alone it never does",
    )


class ImagingStudy(Strict):
    study: str
    appropriateness: Literal["usually appropriate", "may be appropriate", "usually not appropriate", "not imaging"]
    radiation: Literal["none", "low", "medium", "high"] | None = None
    why: str | None = None


class ImagingEffect(Strict):
    type: Literal["imaging"]
    scenario: str
    first: ImagingStudy | None = Field(default=None, description="None means no imaging now")
    alternatives: list[ImagingStudy] = Field(default_factory=list)
    not_appropriate: list[ImagingStudy] = Field(default_factory=list)
    review_in_weeks: int | None = Field(default=None, ge=0, le=52)
    acr_topic: str | None = None
    acr_version: str | None = None
    verification: Verification = "primary"
    priority: int = Field(default=50, description="lower comes first")
    classes: Annotated[list[AdviceClass], Field(min_length=1, description="hold-back classes of this suggestion")]

    @model_validator(mode="after")
    def _says_something(self) -> ImagingEffect:
        if self.first is None and self.review_in_weeks is None:
            raise ValueError("'no imaging now' needs review_in_weeks")
        return self


class TreatmentStep(Strict):
    stage: Literal["emergency", "self_care", "analgesia", "physiotherapy", "review", "escalation", "referral", "safety_net"]
    text: str
    cautions: list[str] = Field(default_factory=list)
    review_in_weeks: int | None = Field(default=None, ge=0, le=104)
    verification: Verification = "primary"
    classes: list[AdviceClass] = Field(default_factory=list, description="hold-back classes of this step, added to the pathway's")


class TreatmentEffect(Strict):
    type: Literal["treatment"]
    pathway: str
    steps: Annotated[list[TreatmentStep], Field(min_length=1)]
    priority: int = 50
    classes: list[AdviceClass] = Field(default_factory=list, description="hold-back classes of every step")

    @model_validator(mode="after")
    def _every_step_classified(self) -> TreatmentEffect:
        for i, step in enumerate(self.steps):
            if not (self.classes or step.classes):
                raise ValueError(f"step {i + 1} has no hold-back class: give the pathway or the step 'classes'")
        return self


class SuggestProtocolEffect(Strict):
    type: Literal["suggest_protocol"]
    protocol: str
    why: str
    classes: list[AdviceClass] = Field(default_factory=list, description="hold-back classes (e.g. neck_loading_test)")


class ContraindicateEffect(Strict):
    type: Literal["contraindicate"]
    items: list[str] = Field(default_factory=list, description="item ids; prefer tags, which also cover clinic packs")
    tags: list[ItemTag] = Field(default_factory=list, description="every item carrying one of these tags")
    why: str

    @model_validator(mode="after")
    def _names_something(self) -> ContraindicateEffect:
        if not (self.items or self.tags):
            raise ValueError("a contraindication needs items or tags")
        return self


class FlagEffect(Strict):
    """A named intermediate finding other rules can refer to (e.g. 'myelopathy cluster positive')."""

    type: Literal["flag"]
    label: str


Effect = Annotated[
    RedFlagEffect
    | ClusterEffect
    | DecisionEffect
    | PointsEffect
    | DifferentialEffect
    | ImagingEffect
    | TreatmentEffect
    | SuggestProtocolEffect
    | ContraindicateEffect
    | FlagEffect,
    Field(discriminator="type"),
]


class Rule(Strict):
    id: StableId
    title: str
    when: Condition
    effect: Effect
    reason: Annotated[str, Field(min_length=5)]
    references: Annotated[list[str], Field(min_length=1)]
