"""OSCE-style marking of an attempt: the case's checklist, penalties, domains and a global rating.

Each checklist check has one marking rule (see ``_RULES``); unsafe tests (the case's list and
anything the library contraindicates for the simulated patient) and unnecessary tests cost
points. A missed critical item or an unsafe choice caps the global rating at borderline; a
missed EMERGENCY red flag is a clear fail.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from exam_assistant.engine.assess import assess
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
    matches,
)
from exam_assistant.practice.choices import (
    DOMAINS,
    GLOBAL_RATINGS,
    Domain,
    Effect,
    GlobalRating,
    Mode,
)
from exam_assistant.practice.evidence import Result, derived_effect, interpretation_target, result_on
from exam_assistant.practice.simulate import full_encounter, is_question
from exam_assistant.protocol import RedFlagEffect

SCORE_FORMAT_VERSION = "1.0"
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


class PenaltyResult(_Out):
    item: str
    label: str
    kind: Literal["unsafe", "unnecessary"]
    points: float = Field(description="points deducted (positive)")
    domain: Domain
    why: str
    references: list[str] = Field(default_factory=list)


class DomainScore(_Out):
    domain: Domain
    earned: float
    available: float
    percent: float | None


class Score(_Out):
    """The mark of one attempt; holds a student label and the case id, never patient data."""

    format_version: Literal["1.0"] = "1.0"
    attempt_id: uuid.UUID
    case_id: str
    case_title: str
    mode: Mode
    student: str
    started_at: datetime
    finished_at: datetime | None
    duration_seconds: float | None
    time_limit_minutes: int
    overtime: bool
    hints_used: int
    total: float
    maximum: float
    percent: float
    global_rating: GlobalRating
    capped_by: list[str]
    examiner_global_rating: GlobalRating | None = None
    checklist: list[ChecklistResult]
    penalties: list[PenaltyResult]
    domains: list[DomainScore]


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


def _label(ctx: Context, item_id: str) -> str:
    item = ctx.lib.items.get(item_id)
    return item.label if item else item_id


def _dx_name(ctx: Context, dx: str) -> str:
    d = ctx.lib.diagnoses.get(dx)
    return d.name if d else dx.replace("_", " ")


def _coverage(ctx: Context, items: list[str], at_least: int | None, done: frozenset[str], verb: str) -> Mark:
    need = at_least or len(items)
    hit = [i for i in items if i in done]
    missing = [_label(ctx, i) for i in items if i not in done]
    detail = f"{verb} {len(hit)} of {len(items)}" + (f" (needed {need})" if need != len(items) else "")
    if missing and len(hit) < need:
        detail += "; not " + verb + ": " + "; ".join(missing)
    return min(len(hit), need) / need, detail


def _asked(ctx: Context, chk: AskedCheck) -> Mark:
    return _coverage(ctx, chk.items, chk.at_least, ctx.done, "asked")


def _performed(ctx: Context, chk: PerformedCheck) -> Mark:
    return _coverage(ctx, chk.items, chk.at_least, ctx.done, "performed")


def _avoided(ctx: Context, chk: AvoidedCheck) -> Mark:
    done = [_label(ctx, i) for i in chk.items if i in ctx.done]
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
        return 0.0, f"{_label(ctx, chk.item)} was not performed, so it could not be interpreted"
    side, result, effect, _target = expected_interpretation(ctx, chk.item)
    answer = _answer_for(ctx.attempt.answers.interpretations, chk.item, side)
    if answer is None:
        return 0.0, f"no interpretation given for {_label(ctx, chk.item)}"
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


# ------------------------------------------------------------------ penalties


def unsafe_items(ctx: Context) -> dict[str, tuple[str, list[str]]]:
    """Item id -> (why, references): the case's unsafe tests and the library's contraindications."""
    out: dict[str, tuple[str, list[str]]] = {u.item: (u.why, []) for u in ctx.case.key_actions.unsafe}
    for c in ctx.full.contraindications:
        out.setdefault(c.item, (c.why, list(c.references)))
    return out


def relevant(ctx: Context, item_id: str) -> bool:
    """A test the case expects or tolerates: required, reasonable, interpreted or on the checklist."""
    ka = ctx.case.key_actions
    if item_id in ka.must_do or any(matches(p, item_id) for p in ka.reasonable):
        return True
    if any(i.item == item_id for i in ctx.case.expected.interpretations):
        return True
    for entry in ctx.case.marking.checklist:
        chk = entry.check
        if isinstance(chk, (PerformedCheck, AskedCheck)) and item_id in chk.items:
            return True
    return False


def penalties(ctx: Context) -> list[PenaltyResult]:
    rates = ctx.case.marking.penalties
    unsafe = unsafe_items(ctx)
    out: list[PenaltyResult] = []
    unnecessary_left = rates.unnecessary_cap
    for item_id in ctx.attempt.done():
        if item_id not in ctx.examined:
            continue
        if item_id in unsafe:
            why, refs = unsafe[item_id]
            out.append(PenaltyResult(item=item_id, label=_label(ctx, item_id), kind="unsafe",
                                     points=rates.unsafe_test, domain="safety", why=why, references=refs))
        elif not relevant(ctx, item_id) and unnecessary_left > 0:
            cost = min(rates.unnecessary_test, unnecessary_left)
            unnecessary_left -= cost
            out.append(PenaltyResult(item=item_id, label=_label(ctx, item_id), kind="unnecessary", points=cost,
                                     domain="test_selection",
                                     why="not needed to answer this case's question; each extra test costs time "
                                         "and can mislead (special tests have false positives)"))
    return out


# ------------------------------------------------------------------ totals and rating


def _domains(checklist: list[ChecklistResult], pens: list[PenaltyResult]) -> list[DomainScore]:
    out = []
    for d in DOMAINS:
        available = sum(c.points for c in checklist if c.domain == d)
        earned = sum(c.earned for c in checklist if c.domain == d) - sum(p.points for p in pens if p.domain == d)
        if available == 0 and earned == 0:
            continue
        percent = round(max(0.0, earned) / available * 100, 1) if available else None
        out.append(DomainScore(domain=d, earned=round(earned, 2), available=available, percent=percent))
    return out


def _rating(ctx: Context, percent: float, checklist: list[ChecklistResult],
            pens: list[PenaltyResult]) -> tuple[GlobalRating, list[str]]:
    bands = sorted(ctx.case.marking.rating_bands, key=lambda b: -b.at_least)
    rating: GlobalRating = next(b.rating for b in bands if percent >= b.at_least)
    caps: list[tuple[GlobalRating, str]] = []
    for c in checklist:
        if c.critical and c.status != "met":
            caps.append(("borderline", f"critical item not fully met: {c.text}"))
    for p in pens:
        if p.kind == "unsafe":
            caps.append(("borderline", f"unsafe test performed: {p.label}"))
    answers = ctx.attempt.answers
    if answers.imaging in ctx.case.expected.imaging.unsafe:
        caps.append(("borderline", "unsafe imaging choice"))
    if set(answers.plan) & set(ctx.case.expected.plan.unsafe):
        caps.append(("borderline", "unsafe step in the plan"))
    for rule_id in ctx.case.expected.red_flags:
        rule = ctx.lib.rules.get(rule_id)
        if (rule is not None and isinstance(rule.effect, RedFlagEffect) and rule.effect.tier == "EMERGENCY"
                and rule_id not in answers.red_flags):
            caps.append(("clear_fail", f"emergency red flag missed: {rule.title}"))
    reasons = []
    for cap, why in caps:
        reasons.append(why)
        if GLOBAL_RATINGS.index(cap) < GLOBAL_RATINGS.index(rating):
            rating = cap
    return rating, reasons


def context_for(case: Case, attempt: Attempt, lib: Library, full: Assessment | None = None) -> Context:
    done = [i for i in attempt.done() if i in lib.items]
    asked = frozenset(i for i in done if is_question(lib.items[i]))
    examined = frozenset(i for i in done if not is_question(lib.items[i]))
    full = full if full is not None else assess(full_encounter(case, lib, attempt.started_at), lib)
    return Context(case, attempt, lib, full, asked, examined)


def score_attempt(case: Case, attempt: Attempt, lib: Library, full: Assessment | None = None) -> Score:
    """Mark an attempt against its case's checklist; pure and deterministic."""
    if attempt.case_id != case.id:
        raise ValueError(f"attempt is for case '{attempt.case_id}', not '{case.id}'")
    ctx = context_for(case, attempt, lib, full)
    checklist = [mark_item(ctx, entry) for entry in case.marking.checklist]
    pens = penalties(ctx)
    maximum = case.maximum
    total = round(max(0.0, sum(c.earned for c in checklist) - sum(p.points for p in pens)), 2)
    percent = round(total / maximum * 100, 1) if maximum else 0.0
    rating, capped_by = _rating(ctx, percent, checklist, pens)
    duration = attempt.duration_seconds
    return Score(
        attempt_id=attempt.id, case_id=case.id, case_title=case.title, mode=attempt.mode, student=attempt.student,
        started_at=attempt.started_at, finished_at=attempt.finished_at, duration_seconds=duration,
        time_limit_minutes=case.time_limit_minutes,
        overtime=bool(attempt.mode == "exam" and duration is not None and duration > case.time_limit_minutes * 60),
        hints_used=attempt.hints_used, total=total, maximum=maximum, percent=percent, global_rating=rating,
        capped_by=capped_by, examiner_global_rating=attempt.examiner_global_rating, checklist=checklist,
        penalties=pens, domains=_domains(checklist, pens),
    )
