"""The marking rule of each kind of checklist check (asked, performed, avoided, interpreted,
red_flags, diagnosis, differential, level, imaging, plan): a share of the line's points and a detail.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict

from exam_assistant.engine.assessment import Assessment
from exam_assistant.library import Library
from exam_assistant.practice.attempt import Attempt, InterpretationAnswer
from exam_assistant.practice.case import (
    AskedCheck,
    AvoidedCheck,
    Case,
    Check,
    ChecklistItem,
    DiagnosisCheck,
    DifferentialCheck,
    ImagingCheck,
    InterpretedCheck,
    LevelCheck,
    PerformedCheck,
    PlanCheck,
    RedFlagsCheck,
)
from exam_assistant.practice.choices import Domain, Effect
from exam_assistant.practice.evidence import Result, derived_effect, interpretation_target, result_on

FALSE_ALARM_SHARE = 0.25  # share of an item's points lost per wrong red flag or unsafe plan choice
Status = Literal["met", "partial", "missed"]


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ChecklistResult(_Out):
    id: str
    text: str
    domain: Domain
    points: float
    earned: float
    status: Status
    detail: str
    critical: bool = False


@dataclass(frozen=True)
class Context:
    """Everything a marking rule reads."""

    case: Case
    attempt: Attempt
    lib: Library
    full: Assessment  # what the evidence says when the whole case is examined
    asked: frozenset[str]
    examined: frozenset[str]

    @property
    def done(self) -> frozenset[str]:
        return self.asked | self.examined


Mark = tuple[float, str]  # (share of the item's points earned, 0..1; detail)


def label(ctx: Context, item_id: str) -> str:
    item = ctx.lib.items.get(item_id)
    return item.label if item else item_id


def _dx_name(ctx: Context, dx: str) -> str:
    d = ctx.lib.diagnoses.get(dx)
    return d.name if d else dx.replace("_", " ")


def _coverage(ctx: Context, items: list[str], at_least: int | None, done: frozenset[str], verb: str) -> Mark:
    need = at_least or len(items)
    hit = [i for i in items if i in done]
    missing = [label(ctx, i) for i in items if i not in done]
    detail = f"{verb} {len(hit)} of {len(items)}" + (f" (needed {need})" if need != len(items) else "")
    if missing and len(hit) < need:
        detail += "; not " + verb + ": " + "; ".join(missing)
    return min(len(hit), need) / need, detail


def _asked(ctx: Context, chk: AskedCheck) -> Mark:
    return _coverage(ctx, chk.items, chk.at_least, ctx.done, "asked")


def _performed(ctx: Context, chk: PerformedCheck) -> Mark:
    return _coverage(ctx, chk.items, chk.at_least, ctx.done, "performed")


def _avoided(ctx: Context, chk: AvoidedCheck) -> Mark:
    done = [label(ctx, i) for i in chk.items if i in ctx.done]
    if done:
        return 0.0, "performed: " + "; ".join(done)
    return 1.0, "none performed"


TestSide = Literal["left", "right", "any"]


def case_side(case: Case) -> TestSide:
    """The side a key test is read on by default: the case's symptomatic side, else either side."""
    side = case.expected.side
    return "left" if side == "left" else "right" if side == "right" else "any"


def expected_interpretation(ctx: Context, item_id: str) -> tuple[TestSide, Result | None, Effect | None, str]:
    """(side, expected result, expected effect, target diagnosis) of a key test in this case."""
    interp = next(i for i in ctx.case.expected.interpretations if i.item == item_id)
    item = ctx.lib.items[item_id]
    side: TestSide = interp.side or case_side(ctx.case)
    finding = ctx.case.findings.get(item_id)
    target = interpretation_target(interp, item, ctx.case.expected.diagnosis)
    effect = interp.effect or derived_effect(item, target, finding, side)
    return side, result_on(finding, item, side), effect, target


def _answer_for(answers: list[InterpretationAnswer], item_id: str, side: str) -> InterpretationAnswer | None:
    same = [a for a in answers if a.item == item_id]
    return next((a for a in same if a.side == side), same[0] if same else None)


def _interpreted(ctx: Context, chk: InterpretedCheck) -> Mark:
    if chk.item not in ctx.done:
        return 0.0, f"{label(ctx, chk.item)} was not performed, so it could not be interpreted"
    side, result, effect, _target = expected_interpretation(ctx, chk.item)
    answer = _answer_for(ctx.attempt.answers.interpretations, chk.item, side)
    if answer is None:
        return 0.0, f"no interpretation given for {label(ctx, chk.item)}"
    share = 0.0
    notes = []
    if answer.result == result:
        share += 0.5
        notes.append(f"result {result}: correct")
    else:
        notes.append(f"result: you said {answer.result}, the finding is {result}")
    if answer.effect == effect:
        share += 0.5
        notes.append("effect on probability: correct")
    else:
        said = answer.effect.replace("_", " ") if answer.effect else "nothing"
        notes.append(f"effect: you said {said}, the evidence says {(effect or '').replace('_', ' ')}")
    return share, "; ".join(notes)


