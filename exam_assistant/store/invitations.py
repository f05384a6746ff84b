"""Pre-visit invitations: a single-use, expiring, revocable link to the patient's questionnaire.

The link carries a random token (``secrets.token_urlsafe``); the database keeps only its SHA-256,
compared in constant time. States: ``new`` -> ``opened`` -> ``submitted`` -> ``imported``, or
``revoked``; ``expired`` is read from the expiry time. Holds a patient's name, date of birth and
answers: never log them. Audit events name the invitation id only.

Two doors: :class:`InvitationDoor` is all the patient's page gets (open, save and submit by token,
nothing else), :class:`InvitationStore` adds the clinic's side (create, list, get, revoke, import),
and ``store/acting.RoleCheckedInvitations`` is that side with the signed-in user fixed. Answers
saved before a link expires are kept, and the clinic may start from them (they may hold a flag);
those of a revoked link are kept in the database but never offered (it may have reached the wrong
person).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from exam_assistant.access import DEFAULT_CLINIC
from exam_assistant.models import Choice, MultiChoice, Number, Patient, YesNo, utcnow
from exam_assistant.store import audit
from exam_assistant.store.engine import writer
from exam_assistant.store.errors import ConflictError, InvalidEncounterError, NotFoundError
from exam_assistant.store.records import check_actor
from exam_assistant.store.tables import InvitationRow

InvitationState = Literal["new", "opened", "submitted", "imported", "revoked", "expired"]
DEFAULT_HOURS = 72
MAX_HOURS = 24 * 30
MAX_ANSWERS = 200
UNAVAILABLE = "This link cannot be used. It may be wrong, used already, expired or withdrawn. Please contact the clinic."
_PatientAnswer = Annotated[YesNo | Number | Choice | MultiChoice, Field(discriminator="kind")]
_ANSWERS = TypeAdapter(dict[Annotated[str, Field(max_length=80)], _PatientAnswer])


class InvitationRequest(BaseModel):
    """What creating an invitation takes, checked at the boundary like every other input."""

    model_config = ConfigDict(extra="forbid")

    patient: Patient
    expires_hours: Annotated[int, Field(ge=1, le=MAX_HOURS)] = DEFAULT_HOURS


class InvitationUnavailable(NotFoundError):
    """A wrong, used, expired or revoked token: one plain message, no data."""

    def __init__(self) -> None:
        super().__init__(UNAVAILABLE)


@dataclass(frozen=True)
class Invitation:
    """One invitation as read back (no token: only its creator ever sees that, once)."""

    id: str
    patient_name: str
    date_of_birth: date
    state: InvitationState
    created_at: datetime
    created_by: str
    expires_at: datetime
    answers: dict[str, Any]
    urgency: str | None
    encounter_id: str | None


@dataclass(frozen=True)
class CreatedInvitation:
    """A new invitation and its token (shown once, to put in the link)."""

    invitation: Invitation
    token: str


def token_hash(token: str) -> str:
    """The SHA-256 (hex) kept in place of the token."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def plain_error(exc: ValidationError) -> str:
    """The first problem as one line naming the field (``patient.date_of_birth: ...``)."""
    first = exc.errors()[0]
    field = ".".join(str(part) for part in first["loc"]) or "value"
    return f"{field}: {first['msg']}"


def check_request(data: dict[str, Any]) -> InvitationRequest:
    """Validate a creation request; InvalidEncounterError with one plain line when it is wrong."""
    try:
        return InvitationRequest.model_validate(data)
    except ValidationError as exc:
        raise InvalidEncounterError(plain_error(exc)) from None


def _state(row: InvitationRow, now: datetime) -> InvitationState:
    if row.state in ("new", "opened") and now >= row.expires_at:
        return "expired"
    state: InvitationState = row.state  # type: ignore[assignment]  # written by this module only
    return state


def _view(row: InvitationRow, now: datetime) -> Invitation:
    return Invitation(row.id, row.patient_name, row.date_of_birth, _state(row, now), row.created_at,
                      row.created_by, row.expires_at, dict(row.answers or {}), row.urgency, row.encounter_id)


def _detail(invitation_id: str) -> str:
    return f"invitation {invitation_id}"


def can_start(invitation: Invitation) -> bool:
    """Answers a clinician may start an encounter from: sent, or saved before the link expired."""
    return invitation.state == "submitted" or (invitation.state == "expired" and bool(invitation.answers))


