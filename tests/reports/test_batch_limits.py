"""Batch export: a per-record time limit names the record that exceeded it; notes are written 0600."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from reports import ClinicProfile, NoteOptions, export_batch
from reports.time_limit import RecordTimeLimit, enforceable, time_limit
from tests.reports.conftest import EXAMPLES, example


def test_time_limit_interrupts_a_record_that_never_finishes() -> None:
    """A render stuck in an endless loop is stopped by the limit instead of hanging the worker."""
    if not enforceable():
        pytest.skip("no interval timer on this platform")
    with pytest.raises(RecordTimeLimit, match="time limit per record"), time_limit(0.05):
        while True:
            pass


@pytest.mark.slow
def test_a_record_over_the_limit_is_reported_by_key_and_the_rest_still_written(tmp_path: Path) -> None:
    """With a limit no note can meet, every record is reported under its key as over the limit; then,
    with the default limit, the same records are written owner-only (0600)."""
    good = [example(p.stem) for p in sorted(EXAMPLES.glob("*.json"))[:2]]
    summary = export_batch(good, tmp_path / "slow", ClinicProfile(), NoteOptions(), workers=1,
                           record_seconds=0.000_001)
    assert sorted(f.key for f in summary.failures) == sorted(str(e.id) for e in good)
    assert all("time limit per record" in f.error for f in summary.failures)
    summary = export_batch(good, tmp_path / "ok", ClinicProfile(), NoteOptions(), workers=1)
    assert summary.ok and len(summary.written) == 2
    for path in summary.written:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
