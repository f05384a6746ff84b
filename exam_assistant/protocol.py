"""Schema of a protocol pack: the data a clinic or author writes in YAML.

Every model is frozen and forbids unknown fields, so a typo in a pack is a load
error naming the field rather than a silently ignored setting.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from exam_assistant.advice_policy import AdvicePolicy, AnsweredBy, HoldBackPolicy, ItemTag
from exam_assistant.condition_guide import ConditionGuideEntry
from exam_assistant.conditions import Condition
from exam_assistant.exercises import Exercise

# re-exported: packs, the engine and tests import the whole schema from here
from exam_assistant.pack_evidence import ID_PATTERN as ID_PATTERN
from exam_assistant.pack_evidence import LEVELS as LEVELS
from exam_assistant.pack_evidence import PACK_SCHEMA_VERSION as PACK_SCHEMA_VERSION
from exam_assistant.pack_evidence import Evidence as Evidence
from exam_assistant.pack_evidence import Figure as Figure
from exam_assistant.pack_evidence import Reference as Reference
from exam_assistant.pack_evidence import StableId as StableId
from exam_assistant.pack_evidence import Strict as Strict
from exam_assistant.pack_evidence import Verification as Verification
from exam_assistant.rule_effects import Band as Band
from exam_assistant.rule_effects import ClusterEffect as ClusterEffect
from exam_assistant.rule_effects import ClusterItem as ClusterItem
from exam_assistant.rule_effects import ContraindicateEffect as ContraindicateEffect
from exam_assistant.rule_effects import DecisionEffect as DecisionEffect
from exam_assistant.rule_effects import DifferentialEffect as DifferentialEffect
from exam_assistant.rule_effects import Effect as Effect
from exam_assistant.rule_effects import FlagEffect as FlagEffect
from exam_assistant.rule_effects import ImagingEffect as ImagingEffect
from exam_assistant.rule_effects import ImagingStudy as ImagingStudy
from exam_assistant.rule_effects import PointCategory as PointCategory
from exam_assistant.rule_effects import PointsEffect as PointsEffect
from exam_assistant.rule_effects import RedFlagEffect as RedFlagEffect
from exam_assistant.rule_effects import Rule as Rule
from exam_assistant.rule_effects import SuggestProtocolEffect as SuggestProtocolEffect
from exam_assistant.rule_effects import Threshold as Threshold
from exam_assistant.rule_effects import TreatmentEffect as TreatmentEffect
from exam_assistant.rule_effects import TreatmentStep as TreatmentStep
from exam_assistant.tiers import TIER_ORDER as TIER_ORDER
from exam_assistant.tiers import Tier as Tier


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
