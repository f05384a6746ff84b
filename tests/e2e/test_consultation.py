"""The consultation in a real browser: urgency is seen where the clinician is looking.

Streamlit scrolls inside its main block (``stMain``), so "scrolled down" and "at the top" are
read from that element's ``scrollTop``; "in view" means the element's box lies inside the
1400x1000 viewport.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from playwright.sync_api import Page, expect

from exam_assistant.library import cached_library
from exam_assistant.store import open_store
from tests.e2e.actions import new_patient, next_step, pick, radio
from tests.e2e.conftest import ARTIFACTS, AppServer, wait_idle

LIB = cached_library()
VIEWPORT_HEIGHT = 1000
MAIN = '[data-testid="stMain"]'


ARTIFACTS.mkdir(parents=True, exist_ok=True)


def label(item_id: str) -> str:
    return LIB.items[item_id].label


def scroll_top(page: Page) -> int:
    return int(page.evaluate(f"() => document.querySelector('{MAIN}').scrollTop"))


def in_viewport(page: Page, selector: str) -> bool:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not drawn"
    return box["y"] >= 0 and box["y"] + box["height"] <= VIEWPORT_HEIGHT and box["height"] > 0


def test_emergency_raised_while_scrolled_down_is_in_view_at_once(app_server: AppServer, page: Page) -> None:
    """rf.aortic_dissection: "abrupt, severe pain = Yes", clicked far down the history, shows an
    ARIA alert inside the viewport, opens the EMERGENCY dialog once, and the note is one click away."""
    new_patient(page, app_server.url, "Abe Rupt")
    answer = radio(page, label("history.abrupt_severe_pain"), "Yes")
    answer.scroll_into_view_if_needed()
    assert scroll_top(page) > 1000, "the question should sit well below the top of the page"
    answer.click()
    expect(answer).to_have_attribute("aria-checked", "true")
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Stop the examination", timeout=15_000)
    expect(dialog).to_contain_text("Suspected acute aortic dissection")
    wait_idle(page)
    page.screenshot(path=str(ARTIFACTS / "consultation_emergency_dialog.png"))  # the viewport, as seen
    page.get_by_role("button", name="I have read this: close").click()
    expect(dialog).to_have_count(0)
    wait_idle(page)
    bar = page.locator('.st-key-ea-urgency-bar [role="alert"]')
    expect(bar).to_contain_text("EMERGENCY: stop the examination")
    assert scroll_top(page) > 1000, "the page must not have jumped: the bar is pinned where the clinician is"
    assert in_viewport(page, '.st-key-ea-urgency-bar [role="alert"]')
    expect(page.get_by_test_id("stSidebar")).to_contain_text("Urgency: EMERGENCY")
    page.screenshot(path=str(ARTIFACTS / "consultation_emergency_viewport.png"))  # what the clinician sees
    # the dialog is shown the first time only: another answer does not reopen it
    radio(page, label("history.night_pain"), "No").click()
    expect(radio(page, label("history.night_pain"), "No")).to_have_attribute("aria-checked", "true")
    wait_idle(page)
    expect(page.get_by_role("dialog")).to_have_count(0)
    # one click from where the clinician is to the summary
    page.get_by_role("button", name="Stop here: go to the summary and record the note").click()
    expect(page.get_by_role("heading", name="Summary and assessment")).to_be_visible()
    wait_idle(page)
    assert in_viewport(page, '.st-key-ea-urgency-bar [role="alert"]')


def test_step_change_scrolls_to_the_top(app_server: AppServer, page: Page) -> None:
    """Leaving a long step from its bottom opens the next one at its top (history -> the
    suggested TOS panel, then back from the bottom of the TOS panel to the long history)."""
    new_patient(page, app_server.url, "Tom Top")
    pick(page, label("history.positional_arm_symptoms"), "Yes")
    nxt = page.get_by_role("button", name="Next: Thoracic outlet syndrome →")
    nxt.scroll_into_view_if_needed()
    assert scroll_top(page) > 1000
    next_step(page, "Thoracic outlet syndrome tests")
    page.wait_for_function(f"() => document.querySelector('{MAIN}').scrollTop === 0")
    back = page.get_by_role("button", name="← Protocols")
    back.scroll_into_view_if_needed()
    assert scroll_top(page) > 1000
    page.get_by_role("radiogroup", name="Examination step").get_by_role("radio", name="2. History").click()
    expect(page.get_by_role("heading", name="Red-flag screen")).to_be_visible()
    wait_idle(page)
    page.wait_for_function(f"() => document.querySelector('{MAIN}').scrollTop === 0")
    assert in_viewport(page, 'h3:has-text("History")')


def test_autosave_while_the_database_is_locked_says_not_saved_then_saves_by_itself(
    app_server: AppServer, page: Page
) -> None:
    """Another program holds SQLite's write lock: the answer stays on screen, the header says
    NOT saved; once the lock is released the change is stored without another click."""
    encounter_id = new_patient(page, app_server.url, "Lou Locked")
    path = Path(app_server.database_url.removeprefix("sqlite:///"))
    lock = sqlite3.connect(path, isolation_level=None, timeout=0)
    try:
        lock.execute("BEGIN EXCLUSIVE")
        answer = radio(page, label("history.night_pain"), "Yes")
        answer.click()
        # in the header, and in the sidebar, which stays in view however far the page is scrolled
        expect(page.get_by_test_id("stSidebar").get_by_text("1 change NOT saved, retrying")).to_be_visible(
            timeout=40_000)
        expect(page.get_by_test_id("stMain").get_by_text("1 change NOT saved, retrying")).to_be_visible()
        expect(answer).to_have_attribute("aria-checked", "true")
        page.screenshot(path=str(ARTIFACTS / "consultation_not_saved.png"))
    finally:
        lock.execute("ROLLBACK")
        lock.close()
    expect(page.get_by_text("saved automatically")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("NOT saved")).to_have_count(0)
    stored = open_store(app_server.database_url).get(encounter_id)
    assert stored.encounter.findings["history.night_pain"].value == "yes"  # type: ignore[union-attr]


def checked_step(page: Page) -> str:
    return str(page.get_by_role("radiogroup", name="Examination step")
               .locator('[role="radio"][aria-checked="true"]').inner_text()).strip()


def test_next_and_back_from_the_keyboard(app_server: AppServer, page: Page) -> None:
    """Alt+N presses Next and Alt+B presses Back (Streamlit button shortcuts), with no click."""
    new_patient(page, app_server.url, "Kay Board")
    assert checked_step(page) == "2. History"
    page.keyboard.press("Alt+N")
    expect(page.get_by_role("radiogroup", name="Examination step").get_by_role("radio", name="2. History")
           ).to_have_attribute("aria-checked", "false", timeout=20_000)
    wait_idle(page)
    moved_to = checked_step(page)
    assert moved_to.startswith("3. "), moved_to
    page.keyboard.press("Alt+B")
    expect(page.get_by_role("radiogroup", name="Examination step").get_by_role("radio", name="2. History")
           ).to_have_attribute("aria-checked", "true", timeout=20_000)
    wait_idle(page)
    expect(page.get_by_role("heading", name="Red-flag screen")).to_be_visible()
