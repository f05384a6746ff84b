"""Item-by-item feedback: each miss explained with the library's evidence and its reference.

The explanations quote the protocol packs (an item's accuracy figures, a rule's reason, a
cluster's post-test probability as the engine computes it); the case adds only its own
teaching point. ``assess()`` runs twice: on what the student found and on the whole case.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from exam_assistant import conditions as cond
from exam_assistant.engine.assess import assess
from exam_assistant.engine.assessment import Assessment, ClusterResult
from exam_assistant.library import Library
from exam_assistant.models import SidedTest
from exam_assistant.practice.attempt import Attempt
from exam_assistant.practice.case import (
    AskedCheck,
    AvoidedCheck,
    Case,
    ChecklistItem,
    DiagnosisCheck,
    ImagingCheck,
    InterpretedCheck,
    LevelCheck,
    PerformedCheck,
    PlanCheck,
    RedFlagsCheck,
)
from exam_assistant.practice.choices import EFFECT_LABELS, IMAGING_LABELS, PLAN_LABELS, Domain
from exam_assistant.practice.evidence import derived_effect, evidence_summary, result_meaning, result_on
from exam_assistant.practice.marking import ChecklistResult, Context, expected_interpretation
from exam_assistant.practice.scoring import Score, context_for, score_attempt
from exam_assistant.practice.simulate import encounter_for, full_encounter
from exam_assistant.protocol import RedFlagEffect


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FeedbackEntry(_Out):
    checklist_id: str | None
    domain: Domain
    status: Literal["met", "partial", "missed", "penalty"]
    title: str
    detail: str
    explanation: list[str]
    references: list[str]


class EvidenceNote(_Out):
    """What the engine computed from the student's findings, beside the whole case."""

    title: str
    yours: str
    whole_case: str
    references: list[str]


class ReferenceOut(_Out):
    key: str
    citation: str
    link: str | None


class Feedback(_Out):
    score: Score
    entries: list[FeedbackEntry]
    evidence: list[EvidenceNote]
    references: list[ReferenceOut]


def _item_evidence(ctx: Context, item_id: str, target: str) -> tuple[list[str], list[str]]:
    item = ctx.lib.items[item_id]
    lines = [f"{item.label}: {evidence_summary(ev)}" for ev in item.evidence if ev.target == target][:2]
    refs = [k for ev in item.evidence if ev.target == target for k in ev.references][:4]
    return lines, refs


def _target_for(ctx: Context, item_id: str) -> str:
    item = ctx.lib.items[item_id]
    for interp in ctx.case.expected.interpretations:
        if interp.item == item_id:
            return expected_interpretation(ctx, item_id)[3]
    targets = [ev.target for ev in item.evidence]
    return ctx.case.expected.diagnosis if ctx.case.expected.diagnosis in targets or not targets else targets[0]


def _missing_test(ctx: Context, item_id: str) -> tuple[list[str], list[str]]:
    """Why a test mattered: its accuracy and what the case's result would have meant."""
    item = ctx.lib.items[item_id]
    target = _target_for(ctx, item_id)
    lines, refs = _item_evidence(ctx, item_id, target)
    side = ctx.case.expected.side if ctx.case.expected.side in ("left", "right") else "any"
    result = result_on(ctx.case.findings.get(item_id), item, side)
    if result is not None and item.evidence:
        text, more = result_meaning(item, target, result, ctx.lib)
        lines.append(f"In this patient it was {result}. {text}")
        refs += more
    if item.notes:
        lines.append(item.notes)
    return lines, refs


def _rules_using(ctx: Context, item_id: str) -> list[str]:
    return [rid for rid in ctx.lib.rule_order if item_id in cond.item_ids(ctx.lib.rules[rid].when)]


def fired_rules(a: Assessment) -> set[str]:
    """Ids of every rule that produced something in an assessment."""
    ids = {f.id for f in a.red_flags} | {c.id for c in a.clusters if c.called_positive} | set(a.flags)
    ids |= {i.id for i in a.imaging} | {t.id for t in a.treatment} | {d.id for d in a.decisions if d.outcome}
    ids |= {e.rule for dx in a.differential for e in [*dx.for_, *dx.against]}
    return ids


