"""Practice-mode attempts: which simulated case a student tried, in which mode, and the score.

Stores a student label chosen by the teacher (a pseudonym or a login), never patient data:
practice cases are simulated. The score is a JSON object owned by the practice package.

An attempt being worked on is autosaved like a draft (``start_attempt``, ``update_attempt``):
its state is kept in ``progress`` with an optimistic-lock ``version`` until it is committed, so
a refreshed page resumes it; only committed attempts count in a student's progress.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from exam_assistant.models import utcnow
from exam_assistant.practice.attempt import Attempt
from exam_assistant.store import audit
from exam_assistant.store.engine import writer
from exam_assistant.store.errors import ConflictError, InvalidEncounterError, NotFoundError, StaleSaveError
from exam_assistant.store.tables import PracticeAttemptRow

# A full attempt (every item of every pack asked, all answers) is under 20 kB as JSON.
MAX_PROGRESS_BYTES = 200_000
DEFAULT_STUDENT = "student"  # exam_assistant.practice.run.DEFAULT_STUDENT: an attempt with no label

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
    progress: dict[str, Any] | None = None  # the unfinished attempt's state (Attempt JSON)
    version: int = 1


def _check(label: str, what: str, limit: int = 200) -> str:
    label = label.strip()
    if len(label) > limit or not _LABEL.match(label):
        raise InvalidEncounterError(f"the {what} must be 1 to {limit} letters, digits, spaces or . @ - _")
    return label


def _plain(exc: ValidationError) -> str:
    err = exc.errors(include_url=False)[0]
    where = ".".join(str(p) for p in err["loc"]) or "attempt"
    return f"{where}: {str(err['msg']).removeprefix('Value error, ')}"


def checked_state(state: dict[str, Any]) -> Attempt:
    """The attempt ``state`` as a validated :class:`Attempt`; InvalidEncounterError naming the field."""
    try:
        size = len(json.dumps(state, ensure_ascii=False, allow_nan=False).encode("utf-8"))
    except (TypeError, ValueError) as exc:
        raise InvalidEncounterError(f"the attempt is not plain JSON ({exc})") from None
    if size > MAX_PROGRESS_BYTES:
        raise InvalidEncounterError(f"the attempt is {size:,} bytes as JSON; the limit is {MAX_PROGRESS_BYTES:,}")
    try:
        attempt = Attempt.model_validate(state)
    except ValidationError as exc:
        raise InvalidEncounterError(f"the attempt was not saved: {_plain(exc)}") from None
    _check(attempt.case_id, "case id")
    _check(attempt.student or DEFAULT_STUDENT, "student label")
    return attempt


def _detail(attempt_id: str) -> str:
    return f"practice attempt {attempt_id}"


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

    def start_attempt(self, state: dict[str, Any], actor: str) -> PracticeAttempt:
        """Store a new unfinished attempt (autosaved from now on); returns it at version 1."""
        attempt = checked_state(state)
        if attempt.finished_at is not None:
            raise InvalidEncounterError("a committed attempt is saved with update_attempt, not started")
        row = PracticeAttemptRow(
            id=str(attempt.id), case_id=attempt.case_id, student=attempt.student or DEFAULT_STUDENT,
            mode=_check(attempt.mode, "mode", 40), started_at=attempt.started_at, finished_at=None, score={},
            created_at=utcnow(), progress=attempt.model_dump(mode="json"), version=1,
        )
        with Session(writer(self.engine), expire_on_commit=False) as session, session.begin():
            if session.get(PracticeAttemptRow, row.id) is not None:
                raise ConflictError("an attempt with this id is already stored")
            session.add(row)
            audit.record(session, "practice_start", actor, None, 1, detail=_detail(row.id))
        return _attempt(row)

    def update_attempt(
        self,
        state: dict[str, Any],
        expected_version: int,
        actor: str,
        score: dict[str, Any] | None = None,
    ) -> PracticeAttempt:
        """Autosave an unfinished attempt, or commit it (``state`` finished, with its ``score``).

        Refuses a save based on an older version than the stored one (StaleSaveError, nothing
        overwritten), a change of case, and any save after the attempt was committed.
        """
        attempt = checked_state(state)
        finished = attempt.finished_at is not None
        if finished != (score is not None):
            raise InvalidEncounterError("a committed attempt needs its score, an unfinished one has none")
        attempt_id = str(attempt.id)
        with Session(writer(self.engine), expire_on_commit=False) as session, session.begin():
            query = select(PracticeAttemptRow).where(PracticeAttemptRow.id == attempt_id).with_for_update()
            row = session.scalars(query).first()
            if row is None:
                raise NotFoundError("no practice attempt with this id")
            if row.progress is None:
                raise ConflictError("this attempt was already committed; it can no longer change")
            if row.version != expected_version:
                raise StaleSaveError("the attempt was saved elsewhere since it was loaded (another tab?)",
                                     current_version=row.version)
            if attempt.case_id != row.case_id or attempt.started_at != row.started_at:
                raise InvalidEncounterError("an attempt keeps its case and start time")
            row.student = attempt.student or DEFAULT_STUDENT
            row.mode = _check(attempt.mode, "mode", 40)
            row.version = row.version + 1
            if score is not None:
                row.finished_at, row.score, row.progress = attempt.finished_at, dict(score), None
            else:
                row.progress = attempt.model_dump(mode="json")
            event: audit.AuditEventKind = "practice_commit" if finished else "practice_save"
            audit.record(session, event, actor, None, row.version, detail=_detail(attempt_id))
        return _attempt(row)

    def get_attempt(self, attempt_id: str) -> PracticeAttempt:
        """One attempt by id, finished or not; NotFoundError when there is none."""
        try:
            key = str(uuid.UUID(attempt_id))
        except ValueError:
            raise NotFoundError("no practice attempt with this id") from None
        with Session(self.engine) as session:
            row = session.get(PracticeAttemptRow, key)
            if row is None:
                raise NotFoundError("no practice attempt with this id")
            return _attempt(row)

    def list_attempts(self, student: str | None = None, limit: int = 500) -> list[PracticeAttempt]:
        """Saved attempts, newest first; only one student's when ``student`` is given.

        Attempts still being worked on (autosaved, not committed) are left out.
        """
        query = (
            select(PracticeAttemptRow)
            .where(PracticeAttemptRow.progress.is_(None))
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
        progress=dict(row.progress) if row.progress is not None else None,
        version=row.version,
    )
