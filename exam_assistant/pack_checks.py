"""Checks across packs: every condition, citation, follow-up and rule target names something
loaded; and the order rules are evaluated in (each after the rules it refers to)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from exam_assistant import conditions as cond
from exam_assistant import follow_ups
from exam_assistant.errors import Problem
from exam_assistant.pack_reader import Loc, ParsedPack, line_of, loc_text
from exam_assistant.protocol import (
    ClusterEffect,
    ContraindicateEffect,
    DecisionEffect,
    Diagnosis,
    DifferentialEffect,
    Item,
    Lookalike,
    PointsEffect,
    ProtocolPack,
    RedFlagEffect,
    Rule,
    ScoreDefinition,
    SuggestProtocolEffect,
)


@dataclass(frozen=True)
class Found:
    """A problem, and the rule (current position) it is confined to, if any: such a rule is left
    out and the rest of its pack still loads."""

    problem: Problem
    rule: int | None


_STATUS_FOR: dict[str, set[str]] = {
    "yes_no": {"yes", "no", "unknown", "answered", "not_answered"},
    "sided_test": {"positive", "negative", "tested", "not_tested", "could_not_complete"},
    "number": {"answered", "not_answered"},
    "choice": {"answered", "not_answered"},
    "multi_choice": {"answered", "not_answered"},
    "mrc": {"tested", "not_tested", "normal", "abnormal"},
    "reflex": {"tested", "not_tested", "normal", "abnormal", "reduced", "absent", "brisk"},
    "sensation": {"tested", "not_tested", "normal", "abnormal", "reduced", "absent"},
    "text": {"answered", "not_answered"},
}


def conditions_of(pack: ProtocolPack) -> Iterator[tuple[Loc, cond.Condition]]:
    if pack.suggested_when is not None:
        yield ("suggested_when",), pack.suggested_when
    for i, rule in enumerate(pack.rules):
        yield ("rules", i, "when"), rule.when
        eff = rule.effect
        if isinstance(eff, ClusterEffect):
            if eff.positive_when is not None:
                yield ("rules", i, "effect", "positive_when"), eff.positive_when
            for j, ci in enumerate(eff.items):
                yield ("rules", i, "effect", "items", j, "when"), ci.when
                if ci.tested is not None:
                    yield ("rules", i, "effect", "items", j, "tested"), ci.tested
        elif isinstance(eff, PointsEffect):
            for j, cat in enumerate(eff.categories):
                yield ("rules", i, "effect", "categories", j, "when"), cat.when
        elif isinstance(eff, DecisionEffect) and eff.applies_when is not None:
            yield ("rules", i, "effect", "applies_when"), eff.applies_when


def _cited_keys(pack: ProtocolPack) -> Iterator[tuple[Loc, str]]:
    for si, section in enumerate(pack.sections):
        for ii, item in enumerate(section.items):
            base: Loc = ("sections", si, "items", ii)
            for key in item.references:
                yield (*base, "references"), key
            for ei, ev in enumerate(item.evidence):
                for key in ev.references:
                    yield (*base, "evidence", ei, "references"), key
    cited: dict[str, Sequence[Rule | Diagnosis | ScoreDefinition | Lookalike]] = {
        "rules": pack.rules, "diagnoses": pack.diagnoses, "scores": pack.scores, "lookalikes": pack.lookalikes}
    for name, entries in cited.items():
        for i, entry in enumerate(entries):
            for key in entry.references:
                yield (name, i, "references"), key
    if pack.hold_back is not None:
        for key in pack.hold_back.references:
            yield ("hold_back", "references"), key


def _check_condition(
    c: cond.Condition, loc: Loc, items: dict[str, Item], rules: set[str], problem: Any
) -> None:
    for node in cond.walk(c):
        if isinstance(node, cond.RuleCondition) and node.rule not in rules:
            problem("PACK_006", loc, f"refers to rule '{node.rule}', which no loaded pack defines")
        if not isinstance(node, cond.ItemCondition):
            continue
        item = items.get(node.item)
        if item is None:
            problem("PACK_003", loc, f"refers to item '{node.item}', which no loaded pack defines")
            continue
        if node.is_ is not None and node.is_ not in _STATUS_FOR[item.answer]:
            allowed = ", ".join(sorted(_STATUS_FOR[item.answer]))
            problem("PACK_007", loc, f"'is: {node.is_}' does not apply to '{item.id}' ({item.answer}); use one of {allowed}")
        if node.side != "any" and not item.sided:
            problem("PACK_007", loc, f"'side: {node.side}' given for '{item.id}', which has no sides")
        values = {o.value for o in item.options}
        for v in [node.equals, node.contains, *(node.in_ or [])]:
            if v is not None and values and item.answer in ("choice", "multi_choice") and v not in values:
                problem("PACK_007", loc, f"'{v}' is not an option of '{item.id}' (options: {', '.join(sorted(values))})")
        if node.criterion_in:
            known = {cr.value for cr in item.criteria}
            for v in node.criterion_in:
                if v not in known:
                    problem("PACK_007", loc, f"criterion '{v}' is not defined for '{item.id}'")


_PARENT_VALUES: dict[str, set[str]] = {
    "yes_no": {"yes", "no"},
    "sided_test": {"positive", "negative", "could_not_complete"},
}


def _check_follow_ups(pack: ProtocolPack, items: dict[str, Item], problem: Any) -> None:
    """A follow-up names an earlier item of its own pack that can be answered so as to show it."""
    earlier: set[str] = set()
    for si, section in enumerate(pack.sections):
        for ii, item in enumerate(section.items):
            base: Loc = ("sections", si, "items", ii)
            parent_id = item.follow_up_of
            if parent_id is not None:
                parent = items.get(parent_id)
                if parent is None:
                    problem("PACK_003", (*base, "follow_up_of"),
                            f"'{item.id}' is a follow-up of item '{parent_id}', which no loaded pack defines")
                elif parent_id not in earlier:
                    problem("PACK_007", (*base, "follow_up_of"),
                            f"'{item.id}' is a follow-up of '{parent_id}', which is not an earlier item of this pack "
                            "(a follow-up is drawn just after its parent)")
                elif parent.answer not in follow_ups.PARENT_ANSWERS:
                    problem("PACK_007", (*base, "follow_up_of"),
                            f"'{item.id}' follows '{parent_id}' ({parent.answer}); a parent must be a yes/no, choice "
                            "or multi-choice question or a sided test")
                else:
                    allowed = _PARENT_VALUES.get(parent.answer) or {o.value for o in parent.options}
                    wanted = item.shown_when or follow_ups.DEFAULT_SHOWN.get(parent.answer)
                    if not wanted:
                        problem("PACK_007", (*base, "follow_up_of"),
                                f"'{item.id}' needs shown_when: the options of '{parent_id}' that show it")
                    for value in item.shown_when or []:
                        if value not in allowed:
                            problem("PACK_007", (*base, "shown_when"),
                                    f"'{value}' is not an answer of '{parent_id}' (answers: {', '.join(sorted(allowed))})")
            earlier.add(item.id)


def check_pack(
    parsed: ParsedPack,
    items: dict[str, Item],
    rules: set[str],
    refs: set[str],
    diagnoses: set[str],
    pack_ids: set[str],
) -> list[Found]:
    out: list[Found] = []
    pack = parsed.pack

    def problem(code: str, loc: Loc, message: str) -> None:
        rule: int | None = None
        if len(loc) > 1 and loc[0] == "rules" and isinstance(loc[1], int):
            rule = loc[1]
            loc = ("rules", parsed.rule_origin[rule], *loc[2:])
            message += " (this rule is left out; the rest of the pack still loads)"
        out.append(Found(Problem(code, parsed.source, message, loc_text(loc), line_of(parsed.node, loc)), rule))

    for loc, c in conditions_of(pack):
        _check_condition(c, loc, items, rules, problem)
    _check_follow_ups(pack, items, problem)
    for loc, key in _cited_keys(pack):
        if key not in refs:
            problem("PACK_005", loc, f"cites reference '{key}', which no loaded pack defines")
    for i, rule in enumerate(pack.rules):
        eff = rule.effect
        loc = ("rules", i, "effect")
        if isinstance(eff, ContraindicateEffect):
            for item_id in eff.items:
                if item_id not in items:
                    problem("PACK_003", loc, f"contraindicates item '{item_id}', which no loaded pack defines")
        if isinstance(eff, DifferentialEffect) and eff.diagnosis not in diagnoses:
            problem("PACK_003", loc, f"weights diagnosis '{eff.diagnosis}', which no loaded pack defines")
        if isinstance(eff, RedFlagEffect):
            for dx in eff.suggests:
                if dx not in diagnoses:
                    problem("PACK_003", loc, f"suggests diagnosis '{dx}', which no loaded pack defines")
        if isinstance(eff, ClusterEffect) and eff.target not in diagnoses:
            problem("PACK_003", loc, f"cluster target '{eff.target}' is not a defined diagnosis")
        if isinstance(eff, SuggestProtocolEffect) and eff.protocol not in pack_ids:
            problem("PACK_003", loc, f"suggests protocol '{eff.protocol}', which is not loaded")
    for i, score in enumerate(pack.scores):
        for item_id in score.items:
            if item_id not in items:
                problem("PACK_003", ("scores", i, "items"), f"score uses item '{item_id}', which no loaded pack defines")
    return out


def order_rules(rules: dict[str, Rule]) -> tuple[list[str], list[str]]:
    """Rules sorted so every rule comes after the rules it refers to; and any left in a cycle."""
    deps = {rid: cond.rule_ids(r.when) & set(rules) for rid, r in rules.items()}
    for rid, r in rules.items():
        eff = r.effect
        if isinstance(eff, ClusterEffect):
            for ci in eff.items:
                deps[rid] |= cond.rule_ids(ci.when) & set(rules)
            if eff.positive_when is not None:
                deps[rid] |= cond.rule_ids(eff.positive_when) & set(rules)
        if isinstance(eff, PointsEffect):
            for cat in eff.categories:
                deps[rid] |= cond.rule_ids(cat.when) & set(rules)
        if isinstance(eff, DecisionEffect) and eff.applies_when is not None:
            deps[rid] |= cond.rule_ids(eff.applies_when) & set(rules)
    order: list[str] = []
    done: set[str] = set()
    pending = dict(deps)
    while pending:
        ready = sorted(rule_id for rule_id, needs in pending.items() if needs <= done)
        if not ready:
            return order, sorted(pending)
        for rule_id in ready:
            order.append(rule_id)
            done.add(rule_id)
            del pending[rule_id]
    return order, []
