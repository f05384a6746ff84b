"""The model answer of a case: what a competent student asks, examines and commits to.

Shown after feedback, and used by the tests to prove every case can be marked in full.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from exam_assistant.library import Library
from exam_assistant.practice.attempt import Answers, Attempt, InterpretationAnswer
from exam_assistant.practice.case import AskedCheck, AvoidedCheck, Case, PerformedCheck
from exam_assistant.practice.choices import Mode
from exam_assistant.practice.marking import expected_interpretation
from exam_assistant.practice.scoring import context_for


def model_actions(case: Case) -> list[str]:
    """Every question and test the mark sheet rewards, without the unsafe ones."""
    avoid = {u.item for u in case.key_actions.unsafe}
    ids: list[str] = [*case.key_actions.must_ask, *case.key_actions.must_do]
    for entry in case.marking.checklist:
        chk = entry.check
        if isinstance(chk, AvoidedCheck):
            avoid.update(chk.items)
        elif isinstance(chk, (AskedCheck, PerformedCheck)):
            ids.extend(chk.items)
    ids.extend(i.item for i in case.expected.interpretations)
    return [i for i in dict.fromkeys(ids) if i not in avoid]


def model_attempt(case: Case, lib: Library, mode: Mode = "learning", student: str = "model answer") -> Attempt:
    """An attempt that follows the case's key actions and expected answers exactly."""
    started = datetime.now(UTC)
    attempt = Attempt(case_id=case.id, mode=mode, student=student, started_at=started,
                      finished_at=started + timedelta(minutes=min(5, case.time_limit_minutes - 1)),
                      actions=model_actions(case))
    ctx = context_for(case, attempt, lib)
    interpretations = []
    for interp in case.expected.interpretations:
        side, result, effect, _target = expected_interpretation(ctx, interp.item)
        if result is not None:
            interpretations.append(InterpretationAnswer(item=interp.item, side=side,
                                                        result=result, effect=effect))
    exp = case.expected
    attempt.answers = Answers(
        interpretations=interpretations, red_flags=list(exp.red_flags), diagnosis=exp.diagnosis,
        differential=list(exp.differential), level=exp.level, side=exp.side, imaging=exp.imaging.correct[0],
        plan=list(exp.plan.required),
    )
    return attempt
