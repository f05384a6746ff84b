"""Properties that must hold for every valid encounter, explored with hypothesis."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from exam_assistant.engine.assess import assess
from exam_assistant.library import Library, load_library
from exam_assistant.models import Encounter
from exam_assistant.protocol import TIER_ORDER, DecisionEffect, Item, RedFlagEffect

LIB = load_library()
ITEMS = sorted(LIB.items.values(), key=lambda i: i.id)
SIDE = st.fixed_dictionaries({"result": st.sampled_from(["positive", "negative", "not_tested", "could_not_complete"])})


def finding_for(item: Item) -> st.SearchStrategy[dict[str, Any]]:
    """Any valid finding for an item."""
    if item.answer == "yes_no":
        return st.builds(lambda v: {"kind": "yes_no", "value": v}, st.sampled_from(["yes", "no", "unknown"]))
    if item.answer == "sided_test":
        crit = [c.value for c in item.criteria]

        def side(result: str, picked: list[str]) -> dict[str, Any]:
            return {"result": result, "criteria": picked if result in ("positive", "negative") else []}

        side_st = st.builds(side, st.sampled_from(["positive", "negative", "not_tested", "could_not_complete"]),
                            st.lists(st.sampled_from(crit), unique=True, max_size=2) if crit else st.just([]))
        return st.builds(lambda a, b: {"kind": "sided_test", "left": a, "right": b}, side_st, side_st)
    if item.answer in ("mrc", "reflex"):
        top = 5 if item.answer == "mrc" else 4
        grade = st.one_of(st.none(), st.integers(0, top))
        return st.builds(lambda a, b: {"kind": item.answer, "left": a, "right": b}, grade, grade)
    if item.answer == "sensation":
        grade_s = st.sampled_from(["normal", "reduced", "absent", "not_tested"])
        return st.builds(lambda a, b: {"kind": "sensation", "left": a, "right": b}, grade_s, grade_s)
    if item.answer == "number":
        assert item.minimum is not None and item.maximum is not None
        num = st.integers(int(item.minimum), int(item.maximum)) if item.integer else st.floats(item.minimum, item.maximum)
        return st.builds(lambda v: {"kind": "number", "value": v}, num)
    if item.answer == "choice":
        return st.builds(lambda v: {"kind": "choice", "value": v}, st.sampled_from([o.value for o in item.options]))
    if item.answer == "multi_choice":
        return st.builds(lambda v: {"kind": "multi_choice", "values": v},
                         st.lists(st.sampled_from([o.value for o in item.options]), unique=True))
    return st.builds(lambda v: {"kind": "text", "value": v}, st.text(max_size=50))


@st.composite
def encounters(draw: st.DrawFn) -> Encounter:
    chosen = draw(st.lists(st.sampled_from(ITEMS), unique_by=lambda i: i.id, max_size=40))
    findings = {item.id: draw(finding_for(item)) for item in chosen}
    born = draw(st.dates(min_value=__import__("datetime").date(1910, 1, 1),
                         max_value=__import__("datetime").date(2010, 1, 1)))
    return Encounter.model_validate({
        "patient": {"name": "Property Patient", "date_of_birth": born.isoformat(),
                    "sex": draw(st.sampled_from(["female", "male", "other", "unknown"]))},
        "created_at": "2026-05-01T09:00:00Z", "findings": findings})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(encounters())
def test_assess_never_raises_on_a_valid_encounter(encounter: Encounter) -> None:
    """Whatever a clinician records, the assessment completes and the urgency matches the red flags."""
    result = assess(encounter, LIB)
    top = max((TIER_ORDER[f.tier] for f in result.red_flags), default=0)
    assert TIER_ORDER[result.urgency] == top
    assert result.stop_examination == (result.urgency == "EMERGENCY")


def _red_flag_trigger_findings(lib: Library) -> list[tuple[str, dict[str, Any]]]:
    """Findings that are a red-flag answer on their own: yes to a yes/no item used by a red-flag rule."""
    from exam_assistant.conditions import ItemCondition, walk

    out = []
    for rule in lib.rules.values():
        if isinstance(rule.effect, RedFlagEffect):
            for node in walk(rule.when):
                if isinstance(node, ItemCondition) and node.is_ == "yes":
                    out.append((node.item, {"kind": "yes_no", "value": "yes"}))
    return sorted({k: v for k, v in out}.items())


RED_FLAG_FINDINGS = _red_flag_trigger_findings(LIB)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(encounters(), st.sampled_from(RED_FLAG_FINDINGS) if RED_FLAG_FINDINGS else st.nothing())
def test_adding_a_red_flag_finding_never_lowers_urgency(encounter: Encounter, extra: tuple[str, dict[str, Any]]) -> None:
    """Answering 'yes' to a red-flag question can raise the urgency, never lower it."""
    before = assess(encounter, LIB).urgency
    findings = {**encounter.model_dump(mode="json")["findings"], extra[0]: extra[1]}
    after = assess(encounter.model_copy(update={"findings": Encounter.model_validate(
        {**encounter.model_dump(mode="json"), "findings": findings}).findings}), LIB).urgency
    assert TIER_ORDER[after] >= TIER_ORDER[before]


def _absence_aware_rules(lib: Library) -> set[str]:
    """Rules that test for absence on purpose ("an unanswered body map counts as spinal pain"),
    directly or through a rule they refer to: the only rules that may fire on less information."""
    from exam_assistant.conditions import ItemCondition, RuleCondition, walk
    from exam_assistant.pack_checks import conditions_of

    direct: dict[str, bool] = {}
    refers: dict[str, set[str]] = {}
    for loaded in lib.packs.values():
        for loc, cond in conditions_of(loaded.pack):
            if loc[0] != "rules":
                continue
            rule_id = loaded.pack.rules[int(loc[1])].id
            nodes = walk(cond)
            direct[rule_id] = direct.get(rule_id, False) or any(
                isinstance(n, ItemCondition) and n.is_ in ("not_answered", "not_tested") for n in nodes)
            refers.setdefault(rule_id, set()).update(n.rule for n in nodes if isinstance(n, RuleCondition))
    # a decision rule whose applicability is unknown is read as applying (assess._decision)
    aware = {r for r, d in direct.items() if d} | {
        r.id for r in lib.rules.values() if isinstance(r.effect, DecisionEffect) and r.effect.applies_when is not None}
    while True:
        more = {r for r, deps in refers.items() if deps & aware} - aware
        if not more:
            return aware
        aware |= more


ABSENCE_AWARE = _absence_aware_rules(LIB)
CANCER_SHOULDER = Encounter.model_validate({
    "patient": {"name": "Property Patient", "date_of_birth": "1960-01-01"}, "created_at": "2026-05-01T09:00:00Z",
    "findings": {"history.cancer": {"kind": "yes_no", "value": "yes"},
                 "history.location": {"kind": "multi_choice", "values": ["shoulder"]}}})


class _DropLocation:
    """A stand-in for hypothesis' Random that keeps the first finding and drops the rest."""

    def __init__(self) -> None:
        self.calls = 0

    def random(self) -> float:
        self.calls += 1
        return 0.0 if self.calls == 1 else 1.0


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(encounters(), st.randoms(use_true_random=False))
@example(CANCER_SHOULDER, _DropLocation())
def test_not_tested_never_counts_as_negative(encounter: Encounter, rnd: Any) -> None:
    """Leaving findings untested never adds a negative cluster item, and never raises a conclusion
    the fuller examination does not reach, except through rules written to treat an unanswered
    question as present (the pessimistic, safe direction)."""
    full = assess(encounter, LIB)
    kept = {k: v for k, v in encounter.findings.items() if rnd.random() < 0.5}
    partial = assess(encounter.model_copy(update={"findings": kept}), LIB)
    full_clusters = {c.id: c for c in full.clusters}
    for cluster in partial.clusters:
        assert cluster.negative <= full_clusters[cluster.id].negative
        assert cluster.positive <= full_clusters[cluster.id].positive
    extra_flags = {f.id for f in partial.red_flags} - {f.id for f in full.red_flags}
    assert extra_flags <= ABSENCE_AWARE
    assert set(partial.flags) - set(full.flags) <= ABSENCE_AWARE