class InvitationDoor:
    """The patient's side: one invitation, reached only through its token (no list, no id)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._writer = writer(engine)

    def _session(self) -> Session:
        return Session(self._writer, expire_on_commit=False)

    def _live(self, session: Session, token: str, now: datetime) -> InvitationRow:
        if not token or len(token) > 200:
            raise InvitationUnavailable()
        digest = token_hash(token)
        row = session.scalars(
            select(InvitationRow).where(InvitationRow.token_hash == digest).with_for_update()
        ).first()
        if row is None or not hmac.compare_digest(row.token_hash, digest):
            raise InvitationUnavailable()
        if _state(row, now) not in ("new", "opened"):
            raise InvitationUnavailable()
        return row

    def open(self, token: str) -> Invitation:
        """The invitation behind ``token`` if it can still be answered (first open is audited)."""
        now = utcnow()
        with self._session() as session, session.begin():
            row = self._live(session, token, now)
            if row.state == "new":
                row.state, row.updated_at = "opened", now
                audit.record(session, "invite_opened", "patient", None, None, detail=_detail(row.id), at=now)
            return _view(row, now)

    def save_answers(self, token: str, answers: dict[str, Any], urgency: str | None = None) -> Invitation:
        """Replace the saved answers (validated, marked patient-reported, never confirmed) and the
        highest urgency they raise. InvitationUnavailable once the link expired or was revoked: the
        answers saved before stay as they were."""
        now = utcnow()
        if len(answers) > MAX_ANSWERS:
            raise InvalidEncounterError(f"answers: at most {MAX_ANSWERS}")
        try:
            checked = _ANSWERS.validate_python(answers)
        except ValidationError as exc:
            raise InvalidEncounterError(plain_error(exc)) from None
        data = {key: {**value.model_dump(mode="json"), "reported_by": "patient", "confirmed": False}
                for key, value in checked.items()}
        with self._session() as session, session.begin():
            row = self._live(session, token, now)
            row.answers, row.urgency, row.updated_at = data, urgency, now
            return _view(row, now)

    def submit(self, token: str) -> Invitation:
        """Hand the answers to the clinic; the link then stops working."""
        now = utcnow()
        with self._session() as session, session.begin():
            row = self._live(session, token, now)
            row.state, row.updated_at = "submitted", now
            audit.record(session, "invite_submitted", "patient", None, None, detail=_detail(row.id), at=now)
            return _view(row, now)


class InvitationStore(InvitationDoor):
    """Invitations on one database: the clinic's side, plus the patient's door by token.

    ``clinic`` scopes it like the encounter repository: None (the CLI, the single-user app) reaches
    every clinic's invitations; a clinic id creates invitations in that clinic and lists and opens
    only its own, another clinic's id being "not found" in the same words as a missing one.
    """

    def __init__(self, engine: Engine, clinic: str | None = None) -> None:
        super().__init__(engine)
        self.clinic = clinic

    def _find(self, session: Session, invitation_id: str, lock: bool = False) -> InvitationRow:
        row = session.get(InvitationRow, invitation_id, with_for_update=lock)
        if row is None or (self.clinic is not None and row.clinic != self.clinic):
            raise NotFoundError(f"no invitation with id {invitation_id} that you may open (not found or not allowed)")
        return row

    def clinic_of(self, invitation_id: str) -> str | None:
        """The clinic an invitation belongs to (None when there is no such invitation)."""
        with Session(self.engine) as session:
            return session.scalar(select(InvitationRow.clinic).where(InvitationRow.id == invitation_id))

    # ------------------------------------------------------------------ clinic side

    def create(self, request: InvitationRequest, actor: str) -> CreatedInvitation:
        """A new invitation for ``request.patient``; the token is returned once and never stored."""
        actor = check_actor(actor)
        token = secrets.token_urlsafe(32)
        now = utcnow()
        row = InvitationRow(
            id=str(uuid.uuid4()), token_hash=token_hash(token), patient_name=request.patient.name,
            date_of_birth=request.patient.date_of_birth, state="new", created_at=now, created_by=actor,
            expires_at=now + timedelta(hours=request.expires_hours), updated_at=now, answers={},
            clinic=self.clinic or DEFAULT_CLINIC,
        )
        with self._session() as session, session.begin():
            session.add(row)
            audit.record(session, "invite_created", actor, None, None, detail=_detail(row.id), at=now)
        return CreatedInvitation(_view(row, now), token)

    def list(self, states: tuple[InvitationState, ...] | None = None) -> list[Invitation]:
        """Invitations, flagged submissions first (emergency, then same day), then newest first."""
        now = utcnow()
        with Session(self.engine) as session:
            query = select(InvitationRow).order_by(InvitationRow.created_at.desc())
            if self.clinic is not None:
                query = query.where(InvitationRow.clinic == self.clinic)
            rows = session.scalars(query).all()
            found = [_view(r, now) for r in rows]
        if states is not None:
            found = [i for i in found if i.state in states]
        rank = {"EMERGENCY": 0, "SAME_DAY": 1}
        return sorted(found, key=lambda i: rank.get(i.urgency or "", 2))

    def get(self, invitation_id: str) -> Invitation:
        """One invitation by id (clinic side); NotFoundError when there is none."""
        with Session(self.engine) as session:
            return _view(self._find(session, invitation_id), utcnow())

    def revoke(self, invitation_id: str, actor: str) -> Invitation:
        """Withdraw an invitation that was not yet submitted; the link stops working at once."""
        actor = check_actor(actor)
        now = utcnow()
        with self._session() as session, session.begin():
            row = self._find(session, invitation_id, lock=True)
            if row.state in ("submitted", "imported", "revoked"):
                raise ConflictError(f"invitation {invitation_id} is {row.state} and cannot be revoked")
            row.state, row.updated_at = "revoked", now
            audit.record(session, "invite_revoked", actor, None, None, detail=_detail(row.id), at=now)
            return _view(row, now)

    def mark_imported(self, invitation_id: str, encounter_id: str, actor: str) -> Invitation:
        """Record that a clinician started encounter ``encounter_id`` from the submitted answers."""
        actor = check_actor(actor)
        now = utcnow()
        with self._session() as session, session.begin():
            row = self._find(session, invitation_id, lock=True)
            if not can_start(_view(row, now)):
                raise ConflictError(f"invitation {invitation_id} is {_state(row, now)}; only submitted answers, "
                                    "or answers saved before the link expired, are imported")
            row.state, row.updated_at, row.encounter_id = "imported", now, encounter_id
            audit.record(session, "invite_imported", actor, encounter_id, None, detail=_detail(row.id), at=now)
            return _view(row, now)
