"""The audit log: every change is recorded, append-only, and never holds clinical content."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from exam_assistant.store import EncounterRepository
from tests.store.factories import make_encounter, with_note, with_text_finding

SECRETS = ["Zebedee Quixotic", "MRN-SECRET-77", "shooting pain into thumb", "history of lymphoma"]


def test_every_change_is_logged_in_order(repo: EncounterRepository) -> None:
    """created, updated, finalised, amended (+ created), exported and deleted all appear."""
    enc = make_encounter()
    repo.save_draft(enc, None, "alice")
    repo.save_draft(with_note(enc, "more"), 1, "bob")
    repo.finalise(str(enc.id), 2, "bob")
    repo.record_export(str(enc.id), "carol", "pdf")
    amendment = repo.amend(str(enc.id), "dave")
    repo.soft_delete(amendment.id, "dave")
    events = [(e.event, e.actor, e.encounter_id, e.version) for e in repo.audit_history()]
    key = str(enc.id)
    assert events == [
        ("created", "alice", key, 1),
        ("updated", "bob", key, 2),
        ("finalised", "bob", key, 3),
        ("exported", "carol", key, 3),
        ("amended", "dave", key, 3),
        ("created", "dave", amendment.id, 1),
        ("deleted", "dave", amendment.id, 2),
    ]


def test_audit_log_holds_no_patient_name_identifier_or_clinical_text(repo: EncounterRepository) -> None:
    """After every kind of event, no column of any audit row contains patient data or free text."""
    enc = make_encounter(name=SECRETS[0], identifier=SECRETS[1], chief_complaint=SECRETS[2])
    enc = with_text_finding(with_note(enc, SECRETS[3]), "history.psychosocial", SECRETS[3])
    repo.save_draft(enc, None, "alice")
    repo.save_draft(with_note(enc, SECRETS[3] + " again"), 1, "alice")
    repo.finalise(str(enc.id), 2, "alice")
    repo.record_export(str(enc.id), "alice", "pdf")
    amendment = repo.amend(str(enc.id), "alice")
    follow = repo.start_follow_up(str(enc.id), "alice")
    repo.soft_delete(follow.id, "alice")
    repo.record_exports([amendment.id], "alice", "csv")
    with repo.engine.connect() as conn:
        dump = " ".join(str(v) for row in conn.execute(text("SELECT * FROM audit_events")) for v in row)
    assert "exported" in dump and "finalised" in dump
    for secret in [*SECRETS, "Zebedee", "lymphoma", "thumb"]:
        assert secret.lower() not in dump.lower()


@pytest.mark.parametrize("statement", ["UPDATE audit_events SET actor = 'mallory'", "DELETE FROM audit_events"])
def test_database_refuses_to_rewrite_the_audit_log(repo: EncounterRepository, statement: str) -> None:
    """UPDATE and DELETE on audit_events are rejected by a trigger, so history cannot be rewritten."""
    repo.save_draft(make_encounter(), None, "alice")
    with pytest.raises(Exception, match="append-only"), repo.engine.begin() as conn:
        conn.execute(text(statement))
    assert [e.actor for e in repo.audit_history()] == ["alice"]


def test_a_refused_save_leaves_no_audit_event(repo: EncounterRepository) -> None:
    """The audit row commits with the change: a stale save adds nothing."""
    enc = make_encounter()
    repo.save_draft(enc, None, "alice")
    repo.save_draft(with_note(enc, "b"), 1, "bob")
    with pytest.raises(Exception, match="Not saved"):
        repo.save_draft(with_note(enc, "c"), 1, "carol")
    assert [e.actor for e in repo.audit_history()] == ["alice", "bob"]
