"""The patient's page (?invite=TOKEN): one invitation, saved on every change, advice first, no data on a bad token."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from exam_assistant.models import utcnow
from exam_assistant.previsit.questionnaire import ADVICE
from exam_assistant.store import EncounterRepository
from exam_assistant.store.invitations import UNAVAILABLE, InvitationStore, check_request
from exam_assistant.store.tables import InvitationRow
from exam_assistant.ui.patient_page import LINK_CLOSED
from tests.ui.conftest import new_app, ok, plain


def _invite(store: EncounterRepository, name: str = "Test Patient") -> tuple[InvitationStore, str, str]:
    invites = InvitationStore(store.engine)
    created = invites.create(check_request({"patient": {"name": name, "date_of_birth": "1980-01-01"}}), "desk")
    return invites, created.token, created.invitation.id


def _texts(at: AppTest) -> str:
    parts = [e.value for e in (*at.markdown, *at.info, *at.error, *at.title, *at.caption, *at.subheader)]
    return plain(" ".join(str(p) for p in parts))


def test_wrong_token_shows_one_plain_message_and_no_data(store: EncounterRepository) -> None:
    """A wrong token gets the plain message, no question, no navigation and no patient's name."""
    _invite(store)
    at = ok(new_app(query={"invite": "wrong-token"}))
    assert [i.value for i in at.info] == [UNAVAILABLE]
    assert not at.radio and not at.button
    assert "Test Patient" not in _texts(at)


def test_answer_is_saved_at_once_and_an_emergency_answer_shows_the_advice_first(store: EncounterRepository) -> None:
    """A 'yes' to sudden severe pain is stored at once and the emergency advice is drawn before any question."""
    invites, token, invitation_id = _invite(store)
    at = ok(new_app(query={"invite": token}))
    assert not at.error
    at.radio(key="pv_history.abrupt_severe_pain").set_value("yes").run()
    ok(at)
    saved = invites.get(invitation_id)
    assert saved.answers["history.abrupt_severe_pain"] == {"kind": "yes_no", "value": "yes", "screen": False, "reported_by": "patient", "confirmed": False}
    assert saved.urgency == "EMERGENCY"
    assert any(ADVICE["EMERGENCY"] in plain(e.value) for e in at.error)


def test_resume_on_the_same_link_shows_the_saved_answers(store: EncounterRepository) -> None:
    """A new session on the same link starts from the answers already saved."""
    invites, token, _ = _invite(store)
    invites.open(token)
    invites.save_answers(token, {"history.night_pain": {"kind": "yes_no", "value": "no"}})
    at = ok(new_app(query={"invite": token}))
    assert at.radio(key="pv_history.night_pain").value == "no"


def test_submitting_closes_the_link(store: EncounterRepository) -> None:
    """After 'send', the invitation is submitted and the same link shows the plain message."""
    invites, token, invitation_id = _invite(store)
    at = ok(new_app(query={"invite": token}))
    at.button[-1].click().run()
    ok(at)
    assert invites.get(invitation_id).state == "submitted"
    again = ok(new_app(query={"invite": token}))
    assert [i.value for i in again.info] == [UNAVAILABLE]


def _expire(store: EncounterRepository, invitation_id: str) -> None:
    with Session(store.engine) as session, session.begin():
        session.execute(update(InvitationRow).where(InvitationRow.id == invitation_id)
                        .values(expires_at=utcnow() - timedelta(minutes=1)))


def test_a_link_that_expires_mid_form_says_so_on_the_next_answer_and_keeps_what_was_saved(
    store: EncounterRepository,
) -> None:
    """The next answer after expiry gets the plain message, the form and its answers leave the page,
    and the answer saved before stays stored for the clinic (the refused one is not stored)."""
    invites, token, invitation_id = _invite(store)
    at = ok(new_app(query={"invite": token}))
    at.radio(key="pv_history.night_pain").set_value("yes").run()
    ok(at)
    _expire(store, invitation_id)
    at.radio(key="pv_history.fever").set_value("yes").run()
    ok(at)
    assert [i.value for i in at.info] == [LINK_CLOSED]
    assert not at.radio and not at.button and not at.toggle and not at.get("pills")
    for key in ("pv_history.night_pain", "pv_history.fever", "_previsit_answers"):
        assert key not in at.session_state  # nothing of the form is kept for whoever holds the phone next
    kept = invites.get(invitation_id)
    assert (kept.state, set(kept.answers)) == ("expired", {"history.night_pain"})


def test_a_link_revoked_mid_form_refuses_the_submit_with_the_plain_message(store: EncounterRepository) -> None:
    """'Send' on a link the clinic withdrew meanwhile: the plain message, no traceback, no form, nothing submitted."""
    invites, token, invitation_id = _invite(store)
    at = ok(new_app(query={"invite": token}))
    at.radio(key="pv_history.night_pain").set_value("no").run()
    ok(at)
    invites.revoke(invitation_id, "desk")
    at.button[-1].click().run()
    ok(at)
    assert [i.value for i in at.info] == [LINK_CLOSED]
    assert not at.radio and not at.button
    assert invites.get(invitation_id).state == "revoked"
    assert set(invites.get(invitation_id).answers) == {"history.night_pain"}
