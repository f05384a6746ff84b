"""Pre-visit invitations: hashed single-use tokens, expiry, revocation, states, audit and the CLI."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from sqlalchemy import Engine, select, text, update
from sqlalchemy.orm import Session

from exam_assistant.cli import main
from exam_assistant.models import utcnow
from exam_assistant.store import EncounterRepository, open_store
from exam_assistant.store.audit import history
from exam_assistant.store.errors import ConflictError, InvalidEncounterError
from exam_assistant.store.invitations import (
    UNAVAILABLE,
    InvitationRequest,
    InvitationStore,
    InvitationUnavailable,
    check_request,
)
from exam_assistant.store.tables import InvitationRow, table_of
from tests.store.factories import make_encounter


def _request(hours: int = 72) -> InvitationRequest:
    return check_request({"patient": {"name": "Test Patient", "date_of_birth": "1980-01-01"}, "expires_hours": hours})


@pytest.fixture
def invites(repo: EncounterRepository) -> InvitationStore:
    """An invitation store on the repository's upgraded database."""
    return InvitationStore(repo.engine)


def test_token_is_stored_only_as_its_sha256(invites: InvitationStore) -> None:
    """The database holds the token's SHA-256 and never the token itself."""
    created = invites.create(_request(), "desk")
    with Session(invites.engine) as session:
        row = session.scalars(select(InvitationRow)).one()
        dumped = " ".join(str(v) for v in session.execute(select(table_of(InvitationRow))).one())
    assert hashlib.sha256(created.token.encode()).hexdigest() == row.token_hash
    assert created.token not in dumped
    assert len(created.token) >= 40


def test_states_run_new_opened_submitted_imported_with_audit(
    invites: InvitationStore, repo: EncounterRepository
) -> None:
    """Opening, answering and submitting move the states on, and each step is an audit event."""
    created = invites.create(_request(), "desk")
    assert invites.get(created.invitation.id).state == "new"
    assert invites.open(created.token).state == "opened"
    assert invites.open(created.token).state == "opened"  # resuming does not log a second open
    saved = invites.save_answers(created.token, {"history.night_pain": {"kind": "yes_no", "value": "yes"}}, "SAME_DAY")
    assert saved.answers == {"history.night_pain": {"kind": "yes_no", "value": "yes", "screen": False, "reported_by": "patient", "confirmed": False}}
    assert invites.submit(created.token).state == "submitted"
    stored = repo.save_draft(make_encounter(), None, "dr")
    assert invites.mark_imported(created.invitation.id, str(stored.encounter.id), "dr").state == "imported"
    events = [e.event for e in history(invites.engine) if e.event.startswith("invite_")]
    assert events == ["invite_created", "invite_opened", "invite_submitted", "invite_imported"]
    assert all("Test Patient" not in e.detail for e in history(invites.engine))


def test_used_revoked_expired_and_wrong_tokens_are_refused_with_one_message(invites: InvitationStore) -> None:
    """A used, revoked, expired or wrong token opens nothing and gets the same plain message."""
    used = invites.create(_request(), "desk")
    invites.submit(used.token)
    revoked = invites.create(_request(), "desk")
    invites.revoke(revoked.invitation.id, "desk")
    expired = invites.create(_request(), "desk")
    with Session(invites.engine) as session, session.begin():
        session.execute(update(InvitationRow).where(InvitationRow.id == expired.invitation.id)
                        .values(expires_at=utcnow() - timedelta(minutes=1)))
    assert invites.get(expired.invitation.id).state == "expired"
    for token in (used.token, revoked.token, expired.token, "not-a-token", "", used.token[:-1]):
        with pytest.raises(InvitationUnavailable) as caught:
            invites.open(token)
        assert str(caught.value) == UNAVAILABLE
        with pytest.raises(InvitationUnavailable):
            invites.save_answers(token, {})


def test_answers_are_validated_as_findings(invites: InvitationStore) -> None:
    """An answer that is not a valid finding is refused with a line naming it; nothing is saved."""
    created = invites.create(_request(), "desk")
    with pytest.raises(InvalidEncounterError, match=r"history\.night_pain"):
        invites.save_answers(created.token, {"history.night_pain": {"kind": "yes_no", "value": "perhaps"}})
    assert invites.open(created.token).answers == {}


def test_submitted_invitation_cannot_be_revoked_and_flagged_ones_list_first(invites: InvitationStore) -> None:
    """Revoking a submitted invitation is a conflict; the list puts EMERGENCY, then SAME_DAY first."""
    plain = invites.create(_request(), "desk")
    invites.submit(plain.token)
    same_day = invites.create(_request(), "desk")
    invites.save_answers(same_day.token, {}, "SAME_DAY")
    emergency = invites.create(_request(), "desk")
    invites.save_answers(emergency.token, {}, "EMERGENCY")
    with pytest.raises(ConflictError):
        invites.revoke(plain.invitation.id, "desk")
    ids = [i.id for i in invites.list()]
    assert [emergency.invitation.id, same_day.invitation.id, plain.invitation.id] == ids


def test_cli_create_prints_a_link_with_only_the_token(
    capsys: pytest.CaptureFixture[str], db_url: str
) -> None:
    """`invite create` prints a link whose only query parameter is a token that opens the invitation."""
    code = main(["invite", "create", "--patient", "Test Patient", "--dob", "1980-01-01",
                 "--base-url", "https://clinic.example/", "--database", db_url])
    link = capsys.readouterr().out.strip()
    assert code == 0
    parsed = urlparse(link)
    assert (parsed.scheme, parsed.netloc) == ("https", "clinic.example")
    query = parse_qs(parsed.query)
    assert list(query) == ["invite"]
    assert "Test" not in link and "1980" not in link
    store = InvitationStore(_engine(db_url))
    assert store.open(query["invite"][0]).patient_name == "Test Patient"


def _engine(db_url: str) -> Engine:
    return open_store(db_url).engine


def test_cli_invalid_date_exits_2_with_one_line_naming_the_field(
    capsys: pytest.CaptureFixture[str], db_url: str
) -> None:
    """A bad date of birth exits 2 with one stderr line naming the field, and creates nothing."""
    code = main(["invite", "create", "--patient", "Test Patient", "--dob", "1980-13-01", "--database", db_url])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert len(err.splitlines()) == 1 and "patient.date_of_birth" in err
    with _engine(db_url).connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM invitations")).scalar_one() == 0


def test_cli_list_and_revoke(capsys: pytest.CaptureFixture[str], db_url: str) -> None:
    """`invite list` shows the invitation and `invite revoke ID` makes its state revoked."""
    main(["invite", "create", "--patient", "Test Patient", "--dob", "1980-01-01", "--database", db_url])
    capsys.readouterr()
    assert main(["invite", "list", "--format", "json", "--database", db_url]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["state"] for r in rows] == ["new"]
    assert main(["invite", "revoke", rows[0]["id"], "--database", db_url]) == 0
    assert InvitationStore(_engine(db_url)).get(rows[0]["id"]).state == "revoked"
