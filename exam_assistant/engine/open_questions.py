"""The questions that could change the urgency: red-flag rules still undecided, and what decides them.

From the three-valued evaluation already done by ``assess``: a red-flag rule whose value is
unknown may fire once the clinician answers the items it still waits for. Those items are found
by walking only the undecided parts of the rule's condition (a part that is already true or
false no longer depends on anything), following references to other rules (e.g. the ADD-RS).
Rules are ranked by tier (EMERGENCY first), then by how close they are (rules with findings
already for them, then fewer items to decide).
"""

from __future__ import annotations

from exam_assistant import conditions as c
from exam_assistant import follow_ups
from exam_assistant.engine.assessment import OpenItem, OpenQuestion
from exam_assistant.engine.evaluate import Facts, Truth, evaluate
from exam_assistant.library import Library
from exam_assistant.protocol import TIER_ORDER, RedFlagEffect, Rule


def _rule_parts(rule: Rule) -> list[c.Condition]:
    """A rule's own condition and those of its counted parts (cluster items, score categories)."""
    parts: list[c.Condition] = [rule.when]
    for sub in getattr(rule.effect, "items", None) or []:
        when = getattr(sub, "when", None)
        if when is not None:
            parts.append(when)
    for sub in getattr(rule.effect, "categories", None) or []:
        parts.append(sub.when)
    return parts


def deciding_items(cond: c.Condition, facts: Facts, lib: Library, seen: set[str] | None = None,
                   memo: dict[int, Truth] | None = None) -> list[str]:
    """Item ids, in condition order, whose answers are still needed to decide ``cond``."""
    seen = set() if seen is None else seen
    memo = {} if memo is None else memo  # each subtree evaluated once, not once per ancestor
    if evaluate(cond, facts, memo) is not None:
        return []
    if isinstance(cond, c.ItemCondition):
        return [cond.item] if cond.item in lib.items else []
    if isinstance(cond, c.RuleCondition):
        rule = lib.rules.get(cond.rule)
        if rule is None or rule.id in seen:
            return []
        seen.add(rule.id)
        out: list[str] = []
        for part in _rule_parts(rule):
            out += deciding_items(part, facts, lib, seen, memo)
        return out
    children: list[c.Condition] = []
    if isinstance(cond, c.AllOf):
        children = list(cond.all)
    elif isinstance(cond, c.AnyOf):
        children = list(cond.any)
    elif isinstance(cond, c.NotOf):
        children = [cond.not_]
    elif isinstance(cond, c.CountOf):
        children = list(cond.of)
    out = []
    for child in children:
        out += deciding_items(child, facts, lib, seen, memo)
    return out


def _has_support(cond: c.Condition, facts: Facts, memo: dict[int, Truth]) -> bool:
    """Whether some recorded finding already points towards the rule (a true leaf under it)."""
    return any(
        isinstance(node, (c.ItemCondition, c.RuleCondition)) and evaluate(node, facts, memo) is True
        and not (isinstance(node, c.ItemCondition) and node.item not in facts.encounter.findings)
        for node in c.walk(cond)
    )


def open_questions(facts: Facts, lib: Library) -> list[OpenQuestion]:
    """Undecided red-flag rules with the unanswered items that decide each, most urgent first.

    ``facts`` is the evaluation ``assess`` finished with (its ``rule_truth`` filled in)."""
    found: list[tuple[tuple[int, int, int], OpenQuestion]] = []
    memo: dict[int, Truth] = {}  # every rule is settled here, so one memo serves all of them
    for rule_id in lib.rule_order:
        rule = lib.rules[rule_id]
        effect = rule.effect
        if not isinstance(effect, RedFlagEffect) or facts.rule_truth.get(rule_id) is not None:
            continue
        findings = facts.encounter.findings
        # a follow-up is asked through its parent, and one its parent's answer rules out never is
        asked = (follow_ups.ask_instead(i, findings, lib.items) for i in deciding_items(rule.when, facts, lib, memo=memo))
        item_ids = list(dict.fromkeys(i for i in asked if i is not None and i not in findings))
        if not item_ids:
            continue
        support = _has_support(rule.when, facts, memo)
        question = OpenQuestion(
            rule=rule.id, title=rule.title, tier=effect.tier, suggests=list(effect.suggests),
            has_findings_for=support,
            items=[OpenItem(item=i, label=lib.items[i].label) for i in item_ids],
        )
        found.append(((-TIER_ORDER[effect.tier], 0 if support else 1, len(item_ids)), question))
    found.sort(key=lambda pair: pair[0])
    return [q for _, q in found]
