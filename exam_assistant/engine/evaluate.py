"""Three-valued evaluation of conditions against an encounter.

``True`` / ``False`` / ``None`` (unknown). An item that was not tested or not answered makes a
leaf unknown, so "not tested" can never be read as "negative".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from exam_assistant import conditions as c
from exam_assistant.models import (
    Choice,
    Encounter,
    Finding,
    Mrc,
    MultiChoice,
    Number,
    Reflex,
    Sensation,
    SidedTest,
    SideResult,
    Text,
    YesNo,
)
from exam_assistant.protocol import Item

Truth = bool | None


@dataclass(frozen=True)
class Interval:
    """A numeric value known only within bounds (e.g. a cluster count with items not yet tested)."""

    low: float
    high: float


@dataclass
class Facts:
    """What conditions are evaluated against: the encounter, the item definitions, rule results."""

    encounter: Encounter
    items: dict[str, Item]
    rule_truth: dict[str, Truth] = field(default_factory=dict)
    rule_value: dict[str, Interval] = field(default_factory=dict)
    leaf_cache: dict[int, Truth] = field(default_factory=dict)


def kleene_all(values: list[Truth]) -> Truth:
    if any(v is False for v in values):
        return False
    if any(v is None for v in values):
        return None
    return True


def kleene_any(values: list[Truth]) -> Truth:
    if any(v is True for v in values):
        return True
    if any(v is None for v in values):
        return None
    return False


def count_of(values: list[Truth], n: int) -> Truth:
    yes = sum(v is True for v in values)
    unknown = sum(v is None for v in values)
    if yes >= n:
        return True
    if yes + unknown < n:
        return False
    return None


def compare_interval(value: Interval, at_least: float | None, at_most: float | None) -> Truth:
    checks: list[Truth] = []
    if at_least is not None:
        checks.append(True if value.low >= at_least else False if value.high < at_least else None)
    if at_most is not None:
        checks.append(True if value.high <= at_most else False if value.low > at_most else None)
    return kleene_all(checks)


def evaluate(cond: c.Condition, facts: Facts, memo: dict[int, Truth] | None = None) -> Truth:
    """Kleene three-valued truth of ``cond`` (None: not yet decided by the findings).

    ``memo`` (id of a compound condition -> its truth) lets a caller that walks a condition
    node by node, once every rule is settled, evaluate each subtree once instead of once per
    ancestor; it must not outlive one settled set of facts.
    """
    if memo is not None and isinstance(cond, (c.AllOf, c.AnyOf, c.NotOf, c.CountOf)):
        key = id(cond)
        if key not in memo:
            memo[key] = _compound(cond, facts, memo)
        return memo[key]
    return _compound(cond, facts, memo)


def _compound(cond: c.Condition, facts: Facts, memo: dict[int, Truth] | None) -> Truth:
    if isinstance(cond, c.AllOf):
        result: Truth = True
        for x in cond.all:  # short-circuits: one false child decides
            v = evaluate(x, facts, memo)
            if v is False:
                return False
            if v is None:
                result = None
        return result
    if isinstance(cond, c.AnyOf):
        result = False
        for x in cond.any:
            v = evaluate(x, facts, memo)
            if v is True:
                return True
            if v is None:
                result = None
        return result
    if isinstance(cond, c.NotOf):
        inner = evaluate(cond.not_, facts, memo)
        return None if inner is None else not inner
    if isinstance(cond, c.CountOf):
        return count_of([evaluate(x, facts, memo) for x in cond.of], cond.at_least)
    if isinstance(cond, c.RuleCondition):
        if cond.at_least is None and cond.at_most is None:
            return facts.rule_truth.get(cond.rule)
        value = facts.rule_value.get(cond.rule)
        return None if value is None else compare_interval(value, cond.at_least, cond.at_most)
    if isinstance(cond, c.PatientCondition):
        return _patient(cond, facts.encounter)
    # many rules share the same comparison (e.g. "fever: yes"); the library's condition objects
    # live as long as the library, so their identity is a safe key for one assessment
    key = id(cond)
    if key in facts.leaf_cache:
        return facts.leaf_cache[key]
    truth = _item(cond, facts)
    facts.leaf_cache[key] = truth
    return truth


# ------------------------------------------------------------------ patient


def _patient(cond: c.PatientCondition, enc: Encounter) -> Truth:
    if cond.patient == "age":
        age = float(enc.age)
        return _compare_number(age, cond)
    sex = enc.patient.sex
    if sex == "unknown" and cond.is_ is None:
        return None
    return _compare_scalar(sex, cond)


def _compare_number(value: float, cmp: c._Comparison) -> Truth:
    if cmp.at_least is not None or cmp.at_most is not None:
        return compare_interval(Interval(value, value), cmp.at_least, cmp.at_most)
    if cmp.equals is not None:
        return isinstance(cmp.equals, (int, float)) and value == float(cmp.equals)
    if cmp.in_ is not None:
        return any(isinstance(v, (int, float)) and value == float(v) for v in cmp.in_)
    if cmp.is_ == "answered":
        return True
    if cmp.is_ == "not_answered":
        return False
    return None


def _compare_scalar(value: str, cmp: c._Comparison) -> Truth:
    if cmp.equals is not None:
        return value == str(cmp.equals)
    if cmp.in_ is not None:
        return value in [str(v) for v in cmp.in_]
    if cmp.is_ == "answered":
        return True
    if cmp.is_ == "not_answered":
        return False
    return None


# ------------------------------------------------------------------ items

SideTruth = Callable[[str], Truth]


def _sides(cond: c.ItemCondition, per_side: SideTruth) -> Truth:
    if cond.side == "left":
        return per_side("left")
    if cond.side == "right":
        return per_side("right")
    both = [per_side("left"), per_side("right")]
    return kleene_all(both) if cond.side == "both" else kleene_any(both)


def _item(cond: c.ItemCondition, facts: Facts) -> Truth:
    finding = facts.encounter.findings.get(cond.item)
    item = facts.items.get(cond.item)
    if cond.is_ == "not_answered" and not isinstance(finding, (SidedTest, Mrc, Reflex, Sensation)):
        return finding is None or (isinstance(finding, YesNo) and finding.value == "unknown")
    if cond.is_ == "answered" and not isinstance(finding, (SidedTest, Mrc, Reflex, Sensation)):
        return finding is not None and not (isinstance(finding, YesNo) and finding.value == "unknown")
    if finding is None:
        if cond.is_ == "not_tested":
            return True
        if cond.is_ == "tested":
            return False
        return None
    return _finding(cond, finding, item)


def _finding(cond: c.ItemCondition, finding: Finding, item: Item | None) -> Truth:
    if isinstance(finding, YesNo):
        if finding.value == "unknown":
            return True if cond.is_ == "unknown" else None
        if cond.is_ in ("yes", "no", "unknown"):
            return finding.value == cond.is_
        return _compare_scalar(finding.value, cond)
    if isinstance(finding, SidedTest):
        return _sides(cond, lambda s: _side_test(cond, getattr(finding, s), item))
    if isinstance(finding, Mrc):
        return _sides(cond, lambda s: _graded(cond, getattr(finding, s), normal=5))
    if isinstance(finding, Reflex):
        return _sides(cond, lambda s: _graded(cond, getattr(finding, s), normal=2))
    if isinstance(finding, Sensation):
        return _sides(cond, lambda s: _sensation(cond, getattr(finding, s)))
    if isinstance(finding, Number):
        return _compare_number(finding.value, cond)
    if isinstance(finding, Choice):
        return _compare_scalar(finding.value, cond)
    if isinstance(finding, MultiChoice):
        if cond.contains is not None:
            return cond.contains in finding.values
        if cond.in_ is not None:
            return any(str(v) in finding.values for v in cond.in_)
        if cond.is_ in ("answered", "not_answered"):
            return (cond.is_ == "answered") == bool(finding.values)
        return None
    if isinstance(finding, Text):
        if cond.is_ in ("answered", "not_answered"):
            return (cond.is_ == "answered") == bool(finding.value.strip())
        return None
    return None


def effective_positive(side: SideResult, item: Item | None) -> bool:
    """Positive as the evidence defines it: a recorded criterion that does not count (neck pain
    alone for Spurling's) makes the side negative."""
    if side.result != "positive":
        return False
    if not side.criteria or item is None or not item.criteria:
        return True
    counting = {cr.value for cr in item.criteria if cr.counts_as_positive}
    return any(x in counting for x in side.criteria)


def _side_test(cond: c.ItemCondition, side: SideResult, item: Item | None) -> Truth:
    status = cond.is_
    if side.result in ("not_tested", "could_not_complete"):
        if status == "not_tested":
            return side.result == "not_tested"
        if status == "could_not_complete":
            return side.result == "could_not_complete"
        if status == "tested":
            return False
        return None
    positive = effective_positive(side, item)
    if cond.criterion_in is not None and positive:
        positive = any(x in cond.criterion_in for x in side.criteria)
    if status == "positive":
        return positive
    if status == "negative":
        return not positive
    if status == "tested":
        return True
    if status in ("not_tested", "could_not_complete"):
        return False
    return None


def _graded(cond: c.ItemCondition, grade: int | None, normal: int) -> Truth:
    status = cond.is_
    if grade is None:
        if status == "not_tested":
            return True
        if status == "tested":
            return False
        return None
    if status is None:
        return _compare_number(float(grade), cond)
    table: dict[str, bool] = {
        "tested": True,
        "not_tested": False,
        "normal": grade == normal,
        "abnormal": grade != normal if normal == 2 else grade < normal,
        "reduced": grade < normal,
        "absent": grade == 0,
        "brisk": grade > normal,
    }
    return table.get(status)


def _sensation(cond: c.ItemCondition, grade: str) -> Truth:
    status = cond.is_
    if grade == "not_tested":
        if status == "not_tested":
            return True
        if status == "tested":
            return False
        return None
    table: dict[str, bool] = {
        "tested": True,
        "not_tested": False,
        "normal": grade == "normal",
        "abnormal": grade != "normal",
        "reduced": grade == "reduced",
        "absent": grade == "absent",
    }
    if status is None:
        return _compare_scalar(grade, cond)
    return table.get(status)


def true_leaves(cond: c.Condition, facts: Facts) -> list[c.ItemCondition | c.PatientCondition]:
    """The item and patient comparisons that hold: the findings that made a rule fire."""
    out: list[c.ItemCondition | c.PatientCondition] = []
    stack: list[c.Condition] = [cond]
    while stack:
        node = stack.pop()
        if isinstance(node, c.NotOf):
            continue  # a negated finding is an absence, not a trigger to show
        if isinstance(node, (c.ItemCondition, c.PatientCondition)):
            if evaluate(node, facts) is True:
                out.append(node)
        elif isinstance(node, c.AllOf):
            stack.extend(reversed(node.all))
        elif isinstance(node, c.AnyOf):
            stack.extend(reversed(node.any))
        elif isinstance(node, c.CountOf):
            stack.extend(reversed(node.of))
    return out
