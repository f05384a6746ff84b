"""What a test result is worth, read from the library: likelihood ratios, post-test probabilities.

Every figure comes from an item's ``evidence`` or a cluster rule in the protocol packs; nothing
here is a clinical number of its own. A likelihood ratio missing from the pack is calculated
from the pack's sensitivity and specificity, and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from exam_assistant.engine.evaluate import effective_positive
from exam_assistant.engine.probability import post_test_probability
from exam_assistant.library import Library
from exam_assistant.models import Finding, Mrc, Reflex, Sensation, SidedTest, YesNo
from exam_assistant.practice.case import Interpretation
from exam_assistant.practice.choices import LR_LOWERS_BELOW, LR_RAISES_FROM, Effect
from exam_assistant.protocol import ClusterEffect, Evidence, Item

Result = Literal["positive", "negative"]


@dataclass(frozen=True)
class LikelihoodRatio:
    value: float
    calculated: bool  # True: from sensitivity and specificity, not a published LR
    evidence: Evidence


@dataclass(frozen=True)
class Pretest:
    probability: float
    rule_id: str
    source: str | None


def interpretation_target(interp: Interpretation, item: Item, case_diagnosis: str) -> str:
    """The diagnosis an interpretation is about: given, else the item's first evidence target."""
    if interp.target:
        return interp.target
    if item.evidence:
        return item.evidence[0].target
    return case_diagnosis


def result_on(finding: Finding | None, item: Item | None, side: str) -> Result | None:
    """The finding read as positive (abnormal) or negative (normal) on a side; None if not tested."""
    if finding is None:
        return None
    if isinstance(finding, YesNo):
        return {"yes": "positive", "no": "negative"}.get(finding.value)  # type: ignore[return-value]
    sides = ("left", "right") if side == "any" else (side,)
    values: list[bool] = []
    for s in sides:
        if isinstance(finding, SidedTest):
            res = getattr(finding, s)
            if res.result in ("positive", "negative"):
                values.append(effective_positive(res, item))
        elif isinstance(finding, Mrc):
            grade = getattr(finding, s)
            if grade is not None:
                values.append(grade < 5)
        elif isinstance(finding, Reflex):
            grade = getattr(finding, s)
            if grade is not None:
                values.append(grade != 2)
        elif isinstance(finding, Sensation):
            grade = getattr(finding, s)
            if grade != "not_tested":
                values.append(grade != "normal")
    if not values:
        return None
    return "positive" if any(values) else "negative"


def likelihood_ratio(item: Item, target: str, result: Result) -> LikelihoodRatio | None:
    """The first published LR for this result and target; else one calculated from sens/spec points."""
    entries = [e for e in item.evidence if e.target == target]
    for ev in entries:
        fig = ev.lr_positive if result == "positive" else ev.lr_negative
        if fig is not None and fig.point is not None:
            return LikelihoodRatio(fig.point, False, ev)
    for ev in entries:
        sens = ev.sensitivity.point if ev.sensitivity else None
        spec = ev.specificity.point if ev.specificity else None
        if sens is None or spec is None:
            continue
        if result == "positive" and spec < 1:
            return LikelihoodRatio(round(sens / (1 - spec), 2), True, ev)
        if result == "negative" and spec > 0:
            return LikelihoodRatio(round((1 - sens) / spec, 2), True, ev)
    return None


def effect_of(lr: float) -> Effect:
    if lr >= LR_RAISES_FROM:
        return "raises"
    if lr <= LR_LOWERS_BELOW:
        return "lowers"
    return "little_change"


def derived_effect(item: Item, target: str, finding: Finding | None, side: str) -> Effect | None:
    """What the case's finding does to the probability of ``target``, from the library's figures."""
    result = result_on(finding, item, side)
    if result is None:
        return None
    lr = likelihood_ratio(item, target, result)
    return effect_of(lr.value) if lr else None


def pretest_for(target: str, lib: Library) -> Pretest | None:
    """A pre-test probability for ``target``: the baseline of a cluster rule in the library."""
    for rule_id in lib.rule_order:
        eff = lib.rules[rule_id].effect
        if isinstance(eff, ClusterEffect) and eff.target == target and eff.pretest_probability:
            return Pretest(eff.pretest_probability, rule_id, eff.pretest_source)
    return None


def _pct(p: float) -> str:
    return f"{p * 100:.0f}%"


def evidence_summary(ev: Evidence) -> str:
    """One line per evidence entry, e.g. 'sensitivity 0.97, specificity 0.22, LR− 0.14 (82 patients ...)'."""
    parts = []
    for name, fig in (("sensitivity", ev.sensitivity), ("specificity", ev.specificity),
                      ("LR+", ev.lr_positive), ("LR−", ev.lr_negative)):
        if fig is not None:
            parts.append(f"{name} {fig.text()}")
    text = ", ".join(parts) + f" — {ev.population}"
    if ev.verification != "primary":
        text += f" [{ev.verification} source]"
    return text


def result_meaning(item: Item, target: str, result: Result, lib: Library) -> tuple[str, list[str]]:
    """What a result does to the probability of ``target``, in words, with its reference keys."""
    target_name = lib.diagnoses[target].name if target in lib.diagnoses else target.replace("_", " ")
    lr = likelihood_ratio(item, target, result)
    if lr is None:
        return (f"The loaded protocols hold no likelihood figure for a {result} {item.label} "
                f"and {target_name}.", [])
    sign = "LR+" if result == "positive" else "LR−"
    how = " (calculated from the sensitivity and specificity)" if lr.calculated else ""
    text = f"A {result} {item.label} has {sign} {lr.value:g}{how}, so it {_effect_words(lr.value)} of {target_name}."
    pre = pretest_for(target, lib)
    if pre is not None:
        post = post_test_probability(pre.probability, lr.value)
        text += (f" At a pre-test probability of {_pct(pre.probability)} (the baseline of {pre.rule_id}) "
                 f"it gives about {_pct(post)}.")
    if lr.evidence.verification != "primary":
        text += f" This figure comes from a {lr.evidence.verification} source."
    return text, list(lr.evidence.references)


def _effect_words(lr: float) -> str:
    return {"raises": "raises the probability", "lowers": "lowers the probability",
            "little_change": "barely changes the probability"}[effect_of(lr)]
