"""Practice-mode attempts: which simulated case a student tried, in which mode, and the score.

Stores a student label chosen by the teacher (a pseudonym or a login), never patient data:
practice cases are simulated. The score is a JSON object owned by the practice package.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from exam_assistant.models import utcnow
from exam_assistant.store.engine import writer
from exam_assistant.store.errors import InvalidEncounterError
from exam_assistant.store.tables import PracticeAttemptRow

_LABEL = re.compile(r"^[\w .@\-]{1,200}$")


@dataclass(frozen=True)
class PracticeAttempt:
    """One stored attempt at a simulated case."""

    id: str
    case_id: str
    student: str
    mode: str
    started_at: datetime
    finished_at: datetime | None
    score: dict[str, Any]
    created_at: datetime


def _check(label: str, what: str, limit: int = 200) -> str:
    label = label.strip()
    if len(label) > limit or not _LABEL.match(label):
        raise InvalidEncounterError(f"the {what} must be 1 to {limit} letters, digits, spaces or . @ - _")
    return label


class PracticeRepository:
    """Save and list practice attempts on the store's database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def save_attempt(
        self,
        case_id: str,
        student: str,
        mode: str,
        started_at: datetime,
        finished_at: datetime | None,
        score: dict[str, Any],
    ) -> PracticeAttempt:
        """Store one attempt and return it with its new id; ``score`` must be JSON-serialisable."""
        if started_at.tzinfo is None or (finished_at is not None and finished_at.tzinfo is None):
            raise InvalidEncounterError("attempt times must carry a time zone")
        row = PracticeAttemptRow(
            id=str(uuid.uuid4()),
            case_id=_check(case_id, "case id"),
            student=_check(student, "student label"),
            mode=_check(mode, "mode", 40),
            started_at=started_at,
            finished_at=finished_at,
            score=dict(score),
            created_at=utcnow(),
        )
        with Session(writer(self.engine), expire_on_commit=False) as session, session.begin():
            session.add(row)
        return _attempt(row)

    def list_attempts(self, student: str | None = None, limit: int = 500) -> list[PracticeAttempt]:
        """Attempts, newest first; only one student's when ``student`` is given."""
        query = (
            select(PracticeAttemptRow)
            .order_by(PracticeAttemptRow.started_at.desc(), PracticeAttemptRow.id)
            .limit(limit)
        )
        if student is not None:
            query = query.where(PracticeAttemptRow.student == student.strip())
        with Session(self.engine) as session:
            return [_attempt(row) for row in session.scalars(query)]


def _attempt(row: PracticeAttemptRow) -> PracticeAttempt:
    return PracticeAttempt(
        id=row.id,
        case_id=row.case_id,
        student=row.student,
        mode=row.mode,
        started_at=row.started_at,
        finished_at=row.finished_at,
        score=dict(row.score),
        created_at=row.created_at,
    )
