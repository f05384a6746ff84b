"""A per-record time limit for batch export workers (one record must not hold up the batch).

Uses the interval timer and SIGALRM of the worker process, so it only works in a process's
main thread on POSIX; elsewhere (Windows) the limit is not enforced and that is said here.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

DEFAULT_RECORD_SECONDS = 60.0


class RecordTimeLimit(Exception):
    """One record took longer than the time limit; its message holds no record content."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"took longer than the {seconds:g} s time limit per record; left out")
        self.seconds = seconds


def enforceable() -> bool:
    """True where the limit can interrupt rendering (POSIX, main thread)."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise RecordTimeLimit in the body once ``seconds`` of wall time have passed."""
    if not seconds or not enforceable():
        yield
        return

    def expire(_signum: int, _frame: FrameType | None) -> None:
        raise RecordTimeLimit(seconds)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
