"""The hold-back policy: one function that decides which proposed recommendations stay visible.

Rules propose imaging, treatment steps and further tests; red flags and suspected diagnoses
(the *holders*) name the classes of advice they suppress or forbid, and the tier of a red flag
adds the pack-level defaults. Everything taken out is listed with its reason and its holder:
suppressed advice under "held back", forbidden advice under "do not". The engine knows no
clinical names; every decision here comes from the packs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from exam_assistant import conditions as cond
from exam_assistant.advice_policy import ADVICE_LABELS, AdvicePolicy, TestBan
from exam_assistant.engine.assessment import (
    Assessment,
    Contraindication,
    DifferentialEntry,
    DoNot,
    HeldBack,
    ImagingSuggestion,
    ProtocolSuggestion,
    RedFlag,
    TreatmentPathway,
)
from exam_assistant.library import Library
from exam_assistant.protocol import TIER_ORDER, Tier, TreatmentStep


@dataclass(frozen=True)
class Holder:
    """A raised red flag or a suspected diagnosis, with what it holds back."""

    id: str
    title: str
    tier: Tier | None
    suppresses: dict[str, str]  # class -> why
    forbids: dict[str, str]  # class -> why
    test_bans: tuple[TestBan, ...]
    references: tuple[str, ...]


@dataclass
class PolicyResult:
    imaging: list[ImagingSuggestion] = field(default_factory=list)
    treatment: list[TreatmentPathway] = field(default_factory=list)
    suggested_protocols: list[ProtocolSuggestion] = field(default_factory=list)
    held_back: list[HeldBack] = field(default_factory=list)
    do_not: list[DoNot] = field(default_factory=list)
    contraindications: list[Contraindication] = field(default_factory=list)


def tier_suppressions(tier: Tier, lib: Library) -> dict[str, str]:
    """Class -> why for a red flag of ``tier``: the defaults of its tier and of every lower one."""
    out: dict[str, str] = {}
    for default in lib.tier_defaults:
        if TIER_ORDER[default.tier] <= TIER_ORDER[tier]:
            for cls in default.suppresses:
                out.setdefault(cls, default.why)
    return out


def _from_policy(policy: AdvicePolicy | None, holder_title: str) -> tuple[dict[str, str], dict[str, str], tuple[TestBan, ...]]:
    if policy is None:
        return {}, {}, ()
    suppresses: dict[str, str] = {cls: f"{holder_title} comes first" for cls in policy.suppresses}
    forbids: dict[str, str] = {f.advice: f.why for f in policy.forbids}
    bans: tuple[TestBan, ...] = (policy.forbids_tests,) if policy.forbids_tests is not None else ()
    return suppresses, forbids, bans


def suspected_diagnoses(red_flags: Sequence[RedFlag], differential: Sequence[DifferentialEntry], lib: Library) -> list[str]:
    """Diagnoses a raised red flag suggests, and those whose score reached their ``suspected_from``."""
    out: list[str] = []
    for flag in red_flags:
        out.extend(flag.suggests)
    for entry in differential:
        dx = lib.diagnoses.get(entry.id)
        if dx is not None and dx.suspected_from is not None and entry.score >= dx.suspected_from:
            out.append(entry.id)
    return [d for d in dict.fromkeys(out) if d in lib.diagnoses]


def holders(red_flags: Sequence[RedFlag], suspected: Iterable[str], lib: Library) -> list[Holder]:
    """Every holder, the most urgent first."""
    out: list[Holder] = []
    for flag in red_flags:
        rule = lib.rules.get(flag.id)
        policy = rule.effect.policy if rule is not None and rule.effect.type == "red_flag" else None
        suppresses, forbids, bans = _from_policy(policy, flag.title)
        for cls, why in tier_suppressions(flag.tier, lib).items():
            suppresses.setdefault(cls, why)
        out.append(Holder(flag.id, flag.title, flag.tier, suppresses, forbids, bans, tuple(flag.references)))
    for dx_id in suspected:
        dx = lib.diagnoses[dx_id]
        suppresses, forbids, bans = _from_policy(dx.policy, f"Suspected {dx.name.lower()}")
        if suppresses or forbids or bans:
            out.append(Holder(dx.id, f"Suspected {dx.name.lower()}", dx.default_tier, suppresses, forbids, bans,
                              tuple(dx.references)))
    out.sort(key=lambda h: -TIER_ORDER[h.tier or "ROUTINE"])
    return out


class _Judge:
    """Decides one recommendation at a time and keeps the ledger of what it took out."""

    def __init__(self, held_by: list[Holder]):
        self.holders = held_by
        self.held: list[HeldBack] = []
        self.withheld: dict[tuple[str, str], list[str]] = {}

    def verdict(self, classes: Iterable[str], own: frozenset[str] = frozenset()) -> tuple[str, list[Holder], str] | None:
        """None when the advice may be shown; else ("forbidden"|"suppressed", holders, why).

        ``own`` names the holders whose own pathway this advice is: they never suppress it (the
        review step of a fracture pathway is part of acting on the fracture flag), but a holder
        that forbids a class forbids it everywhere.
        """
        wanted = set(classes)
        forbidding = [h for h in self.holders if wanted & set(h.forbids)]
        if forbidding:
            h = forbidding[0]
            cls = sorted(wanted & set(h.forbids))[0]
            return "forbidden", forbidding, f"do not - {h.title}: {h.forbids[cls]}"
        suppressing = [h for h in self.holders if wanted & set(h.suppresses) and h.id not in own]
        if suppressing:
            h = suppressing[0]
            cls = sorted(wanted & set(h.suppresses))[0]
            tier = f" ({h.tier.replace('_', ' ')})" if h.tier else ""
            return "suppressed", suppressing, f"held back - {h.title}{tier}: {h.suppresses[cls]}"
        return None

    def hold(self, *, rule_id: str, title: str, kind: str, classes: Sequence[str], text: str | None = None,
             own: frozenset[str] = frozenset()) -> bool:
        """Record ``rule_id`` as held back when a holder says so; True when it was held."""
        verdict = self.verdict(classes, own)
        if verdict is None:
            return False
        state, by, why = verdict
        self.held.append(HeldBack(id=rule_id, title=title, why=why, kind=kind, text=text, classes=list(classes),
                                  held_by=[h.id for h in by], holder_title=by[0].title,
                                  forbidden=state == "forbidden"))
        if state == "forbidden":
            for h in by:
                for cls in set(classes) & set(h.forbids):
                    self.withheld.setdefault((h.id, cls), []).append(rule_id)
        return True


def _step_classes(pathway_classes: Sequence[str], step: TreatmentStep) -> list[str]:
    return list(dict.fromkeys([*pathway_classes, *step.classes]))


def apply_policy(
    *,
    imaging: Sequence[tuple[ImagingSuggestion, Sequence[str]]],
    treatment: Sequence[tuple[TreatmentPathway, Sequence[str]]],
    protocols: Sequence[ProtocolSuggestion],
    contraindications: Sequence[Contraindication],
    held_by: list[Holder],
    lib: Library,
) -> PolicyResult:
    """Filter the proposed recommendations through every holder's policy, after all rules ran."""
    judge = _Judge(held_by)
    result = PolicyResult()
    for suggestion, _ in imaging:
        own = own_holders(suggestion.id, lib)
        if not judge.hold(rule_id=suggestion.id, title=suggestion.title, kind="imaging", classes=suggestion.classes,
                          own=own):
            result.imaging.append(suggestion)
    for pathway, pathway_classes in treatment:
        own = own_holders(pathway.id, lib)
        kept: list[TreatmentStep] = []
        verdicts = [judge.verdict(_step_classes(pathway_classes, s), own) for s in pathway.steps]
        if all(v is not None and v[0] == "suppressed" for v in verdicts):
            # the whole pathway waits: one line, not one per step
            judge.hold(rule_id=pathway.id, title=pathway.title, kind="treatment", own=own,
                       classes=list(dict.fromkeys(c for s in pathway.steps for c in _step_classes(pathway_classes, s))))
            continue
        for step in pathway.steps:
            if not judge.hold(rule_id=pathway.id, title=pathway.title, kind="treatment_step",
                              classes=_step_classes(pathway_classes, step), text=step.text, own=own):
                kept.append(step)
        if kept:
            result.treatment.append(pathway.model_copy(update={"steps": kept}))
    for protocol in protocols:
        if not judge.hold(rule_id=protocol.id, title=f"Examine: {protocol.protocol}", kind="protocol",
                          classes=protocol.classes, own=own_holders(protocol.id, lib)):
            result.suggested_protocols.append(protocol)
    result.held_back = judge.held
    result.do_not = _do_not(held_by, judge.withheld)
    result.contraindications = _contraindications(contraindications, held_by, lib)
    return result


