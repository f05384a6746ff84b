"""Scores over time: stored attempts turned into table rows and a chart by domain.

Reads only what the store keeps for an attempt (case id, mode, times, the score JSON), so old
attempts whose case has since changed still show.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from exam_assistant.practice.choices import DOMAIN_LABELS, DOMAINS, GLOBAL_RATING_LABELS


@dataclass(frozen=True)
class StoredAttempt:
    """The store's record of an attempt (``exam_assistant.store.PracticeAttempt`` has these fields)."""

    case_id: str
    mode: str
    started_at: datetime
    score: dict[str, Any]


def progress_rows(attempts: Iterable[StoredAttempt], titles: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """One row per attempt, oldest first: date, case, mode, percent, rating, then each domain's percent."""
    titles = titles or {}
    rows = []
    for a in sorted(attempts, key=lambda x: x.started_at):
        score = a.score
        domains = {d.get("domain"): d.get("percent") for d in score.get("domains", []) if isinstance(d, dict)}
        row: dict[str, Any] = {
            "Date": a.started_at,
            "Case": titles.get(a.case_id, score.get("case_title", a.case_id)),
            "Mode": a.mode,
            "Score %": score.get("percent"),
            "Global rating": GLOBAL_RATING_LABELS.get(str(score.get("global_rating")), "—"),
        }
        for d in DOMAINS:
            row[DOMAIN_LABELS[d]] = domains.get(d)
        rows.append(row)
    return rows


def domain_series(rows: list[dict[str, Any]]) -> dict[str, list[float | None]]:
    """Per-domain percentages in row order, only for domains that appear at least once."""
    out: dict[str, list[float | None]] = {}
    for d in DOMAINS:
        label = DOMAIN_LABELS[d]
        values = [r.get(label) for r in rows]
        if any(v is not None for v in values):
            out[label] = values
    return out
