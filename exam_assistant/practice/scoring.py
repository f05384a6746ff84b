"""OSCE-style marking of an attempt: the checklist (rules in ``marking.py``), penalties, domains
and a global rating.

Unsafe tests (the case's list and anything the library contraindicates for the simulated
patient) and unnecessary tests cost points. A missed critical item or an unsafe choice caps the
global rating at borderline; a missed EMERGENCY red flag is a clear fail.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from exam_assistant.engine.assess import assess
from exam_assistant.engine.assessment import Assessment
from exam_assistant.library import Library
from exam_assistant.practice.attempt import Attempt
from exam_assistant.practice.case import AskedCheck, Case, PerformedCheck, matches
from exam_assistant.practice.choices import DOMAINS, GLOBAL_RATINGS, Domain, GlobalRating, Mode
from exam_assistant.practice.marking import ChecklistResult, Context, label, mark_item
from exam_assistant.practice.simulate import full_encounter, is_question
from exam_assistant.protocol import RedFlagEffect

SCORE_FORMAT_VERSION = "1.0"


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


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
            out.append(PenaltyResult(item=item_id, label=label(ctx, item_id), kind="unsafe",
                                     points=rates.unsafe_test, domain="safety", why=why, references=refs))
        elif not relevant(ctx, item_id) and unnecessary_left > 0:
            cost = min(rates.unnecessary_test, unnecessary_left)
            unnecessary_left -= cost
            out.append(PenaltyResult(item=item_id, label=label(ctx, item_id), kind="unnecessary", points=cost,
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
