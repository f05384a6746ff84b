"""An attempt in progress: starting, asking and examining under the mode's rules, the timer.

Pure functions over :class:`Attempt`, so the page stays a description of the screen and the
rules (exam mode has a time limit and no hints) are tested without a browser.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from exam_assistant.library import Library
from exam_assistant.practice.attempt import Attempt
from exam_assistant.practice.case import Case
from exam_assistant.practice.choices import Mode
from exam_assistant.practice.simulate import is_question, offered

INTERPRETABLE_ANSWERS = ("sided_test", "yes_no")
DEFAULT_STUDENT = "student"


@dataclass(frozen=True)
class MenuEntry:
    item_id: str
    group: str
    label: str


def start(case: Case, mode: Mode, student: str = "", now: datetime | None = None) -> Attempt:
    return Attempt(case_id=case.id, mode=mode, student=student.strip(), started_at=now or datetime.now(UTC))


def seconds_left(attempt: Attempt, case: Case, now: datetime | None = None) -> float | None:
    """Seconds left in exam mode (never below 0); None in learning mode, which has no limit."""
    if attempt.mode != "exam":
        return None
    elapsed = ((now or datetime.now(UTC)) - attempt.started_at).total_seconds()
    return max(0.0, case.time_limit_minutes * 60 - elapsed)


def can_act(attempt: Attempt, case: Case, now: datetime | None = None) -> bool:
    """Questions and tests are allowed until the attempt is committed or exam time runs out."""
    if attempt.finished_at is not None:
        return False
    left = seconds_left(attempt, case, now)
    return left is None or left > 0


def act(attempt: Attempt, case: Case, lib: Library, item_id: str, now: datetime | None = None) -> bool:
    """Record asking or performing ``item_id``; False when not allowed (unknown, repeated, time up)."""
    if item_id not in lib.items or not offered(lib.items[item_id]) or not can_act(attempt, case, now):
        return False
    if item_id in attempt.actions:
        return False
    attempt.actions = [*attempt.actions, item_id]
    return True


def next_hint(attempt: Attempt, case: Case) -> str | None:
    """Reveal the next hint (learning mode only); None when there is none left or in exam mode."""
    if attempt.mode != "learning" or attempt.hints_used >= len(case.hints) or attempt.finished_at is not None:
        return None
    attempt.hints_used += 1
    return case.hints[attempt.hints_used - 1]


def menu(lib: Library, questions: bool) -> list[MenuEntry]:
    """History questions, or examination items, grouped by pack section in examination order."""
    out: list[MenuEntry] = []
    for loaded in lib.ordered_packs():
        for section in loaded.pack.sections:
            for item in section.items:
                if offered(item) and is_question(item) == questions:
                    out.append(MenuEntry(item.id, section.title, item.label))
    return out


def interpretable(attempt: Attempt, lib: Library) -> list[str]:
    """Performed tests and signs the student can interpret (positive or negative)."""
    return [i for i in attempt.done()
            if i in lib.items and not is_question(lib.items[i]) and lib.items[i].answer in INTERPRETABLE_ANSWERS]


def finish(attempt: Attempt, now: datetime | None = None) -> None:
    attempt.finished_at = now or datetime.now(UTC)
    if not attempt.student:
        attempt.student = DEFAULT_STUDENT