def _missing_question(ctx: Context, item_id: str, screening: bool) -> tuple[list[str], list[str]]:
    """Why a question mattered: for a red-flag screen, the red flag it screens for; otherwise a rule
    it feeds that fires on the whole case."""
    fired = fired_rules(ctx.full)
    rules = [ctx.lib.rules[r] for r in _rules_using(ctx, item_id)]
    if screening:
        rules = [r for r in rules if isinstance(r.effect, RedFlagEffect)]
        rules.sort(key=lambda r: r.id not in fired)
    else:
        rules = [r for r in rules if r.id in fired]
        rules.sort(key=lambda r: not isinstance(r.effect, RedFlagEffect))
    if not rules:
        return [], []
    rule = rules[0]
    how = "which this case raises" if rule.id in fired else "the red flag it screens for"
    return [f"{ctx.lib.items[item_id].label} feeds '{rule.title}', {how}: {rule.reason}"], list(rule.references)


def _explain(ctx: Context, entry: ChecklistItem, result: ChecklistResult) -> tuple[list[str], list[str]]:
    chk = entry.check
    lines: list[str] = []
    refs: list[str] = []
    if isinstance(chk, (AskedCheck, PerformedCheck)):
        for item_id in chk.items:
            if item_id in ctx.done:
                continue
            item = ctx.lib.items[item_id]
            screening = entry.domain == "red_flag_screen"
            more, keys = _missing_test(ctx, item_id) if item.evidence else _missing_question(ctx, item_id, screening)
            lines += more
            refs += keys
    elif isinstance(chk, AvoidedCheck):
        unsafe = {u.item: u.why for u in ctx.case.key_actions.unsafe}
        lines += [f"{ctx.lib.items[i].label}: {unsafe.get(i, 'not safe in this patient')}"
                  for i in chk.items if i in ctx.done]
    elif isinstance(chk, InterpretedCheck):
        side, expected, effect, target = expected_interpretation(ctx, chk.item)
        item = ctx.lib.items[chk.item]
        finding = ctx.case.findings.get(chk.item)
        where = "on either side" if side == "any" else f"on the {side} side"
        if expected is not None:
            text, keys = result_meaning(item, target, expected, ctx.lib)
            lines.append(f"{item.label} {where} is {expected} here. {text}")
            refs += keys
            derived = derived_effect(item, target, finding, side)
            if effect is not None and derived is not None and derived != effect and isinstance(finding, SidedTest):
                crits = {c for s in (finding.left, finding.right) for c in s.criteria}
                labels = [c.label for c in item.criteria if c.value in crits]
                lines.append("That figure is for the test as its studies defined a positive; here the result "
                             f"rests only on: {'; '.join(labels) or 'no recorded criterion'}.")
        if effect is not None:
            lines.append(f"Expected answer: it {EFFECT_LABELS[effect]}.")
        if finding is not None and finding.kind == "sided_test" and item.positive_when:
            lines.append(f"What counts as positive: {item.positive_when}")
    elif isinstance(chk, RedFlagsCheck):
        for flag in ctx.full.red_flags:
            if flag.id in ctx.case.expected.red_flags and flag.id not in ctx.attempt.answers.red_flags:
                found = "; ".join(f"{t.label}: {t.value}" for t in flag.triggered_by)
                lines.append(f"{flag.title} [{flag.tier}] — raised by {found}. Action: {flag.action}")
                refs += flag.references
    elif isinstance(chk, DiagnosisCheck):
        entry_dx = next((d for d in ctx.full.differential if d.id == ctx.case.expected.diagnosis), None)
        if entry_dx is not None:
            lines.append(f"{entry_dx.name}: for — " + "; ".join(e.finding for e in entry_dx.for_)
                         + ("; against — " + "; ".join(e.finding for e in entry_dx.against) if entry_dx.against else ""))
            refs += entry_dx.references[:4]
    elif isinstance(chk, LevelCheck) and ctx.full.level is not None:
        lv = ctx.full.level
        lines.append(f"The neuro screen localises {lv.level} {lv.side}: {lv.reason}")
        lines += [f"{la.condition}: {la.distinguish}" for la in lv.lookalikes]
        refs += lv.references
    elif isinstance(chk, ImagingCheck):
        imaging = ctx.case.expected.imaging
        lines.append(f"Best first choice: {', '.join(IMAGING_LABELS[c] for c in imaging.correct)}. {imaging.why}")
        for im in ctx.full.imaging[:2]:
            first = im.first.study if im.first else f"no imaging now; review in {im.review_in_weeks} week(s)"
            lines.append(f"The protocol suggests: {first} — {im.scenario}. {im.reason}")
            refs += im.references
    elif isinstance(chk, PlanCheck):
        exp = ctx.case.expected.plan
        lines.append(f"Essential: {'; '.join(PLAN_LABELS[p] for p in exp.required)}. {exp.why}")
        for tp in ctx.full.treatment[:2]:
            lines.append(f"The protocol's pathway: {tp.title} — " + "; ".join(s.text for s in tp.steps[:3]))
            refs += tp.references
    if entry.teaching:
        lines.append(entry.teaching)
    refs += entry.references
    return lines, refs


