"""Roles on the clinic's side of the invitations, the patient's door by token only, and a link that
stops working mid-form (issue 17)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, update
from sqlalchemy.orm import Session

from exam_assistant.access import DEFAULT_CLINIC, AccessDenied, User
from exam_assistant.models import utcnow
from exam_assistant.previsit.importing import start_encounter
from exam_assistant.store import EncounterRepository
from exam_assistant.store.acting import RoleCheckedInvitations, RoleCheckedRepository
from exam_assistant.store.audit import history
from exam_assistant.store.errors import ConflictError, NotFoundError
from exam_assistant.store.invitations import (
    InvitationDoor,
    InvitationStore,
    InvitationUnavailable,
    can_start,
    check_request,
)
from exam_assistant.store.tables import InvitationRow

STUDENT = User("student@clinic.example", frozenset({"student"}))
CLINICIAN = User("dr@clinic.example", frozenset({"clinician"}))
YES = {"kind": "yes_no", "value": "yes"}


def _request(name: str = "Test Patient") -> dict[str, object]:
    return {"patient": {"name": name, "date_of_birth": "1980-01-01"}}


def _expire(engine: Engine, invitation_id: str) -> None:
    with Session(engine) as session, session.begin():
        session.execute(update(InvitationRow).where(InvitationRow.id == invitation_id)
                        .values(expires_at=utcnow() - timedelta(minutes=1)))


def test_a_student_cannot_create_list_read_revoke_or_import_invitations(repo: EncounterRepository) -> None:
    """Every clinic-side call is refused for a student and logged as access_denied; nothing is created."""
    plain = InvitationStore(repo.engine)
    made = plain.create(check_request(_request()), "desk")
    plain.submit(made.token)
    student = RoleCheckedInvitations(plain, STUDENT)
    calls: list[Callable[[], Any]] = [
        lambda: student.create(check_request(_request("Other")), "desk"),
        lambda: student.list(),
        lambda: student.get(made.invitation.id),
        lambda: student.revoke(made.invitation.id, "desk"),
        lambda: student.mark_imported(made.invitation.id, "x", "desk"),
        lambda: start_encounter(student, RoleCheckedRepository(repo, STUDENT), made.invitation.id, "desk"),
    ]
    for call in calls:
        with pytest.raises(AccessDenied):
            call()
    assert [i.patient_name for i in plain.list()] == ["Test Patient"]
    assert plain.get(made.invitation.id).state == "submitted"
    denied = [e for e in history(repo.engine) if e.event == "access_denied"]
    assert len(denied) == len(calls) and all(e.actor == STUDENT.label for e in denied)
    assert all("Test Patient" not in e.detail for e in denied)


def test_a_clinician_acts_under_their_own_label_whatever_name_is_passed(repo: EncounterRepository) -> None:
    """Created and imported by the signed-in clinician (the label, not the typed actor)."""
    clinic = RoleCheckedInvitations(InvitationStore(repo.engine), CLINICIAN)
    made = clinic.create(check_request(_request()), "someone else")
    assert made.invitation.created_by == CLINICIAN.label
    clinic.save_answers(made.token, {"history.night_pain": YES})
    clinic.submit(made.token)
    stored = start_encounter(clinic, RoleCheckedRepository(repo, CLINICIAN), made.invitation.id, "someone else")
    events = {e.event: e.actor for e in history(repo.engine) if e.event.startswith("invite_")}
    assert events["invite_created"] == events["invite_imported"] == CLINICIAN.label
    assert stored.encounter.findings["history.night_pain"].reported_by == "patient"  # type: ignore[union-attr]


def test_the_patients_door_reaches_one_invitation_by_its_token_only(repo: EncounterRepository) -> None:
    """The door has no list, get, create or import; saving through one token never touches another invitation."""
    plain = InvitationStore(repo.engine)
    mine = plain.create(check_request(_request("Mine Patient")), "desk")
    other = plain.create(check_request(_request("Other Patient")), "desk")
    plain.save_answers(other.token, {"history.fever": YES})
    door = InvitationDoor(repo.engine)
    for name in ("list", "get", "create", "revoke", "mark_imported"):
        assert not hasattr(door, name)
    assert door.open(mine.token).patient_name == "Mine Patient"
    door.save_answers(mine.token, {"history.night_pain": YES})
    assert set(plain.get(other.invitation.id).answers) == {"history.fever"}
    assert set(plain.get(mine.invitation.id).answers) == {"history.night_pain"}


def test_answers_saved_before_expiry_are_kept_and_can_be_started_but_a_revoked_links_are_not(
    repo: EncounterRepository,
) -> None:
    """After expiry a save is refused and the earlier answers stay; the clinic may start from them.
    A revoked link keeps its answers in the database but is never offered or imported."""
    plain = InvitationStore(repo.engine)
    expired = plain.create(check_request(_request()), "desk")
    plain.save_answers(expired.token, {"history.fever": YES}, "SAME_DAY")
    _expire(repo.engine, expired.invitation.id)
    with pytest.raises(InvitationUnavailable):
        plain.save_answers(expired.token, {"history.fever": YES, "history.night_pain": YES})
    with pytest.raises(InvitationUnavailable):
        plain.submit(expired.token)
    kept = plain.get(expired.invitation.id)
    assert (kept.state, set(kept.answers), kept.urgency) == ("expired", {"history.fever"}, "SAME_DAY")
    assert can_start(kept)
    stored = start_encounter(plain, repo, expired.invitation.id, "dr")
    assert stored.encounter.findings["history.fever"].reported_by == "patient"  # type: ignore[union-attr]

    revoked = plain.create(check_request(_request()), "desk")
    plain.save_answers(revoked.token, {"history.night_pain": YES})
    plain.revoke(revoked.invitation.id, "desk")
    assert set(plain.get(revoked.invitation.id).answers) == {"history.night_pain"}
    assert not can_start(plain.get(revoked.invitation.id))
    with pytest.raises(ConflictError):
        start_encounter(plain, repo, revoked.invitation.id, "dr")
    empty = plain.create(check_request(_request()), "desk")
    _expire(repo.engine, empty.invitation.id)
    assert not can_start(plain.get(empty.invitation.id))


def test_a_patient_cannot_send_a_confirmation(repo: EncounterRepository) -> None:
    """'confirmed' is the clinician's word: whatever the patient's side sends, it is stored unconfirmed."""
    plain = InvitationStore(repo.engine)
    made = plain.create(check_request(_request()), "desk")
    saved = plain.save_answers(made.token, {"history.fever": {**YES, "reported_by": "patient", "confirmed": True}})
    assert saved.answers["history.fever"]["confirmed"] is False


def test_invitations_are_scoped_to_the_clinicians_clinic(repo: EncounterRepository) -> None:
    """A clinician of another clinic neither lists nor opens an invitation; its id reads as missing and is logged."""
    plain = InvitationStore(repo.engine)
    north = RoleCheckedInvitations(plain, User("n@clinic.example", frozenset({"clinician"}), "north"))
    south = RoleCheckedInvitations(plain, User("s@clinic.example", frozenset({"clinician"}), "south"))
    made = north.create(check_request(_request("North Patient")), "")
    assert [i.patient_name for i in north.list()] == ["North Patient"]
    assert south.list() == []
    with pytest.raises(NotFoundError) as other:
        south.get(made.invitation.id)
    with pytest.raises(NotFoundError) as missing:
        south.get("00000000-0000-0000-0000-000000000000")
    assert str(other.value).replace(made.invitation.id, "ID") == str(missing.value).replace(
        "00000000-0000-0000-0000-000000000000", "ID")
    with pytest.raises(NotFoundError):
        south.revoke(made.invitation.id, "")
    assert north.get(made.invitation.id).state == "new"
    denied = [e.detail for e in history(repo.engine) if e.event == "access_denied"]
    assert denied == ["invitations other_clinic", "invitations other_clinic"]
    assert plain.clinic_of(made.invitation.id) == "north"
    assert plain.clinic_of(plain.create(check_request(_request()), "desk").invitation.id) == DEFAULT_CLINIC
