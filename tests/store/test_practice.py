"""Practice attempts: saved and listed per student on both back-ends."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from exam_assistant.store import EncounterRepository, InvalidEncounterError
from exam_assistant.store.audit import history
from exam_assistant.store.errors import ConflictError, NotFoundError, StaleSaveError
from tests.store.factories import at


def test_attempts_are_saved_and_listed_newest_first(repo: EncounterRepository) -> None:
    """save_attempt stores an attempt; list_attempts filters by student, newest first."""
    practice = repo.practice
    start = at(2026, 5, 1)
    first = practice.save_attempt("cases.c6_radic", "student-07", "osce", start,
                                  start + timedelta(minutes=9), {"points": 14, "of": 20})
    practice.save_attempt("cases.tos", "student-07", "guided", start + timedelta(days=1), None, {})
    practice.save_attempt("cases.tos", "student-08", "osce", start, None, {"points": 3})
    mine = practice.list_attempts("student-07")
    assert [a.case_id for a in mine] == ["cases.tos", "cases.c6_radic"]
    assert mine[1] == first and first.score == {"points": 14, "of": 20}
    assert first.finished_at == start + timedelta(minutes=9)
    assert len(practice.list_attempts()) == 3


def test_attempt_labels_refuse_free_text_and_naive_times(repo: EncounterRepository) -> None:
    """A student label is a short pseudonym, not a sentence; times need a time zone."""
    with pytest.raises(InvalidEncounterError):
        repo.practice.save_attempt("cases.tos", "Ada; DOB 1971", "osce", at(2026, 5, 1), None, {})
    with pytest.raises(InvalidEncounterError):
        repo.practice.save_attempt("cases.tos", "s1", "osce", at(2026, 5, 1).replace(tzinfo=None),
                                   None, {})


def _state(**changes: object) -> dict[str, object]:
    """An unfinished attempt as the practice page keeps it (Attempt JSON)."""
    from exam_assistant.practice.attempt import Attempt

    return Attempt(case_id="cases.tos", mode="learning", student="s1", started_at=at(2026, 5, 1)).model_copy(
        update=changes).model_dump(mode="json")


def test_an_unfinished_attempt_autosaves_and_resumes(repo: EncounterRepository) -> None:
    """start_attempt, then each update_attempt keeps the state and bumps the version; get_attempt
    reads it back (what a refreshed page resumes from); it is not in the progress until committed."""
    practice = repo.practice
    state = _state()
    started = practice.start_attempt(state, "s1")
    assert started.version == 1 and started.progress == state
    asked = {**state, "actions": ["history.pain_onset", "history.rash"], "hints_used": 1}
    saved = practice.update_attempt(asked, 1, "s1")
    assert saved.version == 2
    again = practice.get_attempt(started.id)
    assert again.progress == asked and again.finished_at is None
    assert practice.list_attempts("s1") == [], "an unfinished attempt is not in the student's progress"

    finished = {**asked, "finished_at": (at(2026, 5, 1) + timedelta(minutes=9)).isoformat()}
    done = practice.update_attempt(finished, 2, "s1", score={"total": 12})
    assert done.progress is None and done.score == {"total": 12} and done.version == 3
    assert [a.id for a in practice.list_attempts("s1")] == [started.id]
    with pytest.raises(ConflictError):
        practice.update_attempt(asked, 3, "s1")  # a committed attempt no longer changes
    events = [e for e in history(repo.engine) if e.detail == f"practice attempt {started.id}"]
    assert [(e.event, e.version) for e in events] == [
        ("practice_start", 1), ("practice_save", 2), ("practice_commit", 3)]


def test_attempt_autosave_refuses_stale_and_invalid_saves(repo: EncounterRepository) -> None:
    """An older version is refused without overwriting; bad state names the field."""
    practice = repo.practice
    state = _state()
    practice.start_attempt(state, "s1")
    practice.update_attempt({**state, "actions": ["history.rash"]}, 1, "s1")
    with pytest.raises(StaleSaveError) as stale:
        practice.update_attempt({**state, "actions": ["history.pain_onset"]}, 1, "s1")
    assert stale.value.current_version == 2
    assert practice.get_attempt(str(state["id"])).progress["actions"] == ["history.rash"]  # type: ignore[index]
    with pytest.raises(InvalidEncounterError, match="hints_used"):
        practice.update_attempt({**state, "hints_used": -1}, 2, "s1")
    with pytest.raises(InvalidEncounterError, match="actions"):
        practice.update_attempt({**state, "actions": ["<script>"]}, 2, "s1")
    with pytest.raises(InvalidEncounterError, match="limit"):
        practice.update_attempt({**state, "actions": ["history.rash"] * 20_000}, 2, "s1")
    with pytest.raises(InvalidEncounterError, match="student label"):
        practice.update_attempt({**state, "student": "Ada; DOB 1971"}, 2, "s1")
    with pytest.raises(InvalidEncounterError, match="case"):
        practice.update_attempt({**state, "case_id": "cases.c6"}, 2, "s1")
    with pytest.raises(InvalidEncounterError, match="score"):
        practice.update_attempt({**state, "finished_at": at(2026, 5, 2).isoformat()}, 2, "s1")
    with pytest.raises(NotFoundError):
        practice.get_attempt("not-an-id")
    with pytest.raises(NotFoundError):
        practice.update_attempt(_state(id=uuid.uuid4()), 1, "s1")
    assert practice.get_attempt(str(state["id"])).version == 2
