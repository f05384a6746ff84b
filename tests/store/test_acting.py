"""The store as a signed-in person uses it: every call checks the role; refusals are audited (issue 13, item 1)."""

from __future__ import annotations

import pytest

from exam_assistant.access import AccessDenied, User
from exam_assistant.store import EncounterRepository
from exam_assistant.store.acting import RoleCheckedRepository
from tests.store.factories import make_encounter

CLINICIAN = User("ann@clinic.example", frozenset({"clinician"}))
STUDENT = User("sam@clinic.example", frozenset({"student"}))
ADMIN = User("lead@clinic.example", frozenset({"admin"}))


def test_a_clinician_works_on_records_as_themselves(repo: EncounterRepository) -> None:
    """Saves, views and finalise carry the signed-in label as the actor, whatever label the caller
    passes (the finaliser is the signer)."""
    ann = RoleCheckedRepository(repo, CLINICIAN)
    stored = ann.save_draft(make_encounter(), None, "Dr Typed Name")
    ann.view(stored.id)
    final = ann.finalise(stored.id, 1)
    assert final.updated_by == "ann@clinic.example"
    assert [(e.event, e.actor) for e in repo.audit_history(stored.id)] == [
        ("created", "ann@clinic.example"), ("viewed", "ann@clinic.example"), ("finalised", "ann@clinic.example")]


@pytest.mark.parametrize("call", ["list", "view", "save", "export"])
def test_a_student_never_reaches_patient_records_and_the_attempt_is_logged(repo: EncounterRepository, call: str) -> None:
    """Every record call by a student is refused before any data is read, and logged as access_denied."""
    stored = repo.save_draft(make_encounter(), None, "setup")
    sam = RoleCheckedRepository(repo, STUDENT)
    attempts = {"list": lambda: sam.list(), "view": lambda: sam.view(stored.id),
                "save": lambda: sam.save_draft(make_encounter(), None),
                "export": lambda: sam.record_export(stored.id, "sam", "pdf")}
    with pytest.raises(AccessDenied, match="may not open patient records"):
        attempts[call]()
    denied = [e for e in repo.audit_history() if e.event == "access_denied"]
    assert [(e.actor, e.detail) for e in denied] == [("sam@clinic.example", "records")]
    assert repo.count() == 1 and repo.verify_audit().ok


def test_only_admins_read_the_audit_log(repo: EncounterRepository) -> None:
    """The audit view is an admin's; a clinician asking is refused; sign-ins are events."""
    RoleCheckedRepository(repo, CLINICIAN).signed_in()
    with pytest.raises(AccessDenied):
        RoleCheckedRepository(repo, CLINICIAN).audit_history()
    events = RoleCheckedRepository(repo, ADMIN).audit_history()
    assert [(e.event, e.actor, e.detail) for e in events] == [
        ("signed_in", "ann@clinic.example", "clinician"), ("access_denied", "ann@clinic.example", "audit")]