def acceptable_red_flags(ctx: Context) -> set[str]:
    return set(ctx.case.expected.red_flags) | {f.id for f in ctx.full.red_flags}


def _red_flags(ctx: Context, chk: RedFlagsCheck) -> Mark:
    expected = set(ctx.case.expected.red_flags)
    chosen = set(ctx.attempt.answers.red_flags)
    false = sorted(chosen - acceptable_red_flags(ctx))
    share = len(expected & chosen) / len(expected) if expected else 1.0
    share = max(0.0, share - FALSE_ALARM_SHARE * len(false))
    parts = []
    if expected:
        missed = sorted(expected - chosen)
        parts.append(f"identified {len(expected & chosen)} of {len(expected)}")
        if missed:
            parts.append("missed: " + "; ".join(_rule_title(ctx, r) for r in missed))
    else:
        parts.append("no red flag in this case")
    if false:
        parts.append("not supported by the findings: " + "; ".join(_rule_title(ctx, r) for r in false))
    return share, "; ".join(parts)


def _rule_title(ctx: Context, rule_id: str) -> str:
    rule = ctx.lib.rules.get(rule_id)
    return rule.title if rule else rule_id


def _diagnosis(ctx: Context, chk: DiagnosisCheck) -> Mark:
    said = ctx.attempt.answers.diagnosis
    expected = ctx.case.expected.diagnosis
    if said == expected:
        return 1.0, f"{_dx_name(ctx, expected)}: correct"
    return 0.0, f"you named {_dx_name(ctx, said) if said else 'nothing'}; most likely is {_dx_name(ctx, expected)}"


def _differential(ctx: Context, chk: DifferentialCheck) -> Mark:
    good = set(ctx.case.expected.differential)
    named = [d for d in ctx.attempt.answers.differential if d in good]
    detail = f"named {len(named)} acceptable alternative(s) (needed {chk.at_least})"
    return min(len(named), chk.at_least) / chk.at_least, detail


def _level(ctx: Context, chk: LevelCheck) -> Mark:
    exp = ctx.case.expected
    level_ok = ctx.attempt.answers.level == exp.level
    side_ok = ctx.attempt.answers.side == exp.side
    expected = "no root level" if exp.level == "none" else f"{exp.level} {exp.side}"
    if level_ok and side_ok:
        return 1.0, f"{expected}: correct"
    said = f"{ctx.attempt.answers.level or 'no level'} {ctx.attempt.answers.side or 'no side'}"
    return (0.5 if level_ok or (side_ok and exp.level != "none") else 0.0), f"you said {said}; expected {expected}"


def _imaging(ctx: Context, chk: ImagingCheck) -> Mark:
    exp = ctx.case.expected.imaging
    said = ctx.attempt.answers.imaging
    if said in exp.correct:
        return 1.0, "correct choice"
    if said in exp.acceptable:
        return 0.5, "acceptable, but not the best first choice"
    if said in exp.unsafe:
        return 0.0, "an unsafe choice for this patient"
    return 0.0, "no imaging choice made" if said is None else "not an appropriate first choice here"


def _plan(ctx: Context, chk: PlanCheck) -> Mark:
    exp = ctx.case.expected.plan
    chosen = set(ctx.attempt.answers.plan)
    hit = [p for p in exp.required if p in chosen]
    unsafe = sorted(chosen & set(exp.unsafe))
    share = max(0.0, len(hit) / len(exp.required) - FALSE_ALARM_SHARE * len(unsafe))
    detail = f"{len(hit)} of {len(exp.required)} essential step(s)"
    if unsafe:
        detail += "; unsafe or harmful: " + ", ".join(u.replace("_", " ") for u in unsafe)
    return share, detail


def _mark(ctx: Context, chk: Check) -> Mark:
    """The marking rule of each kind of checklist check."""
    if isinstance(chk, AskedCheck):
        return _asked(ctx, chk)
    if isinstance(chk, PerformedCheck):
        return _performed(ctx, chk)
    if isinstance(chk, AvoidedCheck):
        return _avoided(ctx, chk)
    if isinstance(chk, InterpretedCheck):
        return _interpreted(ctx, chk)
    if isinstance(chk, RedFlagsCheck):
        return _red_flags(ctx, chk)
    if isinstance(chk, DiagnosisCheck):
        return _diagnosis(ctx, chk)
    if isinstance(chk, DifferentialCheck):
        return _differential(ctx, chk)
    if isinstance(chk, LevelCheck):
        return _level(ctx, chk)
    if isinstance(chk, ImagingCheck):
        return _imaging(ctx, chk)
    return _plan(ctx, chk)


def mark_item(ctx: Context, entry: ChecklistItem) -> ChecklistResult:
    share, detail = _mark(ctx, entry.check)
    earned = round(entry.points * share, 2)
    status: Status = "met" if share >= 1 else "partial" if share > 0 else "missed"
    return ChecklistResult(id=entry.id, text=entry.text, domain=entry.domain, points=entry.points, earned=earned,
                           status=status, detail=detail, critical=entry.critical)
