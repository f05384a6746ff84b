"""The patient's pre-visit page in a real browser on a phone-sized screen, and the clinician starting from it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from playwright.sync_api import Page, expect
from sqlalchemy import update
from sqlalchemy.orm import Session

from exam_assistant.library import cached_library
from exam_assistant.models import utcnow
from exam_assistant.store import open_store
from exam_assistant.store.invitations import UNAVAILABLE, InvitationStore, check_request
from exam_assistant.store.tables import InvitationRow
from tests.e2e.conftest import AppServer, shot, wait_idle

LIB = cached_library()
PHONE = {"width": 390, "height": 844}


def _text(item_id: str) -> str:
    item = LIB.items[item_id]
    return item.patient_prompt or item.prompt or item.label


def _invite(server: AppServer, name: str) -> tuple[InvitationStore, str, str]:
    invites = InvitationStore(open_store(server.database_url).engine)
    created = invites.create(check_request({"patient": {"name": name, "date_of_birth": "1980-01-01"}}), "desk")
    return invites, created.token, created.invitation.id


def _phone(browser: object) -> Page:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)  # type: ignore[attr-defined]
    page: Page = context.new_page()
    return page


def _answer(page: Page, item_id: str, option: str) -> None:
    choice = page.get_by_role("radiogroup", name=_text(item_id), exact=True).get_by_text(option, exact=True)
    choice.click()
    wait_idle(page)


def _checked(page: Page, item_id: str, option: str) -> None:
    group = page.get_by_role("radiogroup", name=_text(item_id), exact=True)
    expect(group.get_by_role("radio", name=option, exact=True)).to_be_checked()


def test_patient_answers_on_a_phone_resumes_after_closing_the_tab_and_submits(
    app_server: AppServer, browser: object
) -> None:
    """Answers saved on a 390x844 screen are there again on the same link after the tab closed; 'send' submits."""
    invites, token, invitation_id = _invite(app_server, "Phone Patient")
    page = _phone(browser)
    page.goto(f"{app_server.url}/?invite={token}")
    wait_idle(page)
    expect(page.get_by_role("heading", name="Before your visit")).to_be_visible()
    _answer(page, "history.night_pain", "No")
    _answer(page, "history.fever", "No")
    expect(page.get_by_test_id("stSidebar")).to_have_count(0)  # no clinic navigation on the patient's door
    shot(page, "previsit_phone_answering")
    page.context.close()
    assert {"history.night_pain", "history.fever"} <= set(invites.get(invitation_id).answers)

    page = _phone(browser)
    page.goto(f"{app_server.url}/?invite={token}")
    wait_idle(page)
    _checked(page, "history.night_pain", "No")
    _checked(page, "history.fever", "No")
    page.get_by_role("button", name="Send my answers to the clinic").click()
    # the send reruns the whole questionnaire first: on a loaded machine that takes longer than 5 s
    expect(page.get_by_text("Thank you. Your answers have been sent to the clinic.")).to_be_visible(timeout=20_000)
    assert invites.get(invitation_id).state == "submitted"
    page.context.close()


def test_red_flag_answer_shows_the_emergency_advice_at_once_in_view(app_server: AppServer, browser: object) -> None:
    """A 'Yes' to sudden severe chest or back pain brings the call-an-ambulance advice into view at once."""
    _, token, _ = _invite(app_server, "Urgent Patient")
    page = _phone(browser)
    page.goto(f"{app_server.url}/?invite={token}")
    wait_idle(page)
    _answer(page, "history.abrupt_severe_pain", "Yes")
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Please call an ambulance (emergency services) now.")
    expect(dialog).to_be_in_viewport()
    shot(page, "previsit_phone_emergency")
    page.context.close()


def test_clinician_opens_the_submission_and_sees_answers_marked_patient_reported(
    app_server: AppServer, page: Page
) -> None:
    """On Continue, 'Start from these answers' opens the examination with the answers marked patient-reported."""
    invites, token, invitation_id = _invite(app_server, "Reported Patient")
    invites.save_answers(token, {"history.night_pain": {"kind": "yes_no", "value": "yes"}})
    invites.submit(token)
    page.goto(f"{app_server.url}/continue")
    wait_idle(page)
    expect(page.get_by_text("Answers sent by patients before their visit")).to_be_visible()
    page.get_by_test_id("stButton").filter(has_text="Start from these answers").first.click()
    wait_idle(page)
    expect(page.get_by_text("Patient-reported before the visit", exact=False).first).to_be_visible(timeout=20_000)
    assert invites.get(invitation_id).state == "imported"
    shot(page, "previsit_clinician_patient_reported")


def test_used_expired_revoked_and_wrong_tokens_show_a_plain_message_and_no_data(
    app_server: AppServer, new_context: Callable[[], object]
) -> None:
    """Each unusable link shows the one plain message, no question and not the patient's name."""
    invites, used, _ = _invite(app_server, "Hidden Patient")
    invites.submit(used)
    _, revoked, revoked_id = _invite(app_server, "Hidden Patient")
    invites.revoke(revoked_id, "desk")
    _, expired, expired_id = _invite(app_server, "Hidden Patient")
    with Session(invites.engine) as session, session.begin():
        session.execute(update(InvitationRow).where(InvitationRow.id == expired_id)
                        .values(expires_at=utcnow() - timedelta(minutes=5)))
    page: Page = new_context().new_page()  # type: ignore[attr-defined]
    for token in (used, revoked, expired, "wrong-token"):
        page.goto(f"{app_server.url}/?invite={token}")
        wait_idle(page)
        expect(page.get_by_text(UNAVAILABLE)).to_be_visible()
        expect(page.get_by_role("radiogroup")).to_have_count(0)
        assert "Hidden Patient" not in page.inner_text("body")
    shot(page, "previsit_unavailable")
