"""Concurrency and crashes: 20 processes at once, two writers on one draft, SIGKILL mid-burst."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import text

from exam_assistant.store import EncounterRepository, StaleSaveError, open_store
from tests.store.factories import make_encounter, with_note

REPO_ROOT = Path(__file__).resolve().parents[2]


def _child(url: str, count: int, go: Path | None = None) -> subprocess.Popen[str]:
    args = [sys.executable, "-m", "tests.store.saver", url, str(count)]
    if go is not None:
        args.append(str(go))
    return subprocess.Popen(args, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


@pytest.mark.slow
def test_twenty_processes_saving_at_once_leave_twenty_encounters(db_url: str, tmp_path: Path) -> None:
    """20 processes open a fresh database and save at the same moment: 20 rows, no error."""
    go = tmp_path / "go"
    children = [_child(db_url, 1, go) for _ in range(20)]
    go.touch()
    results = [(c.wait(timeout=180), *c.communicate()) for c in children]
    assert [(code, err) for code, _, err in results if code != 0] == []
    ids = {out.strip() for _, out, _ in results}
    repo = open_store(db_url)
    try:
        assert len(ids) == 20 and repo.count() == 20
        assert {s.id for s in repo.list(limit=100)} == ids
    finally:
        repo.engine.dispose()


def test_two_writers_on_one_draft_one_wins_and_nothing_is_lost(repo: EncounterRepository) -> None:
    """Two simultaneous saves based on the same version: one succeeds, the other is refused."""
    for _ in range(5):
        enc = make_encounter()
        repo.save_draft(enc, None, "setup")
        barrier = threading.Barrier(2)
        outcome: dict[str, str] = {}

        def write(who: str, enc: object = enc, outcome: dict[str, str] = outcome,
                  barrier: threading.Barrier = barrier) -> None:
            barrier.wait()
            try:
                repo.save_draft(with_note(enc, f"work of {who}"), 1, who)  # type: ignore[arg-type]
                outcome[who] = "saved"
            except StaleSaveError:
                outcome[who] = "stale"

        threads = [threading.Thread(target=write, args=(who,)) for who in ("alice", "bob")]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert sorted(outcome.values()) == ["saved", "stale"]
        winner = next(who for who, result in outcome.items() if result == "saved")
        stored = repo.get(str(enc.id))
        assert (stored.version, stored.encounter.notes, stored.updated_by) == (2, f"work of {winner}", winner)


@pytest.mark.slow
def test_sigkill_during_a_burst_keeps_every_acknowledged_save(db_url: str) -> None:
    """A saver killed with SIGKILL mid-burst: every id it printed is there after reopening."""
    open_store(db_url).engine.dispose()
    child = _child(db_url, 10_000)
    assert child.stdout is not None
    acknowledged = []
    for line in child.stdout:
        acknowledged.append(line.strip())
        if len(acknowledged) == 40:
            os.kill(child.pid, signal.SIGKILL)
            break
    child.wait(timeout=60)
    acknowledged.extend(line.strip() for line in child.stdout.read().splitlines() if line.strip())
    child.stdout.close()
    if child.stderr is not None:
        child.stderr.close()
    assert child.returncode == -signal.SIGKILL
    repo = open_store(db_url)
    try:
        for encounter_id in acknowledged:
            assert repo.get(encounter_id).encounter.patient.name.startswith("Burst Patient")
        assert repo.count() >= len(acknowledged) >= 40
        if repo.engine.dialect.name == "sqlite":
            with repo.engine.connect() as conn:
                assert conn.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
        assert repo.save_draft(make_encounter(), None, "after-crash").version == 1
    finally:
        repo.engine.dispose()
