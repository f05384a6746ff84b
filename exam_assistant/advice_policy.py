"""The hold-back vocabulary: classes of advice, tags of tests, and the policies packs declare.

Rules propose recommendations; one policy, applied after every rule has fired
(:mod:`exam_assistant.engine.policy`), decides which of them stay visible. Packs never list the
ids of the recommendations a red flag must silence: they name *classes* (``traction``,
``antithrombotic``) and test *tags* (``neck_compression``), so a clinic pack's new traction step
or neck-loading test is held back by the built-in flags without anyone editing them.
"""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, model_validator

from exam_assistant.tiers import Tier

AdviceClass = Literal[
    "urgent_action",
    "reassurance",
    "conservative_only",
    "delay_to_review",
    "routine_imaging",
    "spinal_imaging",
    "routine_advice",
    "exercise",
    "manual_therapy",
    "traction",
    "neck_loading_test",
    "antithrombotic",
    "nsaid",
    "opioid",
    "analgesia",
    "corticosteroid",
    "other_medication",
    "spinal_injection",
    "specialist_referral",
]

ADVICE_CLASSES: dict[str, str] = {
    "urgent_action": "The action a red flag calls for: emergency transfer, same-day or urgent referral or investigation. Never held back by a tier.",
    "reassurance": "Says or implies the problem is benign or self-limiting.",
    "conservative_only": "A plan that treats the problem as benign and musculoskeletal (self-care, activity, physiotherapy) in place of investigation.",
    "delay_to_review": "Waiting: 'no imaging now', review in some weeks, a trial of time.",
    "routine_imaging": "Imaging or nerve studies on an elective timescale for a benign working diagnosis.",
    "spinal_imaging": "Imaging of the spine itself (radiographs, CT or MRI of any spinal region), whatever its urgency.",
    "routine_advice": "General advice for a patient who goes home (safety-net leaflet, review if not improving).",
    "exercise": "Active exercise, loading or graded activity programmes.",
    "manual_therapy": "Manipulation, mobilisation, massage or other hands-on treatment of the spine.",
    "traction": "Mechanical or manual cervical traction.",
    "neck_loading_test": "A suggestion to perform provocative tests that load, move or stretch the neck.",
    "antithrombotic": "Antiplatelet, anticoagulant or thrombolytic drugs (aspirin, heparin, DOACs, thrombolysis).",
    "nsaid": "Non-steroidal anti-inflammatory drugs.",
    "opioid": "Opioid analgesics.",
    "analgesia": "Simple analgesia (paracetamol) or analgesia in general.",
    "corticosteroid": "Systemic corticosteroids.",
    "other_medication": "Any other medicine (antivirals, neuropathic pain drugs, benzodiazepines).",
    "spinal_injection": "Epidural, facet or other spinal injections.",
    "specialist_referral": "Routine referral to a specialist, pain service or surgeon.",
}

# What follows "Do not ..." on screen and in the note; the descriptions above are for pack authors.
ADVICE_LABELS: dict[str, str] = {
    "urgent_action": "delay the urgent action",
    "reassurance": "reassure that it is benign",
    "conservative_only": "start a conservative-only plan",
    "delay_to_review": "wait for a routine review",
    "routine_imaging": "order elective imaging",
    "spinal_imaging": "order spinal imaging",
    "routine_advice": "give routine advice instead",
    "exercise": "start an exercise programme",
    "manual_therapy": "manipulate or mobilise the spine",
    "traction": "apply traction",
    "neck_loading_test": "run provocative neck tests",
    "antithrombotic": "give antithrombotics (aspirin, heparin, thrombolysis)",
    "nsaid": "give NSAIDs",
    "opioid": "give opioids",
    "analgesia": "give analgesics",
    "corticosteroid": "give corticosteroids",
    "other_medication": "give other medicines",
    "spinal_injection": "give spinal injections",
    "specialist_referral": "refer routinely",
}

ItemTag = Literal[
    "neck_compression",
    "neck_rotation",
    "neck_extension",
    "neck_flexion",
    "neck_distraction",
    "neural_tension",
    "valsalva",
    "arm_elevation",
    "vascular_compression",
]

ITEM_TAGS: dict[str, str] = {
    "neck_compression": "Axial load through the head or neck (Spurling's, foraminal compression).",
    "neck_rotation": "Active or passive neck rotation towards end range.",
    "neck_extension": "Neck extension, alone or combined with rotation (extension-rotation, Adson's).",
    "neck_flexion": "Sustained or passive neck flexion (Lhermitte's sign).",
    "neck_distraction": "Lifting or distracting the head (distraction test).",
    "neural_tension": "Tensioning the brachial plexus, with or without neck side-bending (ULTT A, Elvey's).",
    "valsalva": "Bearing down against a closed glottis, raising intrathoracic and intrathecal pressure.",
    "arm_elevation": "Sustained arm elevation or exercise with the arms raised (Roos/EAST, hyperabduction).",
    "vascular_compression": "A manoeuvre that compresses the subclavian vessels (Adson's, costoclavicular, Wright's).",
}

AnsweredBy = Literal["patient", "examination", "clinician", "laboratory"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Forbid(_Strict):
    """A class of advice that must not be given while the holder stands: shown as 'do not ...'."""

    advice: AdviceClass = Field(alias="class", serialization_alias="class")
    why: Annotated[str, Field(min_length=5)]

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class TestBan(_Strict):
    """Tests that must not be performed while the holder stands, named by tag."""

    tags: Annotated[list[ItemTag], Field(min_length=1)]
    why: Annotated[str, Field(min_length=5)]


class AdvicePolicy(_Strict):
    """What a red flag or a suspected diagnosis does to the rest of the plan."""

    # the vocabulary travels with the schema, so a pack author's editor shows what each class means
    model_config = ConfigDict(
        extra="forbid", frozen=True,
        json_schema_extra={"x-advice-classes": dict(ADVICE_CLASSES), "x-test-tags": dict(ITEM_TAGS)},
    )

    suppresses: list[AdviceClass] = Field(
        default_factory=list, description="classes held back (listed with the reason, never dropped)"
    )
    forbids: list[Forbid] = Field(default_factory=list, description="classes shown only as 'do not ...'")
    forbids_tests: TestBan | None = Field(default=None, description="tests greyed out with the reason")

    @model_validator(mode="after")
    def _no_repeats(self) -> AdvicePolicy:
        forbidden = [f.advice for f in self.forbids]
        if len(forbidden) != len(set(forbidden)):
            raise ValueError("a class is forbidden twice in one policy")
        return self


class TierDefault(_Strict):
    tier: Tier
    suppresses: Annotated[list[AdviceClass], Field(min_length=1)]
    why: Annotated[str, Field(min_length=5)]


class HoldBackPolicy(_Strict):
    """Pack-level defaults: what any red flag of a tier holds back. Packs add, never remove."""

    tier_defaults: Annotated[list[TierDefault], Field(min_length=1)]
    references: Annotated[list[str], Field(min_length=1)]


def vocabularies_are_documented() -> bool:
    """True when every class and tag in the Literal types has its description (checked by a test)."""
    classes = set(get_args(AdviceClass))
    return classes == set(ADVICE_CLASSES) == set(ADVICE_LABELS) and set(get_args(ItemTag)) == set(ITEM_TAGS)
