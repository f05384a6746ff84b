"""Autosave that never claims "saved" before the store confirmed: retries and their schedule.

No Streamlit here. A save that fails on a *transient* database error (SQLite busy beyond its
timeout, "database is locked", a dropped PostgreSQL connection) is retried a few times with a
growing pause, within a small time budget so a click never hangs for long; after that the change
stays in the session and is offered again later (:class:`RetrySchedule`). Any other error (a
stale save, invalid data) is not retried: it is the caller's to report.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy.exc import DBAPIError, DisconnectionError, OperationalError

T = TypeVar("T")


def is_transient(exc: BaseException) -> bool:
    """Whether trying the same save again later may succeed (the database was busy or away)."""
    if isinstance(exc, (OperationalError, DisconnectionError)):
        return True
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    return "database is locked" in str(exc) or "database is busy" in str(exc)


@dataclass(frozen=True)
class RetryPolicy:
    """How hard one save tries before it gives up for now."""

    attempts: int = 3
    first_pause_s: float = 0.1
    factor: float = 3.0
    budget_s: float = 2.0  # no new attempt starts after this long (SQLite's own busy wait counts)


CLICK_POLICY = RetryPolicy()


def save_with_retry(
    save: Callable[[], T],
    policy: RetryPolicy = CLICK_POLICY,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> T:
    """Run ``save``; on a transient error pause and try again, at most ``policy.attempts`` times
    and never starting an attempt after ``policy.budget_s``. Re-raises the last error."""
    started = clock()
    pause = policy.first_pause_s
    for attempt in range(1, policy.attempts + 1):
        try:
            return save()
        except Exception as exc:
            last_try = attempt == policy.attempts or clock() - started + pause > policy.budget_s
            if not is_transient(exc) or last_try:
                raise
        sleep(pause)
        pause *= policy.factor
    raise AssertionError("unreachable: the loop returns or raises")  # pragma: no cover


@dataclass(frozen=True)
class RetrySchedule:
    """When the change kept in the session is offered to the store again: after a pause that
    doubles with each failure, capped (so a database that comes back is used within a minute)."""

    failures: int = 0
    next_at: float = 0.0
    last_error: str = ""

    FIRST_PAUSE_S = 2.0
    MAX_PAUSE_S = 30.0

    def failed(self, now: float, error: str) -> RetrySchedule:
        pause = min(self.FIRST_PAUSE_S * 2 ** self.failures, self.MAX_PAUSE_S)
        return RetrySchedule(self.failures + 1, now + pause, error)

    def due(self, now: float) -> bool:
        return now >= self.next_at


def error_words(exc: BaseException) -> str:
    """A short, patient-data-free description of a database error for the screen."""
    text = str(getattr(exc, "orig", None) or exc).splitlines()[0] if str(exc) else type(exc).__name__
    if "locked" in text or "busy" in text:
        return "the database is busy (locked by another program)"
    return "the database could not be reached"
