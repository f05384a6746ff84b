"""The patient's page (?invite=TOKEN): one invitation, saved on every change, advice first, no data on a bad token."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from exam_assistant.previsit.questionnaire import ADVICE
from exam_assistant.store import EncounterRepository
from exam_assistant.store.invitations import UNAVAILABLE, InvitationStore, check_request
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
    assert saved.answers["history.abrupt_severe_pain"] == {"kind": "yes_no", "value": "yes", "screen": False, "reported_by": "patient"}
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