def _cluster_text(c: ClusterResult | None) -> str:
    if c is None:
        return "not scored (its tests were not performed)"
    text = f"{c.positive} of {c.total} positive"
    if c.not_tested:
        text += f", {c.not_tested} not tested"
    if c.posttest_probability is not None and c.pretest_probability is not None:
        text += (f"; post-test probability about {c.posttest_probability * 100:.0f}% "
                 f"from {c.pretest_probability * 100:.0f}%")
    return f"{text}. {c.interpretation}"


def evidence_notes(yours: Assessment, whole: Assessment) -> list[EvidenceNote]:
    """Clusters, red flags and level: the student's findings beside the whole case."""
    notes: list[EvidenceNote] = []
    mine = {c.id: c for c in yours.clusters}
    for c in whole.clusters:
        notes.append(EvidenceNote(title=c.title, yours=_cluster_text(mine.get(c.id)), whole_case=_cluster_text(c),
                                  references=list(c.references)))
    your_flags = ", ".join(f.title for f in yours.red_flags) or "none raised"
    all_flags = ", ".join(f.title for f in whole.red_flags) or "none"
    notes.append(EvidenceNote(title="Red flags raised by the findings", yours=your_flags, whole_case=all_flags,
                              references=[k for f in whole.red_flags for k in f.references]))
    if whole.level is not None or yours.level is not None:
        def lv(a: Assessment) -> str:
            return f"{a.level.level} {a.level.side} ({a.level.confidence})" if a.level else "no single level"
        notes.append(EvidenceNote(title="Root level from the neuro screen", yours=lv(yours), whole_case=lv(whole),
                                  references=list(whole.level.references) if whole.level else []))
    return notes


def feedback_for(case: Case, attempt: Attempt, lib: Library) -> Feedback:
    """Score an attempt and explain every line of the mark sheet."""
    whole = assess(full_encounter(case, lib, attempt.started_at), lib)
    score = score_attempt(case, attempt, lib, whole)
    ctx = context_for(case, attempt, lib, whole)
    entries: list[FeedbackEntry] = []
    for entry, result in zip(case.marking.checklist, score.checklist, strict=True):
        lines, refs = _explain(ctx, entry, result) if result.status != "met" else ([], list(entry.references))
        entries.append(FeedbackEntry(checklist_id=entry.id, domain=entry.domain, status=result.status,
                                     title=entry.text, detail=result.detail, explanation=lines,
                                     references=_known(lib, refs)))
    for p in score.penalties:
        entries.append(FeedbackEntry(checklist_id=None, domain=p.domain, status="penalty",
                                     title=f"{'Unsafe' if p.kind == 'unsafe' else 'Unnecessary'} test: {p.label}",
                                     detail=f"-{p.points:g} point(s)", explanation=[p.why],
                                     references=_known(lib, p.references)))
    rank = {"missed": 0, "penalty": 1, "partial": 2, "met": 3}
    entries.sort(key=lambda e: rank[e.status])
    yours = assess(encounter_for(case, lib, attempt.done(), attempt.started_at), lib)
    notes = evidence_notes(yours, whole)
    keys = list(dict.fromkeys([*case.references, *(k for e in entries for k in e.references),
                               *(k for n in notes for k in n.references)]))
    resolved = [ReferenceOut(key=k, citation=lib.references[k].citation,
                         link=(f"https://doi.org/{lib.references[k].doi}" if lib.references[k].doi
                               else lib.references[k].url))
            for k in _known(lib, keys)]
    return Feedback(score=score, entries=entries, evidence=notes, references=resolved)


def _known(lib: Library, keys: list[str]) -> list[str]:
    return [k for k in dict.fromkeys(keys) if k in lib.references]
