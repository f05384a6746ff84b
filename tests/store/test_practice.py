"""Practice attempts: saved and listed per student on both back-ends."""

from __future__ import annotations

from datetime import timedelta

import pytest

from exam_assistant.store import EncounterRepository, InvalidEncounterError
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
