"""An independent re-statement of the hold-back policy, used to check every assessment against it.

It reads the packs directly (tier defaults, flag and diagnosis policies, recommendation classes)
rather than calling :mod:`exam_assistant.engine.policy`, so a bug in the engine's bookkeeping
cannot hide itself.
"""

from __future__ import annotations

from exam_assistant import conditions as cond
from exam_assistant.engine.assessment import Assessment
from exam_assistant.library import Library
from exam_assistant.protocol import TIER_ORDER, AdvicePolicy


def _own(rule_id: str, lib: Library) -> set[str]:
    seen: set[str] = set()
    stack = [rule_id]
    while stack:
        rule = lib.rules.get(stack.pop())
        if rule is None:
            continue
        for ref in cond.rule_ids(rule.when):
            if ref not in seen:
                seen.add(ref)
                stack.append(ref)
    suggested = {dx for r in seen if r in lib.rules and lib.rules[r].effect.type == "red_flag"
                 for dx in lib.rules[r].effect.suggests}  # type: ignore[union-attr]
    return seen | suggested


def _policies(a: Assessment, lib: Library) -> list[tuple[str, set[str], set[str]]]:
    """(holder id, suppressed classes, forbidden classes) for every raised flag and suspected diagnosis."""
    out: list[tuple[str, set[str], set[str]]] = []
    for flag in a.red_flags:
        suppressed = {c for d in lib.tier_defaults if TIER_ORDER[d.tier] <= TIER_ORDER[flag.tier] for c in d.suppresses}
        eff = lib.rules[flag.id].effect
        policy: AdvicePolicy | None = eff.policy if eff.type == "red_flag" else None
        forbidden: set[str] = set()
        if policy is not None:
            suppressed |= set(policy.suppresses)
            forbidden |= {f.advice for f in policy.forbids}
        out.append((flag.id, suppressed, forbidden))
    for dx_id in a.suspected:
        policy = lib.diagnoses[dx_id].policy
        if policy is not None:
            out.append((dx_id, set(policy.suppresses), {f.advice for f in policy.forbids}))
    return out


def visible_units(a: Assessment, lib: Library) -> list[tuple[str, set[str], str]]:
    """(rule id, classes, text) of every recommendation still shown."""
    units = [(i.id, set(i.classes), i.first.study if i.first else "no imaging now") for i in a.imaging]
    for t in a.treatment:
        eff = lib.rules[t.id].effect
        pathway = set(eff.classes) if eff.type == "treatment" else set()
        units += [(t.id, pathway | set(s.classes), s.text) for s in t.steps]
    units += [(p.id, set(p.classes), p.why) for p in a.suggested_protocols]
    return units


def policy_violations(a: Assessment, lib: Library) -> list[str]:
    """Every way the assessment breaks the hold-back policy; empty when it is coherent."""
    problems: list[str] = []
    flagged = {dx for f in a.red_flags for dx in f.suggests}
    missing = flagged - set(a.suspected)
    if missing:
        problems.append(f"diagnoses suggested by raised flags are not treated as suspected: {sorted(missing)}")
    policies = _policies(a, lib)
    for rule_id, classes, text in visible_units(a, lib):
        own = _own(rule_id, lib)
        for holder, suppressed, forbidden in policies:
            if classes & forbidden:
                problems.append(f"{rule_id} ({sorted(classes & forbidden)}) shown although {holder} forbids it: {text[:60]}")
            if classes & suppressed and holder not in own:
                problems.append(f"{rule_id} ({sorted(classes & suppressed)}) shown beside {holder}, which holds it back")
    holders = {f.id for f in a.red_flags} | set(a.suspected)
    for h in a.held_back:
        if not h.held_by or not set(h.held_by) <= holders:
            problems.append(f"held-back {h.id} names no valid holder: {h.held_by}")
        if not h.why:
            problems.append(f"held-back {h.id} has no reason")
    for d in a.do_not:
        if d.held_by not in holders:
            problems.append(f"'do not {d.advice_class}' names no valid holder: {d.held_by}")
    forbidden_anywhere = {c for _, _, forbidden in policies for c in forbidden}
    if forbidden_anywhere - {d.advice_class for d in a.do_not}:
        problems.append(f"forbidden classes without a 'do not' line: {sorted(forbidden_anywhere)}")
    return problems
