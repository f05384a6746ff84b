"""Autosave never says "saved" before the store confirmed: retries on a really locked SQLite
database, the change kept in the session, and saved without another click once the lock goes."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from exam_assistant.models import YesNo
from exam_assistant.store import EncounterRepository
from exam_assistant.ui.autosave import RetryPolicy, RetrySchedule, is_transient, save_with_retry
from tests.ui.conftest import ok, page_text, start_examination, widget


@contextmanager
def locked(path: Path) -> Iterator[sqlite3.Connection]:
    """Hold an exclusive write lock on the SQLite file, as another program would."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=0)
    conn.execute("BEGIN EXCLUSIVE")
    try:
        yield conn
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        conn.close()


def _table(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (x INTEGER)")


def _write(path: Path) -> int:
    with sqlite3.connect(path, timeout=0) as conn:
        conn.execute("INSERT INTO t VALUES (1)")
        return int(conn.execute("SELECT count(*) FROM t").fetchone()[0])


def test_a_locked_database_is_retried_until_the_lock_goes(tmp_path: Path) -> None:
    path = tmp_path / "busy.sqlite"
    _table(path)
    pauses: list[float] = []
    with locked(path) as lock:
        def pause(seconds: float) -> None:  # the other program finishes during the second pause
            pauses.append(seconds)
            if len(pauses) == 2:
                lock.execute("ROLLBACK")

        assert save_with_retry(lambda: _write(path), RetryPolicy(attempts=4, budget_s=60), sleep=pause) == 1
    assert pauses == [0.1, pytest.approx(0.3)]


def test_retries_are_bounded_and_the_last_error_is_raised(tmp_path: Path) -> None:
    path = tmp_path / "busy.sqlite"
    _table(path)
    pauses: list[float] = []
    with locked(path), pytest.raises(sqlite3.OperationalError, match="locked") as raised:
        save_with_retry(lambda: _write(path), RetryPolicy(attempts=3, budget_s=60), sleep=pauses.append)
    assert len(pauses) == 2 and is_transient(raised.value)


def test_other_errors_are_not_retried(tmp_path: Path) -> None:
    pauses: list[float] = []
    with pytest.raises(sqlite3.OperationalError, match="no such table"):
        save_with_retry(lambda: _write(tmp_path / "empty.sqlite"), sleep=pauses.append)
    assert pauses == []


def test_retry_pauses_double_up_to_a_cap() -> None:
    schedule = RetrySchedule()
    nexts = []
    for _ in range(6):
        schedule = schedule.failed(100.0, "busy")
        nexts.append(schedule.next_at - 100.0)
    assert nexts == [2.0, 4.0, 8.0, 16.0, 30.0, 30.0]
    assert not schedule.due(129.0) and schedule.due(130.0)


def test_an_answer_the_store_refused_stays_and_is_saved_on_the_next_run(
    app: AppTest, store: EncounterRepository, database: str
) -> None:
    """SQLite locked by another program: the header says NOT saved, the answer stays on screen;
    once the lock goes the next run saves it and the header says saved."""
    encounter_id = start_examination(app)
    path = Path(database.removeprefix("sqlite:///"))
    with locked(path):
        widget(app, "history.night_pain").set_value("yes")
        ok(app.run())
        assert "1 change NOT saved, retrying" in page_text(app)
        assert "saved automatically" not in page_text(app)
        assert widget(app, "history.night_pain").value == "yes"
    assert "history.night_pain" not in store.get(encounter_id).encounter.findings
    ok(app.run())
    assert store.get(encounter_id).encounter.findings["history.night_pain"] == YesNo(value="yes")
    assert "saved automatically" in page_text(app) and "NOT saved" not in page_text(app)
