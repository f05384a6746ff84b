"""Schema of a protocol pack: the data a clinic or author writes in YAML.

Every model is frozen and forbids unknown fields, so a typo in a pack is a load
error naming the field rather than a silently ignored setting.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from exam_assistant.advice_policy import AdviceClass, AdvicePolicy, AnsweredBy, HoldBackPolicy, ItemTag
from exam_assistant.condition_guide import ConditionGuideEntry
from exam_assistant.conditions import Condition
from exam_assistant.exercises import Exercise
from exam_assistant.tiers import TIER_ORDER as TIER_ORDER  # re-exported: packs and engine import it from here
from exam_assistant.tiers import Tier as Tier

PACK_SCHEMA_VERSION = "1"
Verification = Literal["primary", "secondary", "unverified"]

ID_PATTERN = r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$"
LEVELS = ("C4", "C5", "C6", "C7", "C8", "T1")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


StableId = Annotated[str, Field(pattern=ID_PATTERN, max_length=80)]


class Reference(Strict):
    """A source that items, figures and rules cite by key."""

    key: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    citation: Annotated[str, Field(min_length=10)]
    year: int | None = Field(default=None, ge=1800, le=2100)
    doi: str | None = None
    url: str | None = None
    note: str | None = None
    unverified: str | None = Field(
        default=None, min_length=10,
        description="why a reader cannot locate the source by a DOI, a PubMed id or the publisher's or guideline body's page",
    )

    @model_validator(mode="after")
    def _locatable(self) -> Reference:
        if not (self.doi or self.url):
            raise ValueError(f"reference '{self.key}' needs a doi or a url so a reader can find it")
        return self


class Figure(Strict):
    """One accuracy figure: a point estimate, its confidence interval, or a range across studies.

    A bare number in YAML is accepted as the point estimate.
    """

    point: float | None = None
    ci: tuple[float, float] | None = None
    range: tuple[float, float] | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_number(cls, data: Any) -> Any:
        if isinstance(data, (int, float)) and not isinstance(data, bool):
            return {"point": data}
        return data

    @model_validator(mode="after")
    def _something(self) -> Figure:
        if self.point is None and self.ci is None and self.range is None:
            raise ValueError("a figure needs a point, a ci or a range")
        for pair in (self.ci, self.range):
            if pair is not None and pair[0] > pair[1]:
                raise ValueError(f"interval {pair} has its low end above its high end")
        return self

    def text(self, percent: bool = False) -> str:
        def fmt(x: float) -> str:
            return f"{x * 100:.0f}%" if percent else f"{x:g}"

        parts: list[str] = []
        if self.point is not None:
            parts.append(fmt(self.point))
        if self.ci is not None:
            parts.append(f"(95% CI {fmt(self.ci[0])}–{fmt(self.ci[1])})")
        if self.range is not None:
            parts.append(f"range {fmt(self.range[0])}–{fmt(self.range[1])}")
        return " ".join(parts)


class Evidence(Strict):
    """Diagnostic accuracy of one item for one target condition, from one source or review."""

    target: str
    sensitivity: Figure | None = None
    specificity: Figure | None = None
    lr_positive: Figure | None = None
    lr_negative: Figure | None = None
    population: str
    reference_standard: str | None = None
    verification: Verification
    note: str | None = None
    references: Annotated[list[str], Field(min_length=1)]

    @model_validator(mode="after")
    def _has_a_figure(self) -> Evidence:
        if not any((self.sensitivity, self.specificity, self.lr_positive, self.lr_negative)):
            raise ValueError("evidence needs at least one of sensitivity, specificity, lr_positive, lr_negative")
        for name in ("sensitivity", "specificity"):
            fig = getattr(self, name)
            if fig is not None:
                for v in (fig.point, *(fig.ci or ()), *(fig.range or ())):
                    if v is not None and not 0 <= v <= 1:
                        raise ValueError(f"{name} must be a proportion between 0 and 1, got {v}")
        return self


class Option(Strict):
    value: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    label: str
    score: float | None = None


class Criterion(Strict):
    """What was observed when a test was called positive (e.g. arm pain reproduced, pulse change)."""

    value: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    label: str
    counts_as_positive: bool = True
    symptom_based: bool = True


AnswerType = Literal[
    "yes_no",  # yes / no / unknown
    "sided_test",  # left and right: positive / negative / not tested / could not complete
    "number",
    "choice",
    "multi_choice",
    "mrc",  # sided MRC 0-5
    "reflex",  # sided reflex 0-4
    "sensation",  # sided normal / reduced / absent
    "text",
]


class Item(Strict):
    """One question, test, measurement or score item."""

    id: StableId
    kind: Literal["question", "test", "measurement", "score_item", "sign"]
    answer: AnswerType
    label: str
    prompt: str | None = None
    patient_prompt: str | None = Field(
        default=None, description="plain-language wording for the patient's own questionnaire (reading ease 60+)"
    )
    technique: str | None = None
    positive_when: str | None = None
    criteria: list[Criterion] = Field(default_factory=list)
    options: list[Option] = Field(default_factory=list)
    unit: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    integer: bool = False
    max_length: int = Field(default=2000, ge=1, le=20000)
    level: Literal["C4", "C5", "C6", "C7", "C8", "T1"] | None = None
    modality: Literal["sensation", "power", "reflex"] | None = None
    evidence: list[Evidence] = Field(default_factory=list)
    references: list[str] = Field(default_factory=list)
    notes: str | None = None
    tags: list[ItemTag] = Field(
        default_factory=list, description="what the test does to the patient; red flags forbid tests by tag"
    )
    answered_by: AnsweredBy | None = Field(
        default=None, description="who supplies the answer; default: questions and score items the patient, the rest the examination"
    )
    follow_up_of: StableId | None = Field(
        default=None,
        description="a follow-up question: shown only while this earlier item of the same pack has one of the "
        "answers in 'shown_when' (e.g. the type of cancer after 'cancer: yes'); changing that answer clears it",
    )
    shown_when: list[str] | None = Field(
        default=None, min_length=1,
        description="the parent's answers that show this follow-up: 'yes' by default for a yes/no parent, "
        "'positive' for a sided test (either side), option values for a choice or multi-choice parent (required)",
    )
    normal_answer: Literal["yes", "no"] | None = Field(
        default="no",
        description="yes/no items: the answer of a normal examination or an all-negative screen, which the "
        "'normal' and 'No' shortcuts fill and a folded all-clear section shows; null when no answer is normal",
    )

    @property
    def source(self) -> AnsweredBy:
        """Who answers this item: the bulk "no" button only ever answers for the patient."""
        if self.answered_by is not None:
            return self.answered_by
        return "patient" if self.kind in ("question", "score_item") else "examination"

    @model_validator(mode="after")
    def _consistent(self) -> Item:
        if self.answer in ("choice", "multi_choice") and not self.options:
            raise ValueError(f"item '{self.id}' is a {self.answer} and needs options")
        if self.answer == "number" and (self.minimum is None or self.maximum is None):
            raise ValueError(f"item '{self.id}' is a number and needs minimum and maximum")
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            raise ValueError(f"item '{self.id}': minimum is above maximum")
        if self.criteria and self.answer != "sided_test":
            raise ValueError(f"item '{self.id}': criteria belong to sided_test items only")
        if self.kind == "test" and not self.technique:
            raise ValueError(f"test '{self.id}' needs a technique (how to perform it)")
        if self.kind == "test" and not self.positive_when:
            raise ValueError(f"test '{self.id}' needs positive_when (what counts as positive)")
        values = [o.value for o in self.options]
        if len(values) != len(set(values)):
            raise ValueError(f"item '{self.id}' repeats an option value")
        if self.shown_when is not None and self.follow_up_of is None:
            raise ValueError(f"item '{self.id}': shown_when belongs to a follow-up (give follow_up_of)")
        if self.follow_up_of == self.id:
            raise ValueError(f"item '{self.id}' cannot be a follow-up of itself")
        if "normal_answer" in self.model_fields_set and self.answer != "yes_no":
            raise ValueError(f"item '{self.id}': normal_answer belongs to yes/no items")
        return self

    @property
    def sided(self) -> bool:
        return self.answer in ("sided_test", "mrc", "reflex", "sensation")


class Section(Strict):
    id: StableId
    title: str
    description: str | None = None
    items: Annotated[list[Item], Field(min_length=1)]


RankGroup = Literal["structural", "red_flag"]


class Diagnosis(Strict):
    """A condition the differential can rank."""

    id: StableId
    name: str
    default_tier: Tier = "ROUTINE"
    prior: float = Field(default=0.0, description="baseline weight before findings; higher = commoner")
    description: str
    references: Annotated[list[str], Field(min_length=1)]
    suspected_from: float | None = Field(
        default=None,
        description="differential score from which the diagnosis counts as suspected for the hold-back policy "
        "(a design weight); without it only a raised red flag that suggests it makes it suspected",
    )
    policy: AdvicePolicy | None = Field(default=None, description="what a suspected diagnosis holds back or forbids")
    structural: bool = Field(
        default=False,
        description="a lesion of an identifiable structure (disc, nerve root or ganglion, cord, bone, joint, nerve, "
        "vessel); a diagnosis with ranks_below: [structural] is listed under it",
    )
    ranks_below: list[RankGroup] = Field(
        default_factory=list,
        description="'structural' (diagnoses marked structural) or 'red_flag' (diagnoses a raised red flag suggests, "
        "or that the hold-back policy treats as suspected): whenever one is in the differential it is listed above "
        "this diagnosis, whatever the scores (fibromyalgia never leads a structural or red-flag cause)",
    )


# ---------------------------------------------------------------- rule effects


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


class ScoreDefinition(Strict):
    """An outcome score computed from score items by a named, documented method."""

    id: StableId
    title: str
    method: Literal["nprs", "ndi", "quickdash"]
    items: Annotated[list[str], Field(min_length=1)]
    bands: list[Band] = Field(default_factory=list)
    mcid: str | None = None
    min_answered: int = Field(ge=1, description="the score is computed only with at least this many items answered")
    missing_rule: str
    licence: str
    item_text_included: bool
    references: Annotated[list[str], Field(min_length=1)]

    @model_validator(mode="after")
    def _reachable(self) -> ScoreDefinition:
        if self.min_answered > len(self.items):
            raise ValueError(f"min_answered {self.min_answered} is more than the {len(self.items)} items")
        return self


class Lookalike(Strict):
    """A peripheral condition that mimics a root level, and how to tell them apart."""

    level: Literal["C4", "C5", "C6", "C7", "C8", "T1"]
    condition: str
    distinguish: str
    references: Annotated[list[str], Field(min_length=1)]


class ProtocolPack(Strict):
    """One protocol pack: a YAML file the library discovers and validates."""

    schema_version: Literal["1"]
    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    title: str
    version: Annotated[str, Field(pattern=r"^\d+\.\d+(\.\d+)?$")]
    kind: Literal["history", "screening", "examination", "scores", "assessment", "cases", "conditions"]
    description: str
    authors: Annotated[list[str], Field(min_length=1)]
    reviewers: list[str] = Field(default_factory=list, description="clinical reviewers; empty means not yet reviewed")
    licence: str
    order: int = Field(default=100, description="where the pack sits in the examination flow")
    suggested_when: Condition | None = None
    hold_back: HoldBackPolicy | None = Field(
        default=None, description="what any red flag of a tier holds back; packs add to each other, never remove"
    )
    references: list[Reference] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    diagnoses: list[Diagnosis] = Field(default_factory=list)
    rules: list[Rule] = Field(default_factory=list)
    scores: list[ScoreDefinition] = Field(default_factory=list)
    lookalikes: list[Lookalike] = Field(default_factory=list)
    conditions: list[ConditionGuideEntry] = Field(default_factory=list, description="condition guide entries")
    exercises: list[Exercise] = Field(default_factory=list, description="home exercises guide entries may give")

    @field_validator("references")
    @classmethod
    def _unique_refs(cls, refs: list[Reference]) -> list[Reference]:
        seen: set[str] = set()
        for r in refs:
            if r.key in seen:
                raise ValueError(f"reference key '{r.key}' appears twice")
            seen.add(r.key)
        return refs

    def items(self) -> list[Item]:
        return [item for section in self.sections for item in section.items]


def is_stable_id(value: str) -> bool:
    return re.fullmatch(ID_PATTERN, value) is not None