def _do_not(held_by: list[Holder], withheld: dict[tuple[str, str], list[str]]) -> list[DoNot]:
    """One line per forbidden class, under the most urgent holder that forbids it."""
    out: list[DoNot] = []
    seen: set[str] = set()
    for h in held_by:
        for cls, why in h.forbids.items():
            if cls in seen:
                continue
            seen.add(cls)
            also = [o for o in held_by if o is not h and cls in o.forbids]
            others = [o.id for o in also]
            out.append(DoNot.model_validate({
                "class": cls, "label": ADVICE_LABELS[cls], "why": why, "held_by": h.id, "holder_title": h.title,
                "also_held_by": others, "also_held_by_titles": [o.title for o in also],
                "withheld": sorted({r for o in [h.id, *others] for r in withheld.get((o, cls), [])}),
                "references": list(h.references),
            }))
    return out


def _contraindications(from_rules: Sequence[Contraindication], held_by: list[Holder], lib: Library) -> list[Contraindication]:
    out = list(from_rules)
    for h in held_by:
        for ban in h.test_bans:
            for item_id in items_with_tags(ban.tags, lib):
                out.append(Contraindication(id=h.id, item=item_id, why=ban.why, references=list(h.references)))
    return out


def items_with_tags(tags: Iterable[str], lib: Library) -> list[str]:
    """Ids of every loaded item carrying one of ``tags``, in library order."""
    wanted = set(tags)
    return [item_id for item_id, item in lib.items.items() if wanted & set(item.tags)]


