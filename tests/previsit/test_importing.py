"""Starting an encounter from a submitted invitation: patient-reported findings, audited, assessed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from exam_assistant.engine.assess import assess
from exam_assistant.library import cached_library
from exam_assistant.previsit.importing import start_encounter
from exam_assistant.store import EncounterRepository, open_store
from exam_assistant.store.audit import history
from exam_assistant.store.errors import ConflictError
from exam_assistant.store.invitations import InvitationStore, check_request


@pytest.fixture
def repo(tmp_path: Path) -> Iterator[EncounterRepository]:
    """A repository on an upgraded SQLite file."""
    repository = open_store(f"sqlite:///{tmp_path / 'previsit.sqlite'}")
    yield repository
    repository.engine.dispose()


def _submitted(repo: EncounterRepository) -> tuple[InvitationStore, str]:
    invites = InvitationStore(repo.engine)
    created = invites.create(check_request({"patient": {"name": "Test Patient", "date_of_birth": "1980-01-01"}}), "desk")
    invites.save_answers(created.token, {
        "history.fever": {"kind": "yes_no", "value": "yes"},
        "history.pain_now": {"kind": "number", "value": 6},
        "history.location": {"kind": "multi_choice", "values": ["neck", "interscapular"]},
    }, "SAME_DAY")
    invites.submit(created.token)
    return invites, created.invitation.id


def test_submitted_answers_become_patient_reported_findings_of_a_new_draft(repo: EncounterRepository) -> None:
    """The draft holds every answer marked reported_by patient, and the engine raises the flag at once."""
    invites, invitation_id = _submitted(repo)
    stored = start_encounter(invites, repo, invitation_id, "dr")
    enc = repo.get(str(stored.encounter.id)).encounter
    assert enc.patient.name == "Test Patient"
    assert {"history.fever", "history.pain_now", "history.location", "scores.nprs_now"} == set(enc.findings)
    assert enc.findings["scores.nprs_now"] == enc.findings["history.pain_now"]  # the same question, asked once
    assert all(getattr(f, "reported_by", None) == "patient" for f in enc.findings.values())
    assessment = assess(enc, cached_library())
    assert assessment.urgency == "SAME_DAY"
    assert [(sc.id, sc.value) for sc in assessment.scores if sc.id == "scores.nprs"] == [("scores.nprs", 6)]
    assert invites.get(invitation_id).state == "imported"
    assert "invite_imported" in [e.event for e in history(repo.engine, str(enc.id))]


def test_opening_twice_returns_the_same_draft_and_unsubmitted_is_refused(repo: EncounterRepository) -> None:
    """A second open gives the same encounter; an invitation not yet submitted cannot be opened."""
    invites, invitation_id = _submitted(repo)
    first = start_encounter(invites, repo, invitation_id, "dr")
    again = start_encounter(invites, repo, invitation_id, "dr")
    assert first.encounter.id == again.encounter.id
    pending = invites.create(check_request({"patient": {"name": "Other", "date_of_birth": "1970-01-01"}}), "desk")
    with pytest.raises(ConflictError):
        start_encounter(invites, repo, pending.invitation.id, "dr")