def own_holders(rule_id: str, lib: Library) -> frozenset[str]:
    """The rules ``rule_id`` fires because of (transitively), and the diagnoses those flags suggest."""
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
    out = set(seen)
    for ref in seen:
        rule = lib.rules.get(ref)
        if rule is not None and rule.effect.type == "red_flag":
            out.update(rule.effect.suggests)
    return frozenset(out)


def _mid_sentence(title: str) -> str:
    """A title continuing a sentence: "Suspected X" -> "suspected X", but "ADD-RS" stays."""
    return title[:1].lower() + title[1:] if title[1:2].islower() else title


def do_not_holders(d: DoNot) -> str:
    """Who forbids it, in words: the most urgent holder, then every other one, so the working
    diagnosis is named even when a more urgent suspicion stands first."""
    if not d.also_held_by_titles:
        return d.holder_title
    return f"{d.holder_title}; also {'; '.join(_mid_sentence(t) for t in d.also_held_by_titles)}"


def held_back_text(h: HeldBack) -> str:
    """One line for a held-back suggestion: what it was, and why it waits."""
    what = f"{h.title}: {h.text}" if h.text else h.title
    return f"{what} ({h.why.removeprefix('held back - ')})"


STEP_QUOTE_CHARS = 90


def _quoted_step(text: str) -> str:
    """A held step in a few words: enough to tell it from the pathway's other steps."""
    text = text.strip().rstrip(".")  # the line that quotes it ends with its own full stop
    if len(text) <= STEP_QUOTE_CHARS:
        return f'"{text}"'
    return '"' + text[:STEP_QUOTE_CHARS].rsplit(" ", 1)[0].rstrip(",;:") + '..."'


def held_back_lines(held: list[HeldBack]) -> list[str]:
    """Suppressed suggestions grouped by the flag holding them: one line per holder, each suggestion
    named once, so an emergency does not drown in a list.

    A pathway held back whole is named; when only some of its steps wait, the line says so (one
    step is quoted), because the rest of that pathway is still in the plan: "held back: safety
    netting" beside a plan that gives the safety-netting advice would read as a contradiction."""
    groups: dict[str, dict[str, list[str] | None]] = {}
    for h in held:
        if h.forbidden:
            continue
        titles = groups.setdefault(h.holder_title or (h.held_by[0] if h.held_by else "a red flag"), {})
        if h.kind != "treatment_step":
            titles[h.title] = None  # the whole suggestion
        elif (steps := titles.setdefault(h.title, [])) is not None:
            steps.append(h.text or "")
    lines = []
    for holder, titles in groups.items():
        named = []
        for title, steps in titles.items():
            if steps is None:
                named.append(title)
            elif len(steps) == 1:
                named.append(f"one step of {title}, {_quoted_step(steps[0])}" if steps[0] else f"one step of {title}")
            else:
                named.append(f"{len(steps)} steps of {title}")
        lines.append(f"until {holder} is dealt with: " + "; ".join(named))
    return lines


def advice_allowed(classes: Sequence[str], assessment: Assessment, lib: Library) -> bool:
    """True when advice of these classes may be given beside this assessment.

    For advice outside the rules (a handout's home exercises): the same holders and the same
    verdict as the plan's own steps, so a leaflet never gives what the plan held back.
    """
    return _Judge(holders(assessment.red_flags, assessment.suspected, lib)).verdict(classes) is None
