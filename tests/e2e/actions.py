"""What a clinician does in the browser, as small functions the browser tests share.

Every action waits for its visible effect (Playwright's auto-waiting ``expect``) and then for
the app to be idle; nothing sleeps.
"""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page, expect

from tests.e2e.conftest import wait_idle

NEXT = re.compile(r"^(Next:|Examine the chosen protocols)")


def new_patient(page: Page, base_url: str, name: str, born: str = "01051970") -> str:
    """Open the app, enter a patient and start; returns the encounter id from the URL."""
    page.goto(base_url)
    wait_idle(page)
    page.get_by_label("Patient name").fill(name)
    page.get_by_role("spinbutton", name="day, Date of birth").click()
    page.keyboard.type(born)
    page.get_by_label("Clinician name").fill("Dr Grey")
    page.get_by_label("Registration number (optional)").fill("HCPC PH123456")  # a final note needs it
    page.get_by_role("button", name="Start the examination").click()
    page.wait_for_url(re.compile(r"encounter=[0-9a-f-]{36}"))
    expect(page.get_by_role("heading", name="Red-flag screen")).to_be_visible()
    wait_idle(page)
    return page.url.split("encounter=")[1]


def radio(page: Page, group: str, option: str) -> Any:
    return page.get_by_role("radiogroup", name=group, exact=True).get_by_role("radio", name=option, exact=True)


def pick(page: Page, group: str, option: str) -> None:
    """Choose ``option`` in the segmented control labelled ``group`` (e.g. "Adson's manoeuvre, left")."""
    choice = radio(page, group, option)
    choice.click()
    expect(choice).to_have_attribute("aria-checked", "true")
    wait_idle(page)


def reproduced(page: Page, test: str, side: str, criterion: str) -> None:
    """Record what a positive side reproduced: one click on its chip (every criterion is in view)."""
    chips = page.get_by_role("toolbar", name=f"{test}, {side}: what was reproduced or observed")
    chip = chips.get_by_role("button", name=criterion, exact=True)
    expect(chip).to_be_enabled()
    chip.click()
    expect(chip).to_have_attribute("aria-pressed", "true")
    wait_idle(page)


def folded(page: Page, title: str) -> Any:
    """The one line an all-clear group folds to ("Vascular symptoms (arm and neck): all 9 No")."""
    return page.get_by_text(re.compile(rf"{re.escape(title)}: all \d+ (No|normal)"))


def click_and_wait(page: Page, name: str | re.Pattern[str], then: str) -> None:
    """Click a button and wait for the heading ``then`` to be shown."""
    page.get_by_role("button", name=name).click()
    expect(page.get_by_role("heading", name=then, exact=True)).to_be_visible()
    wait_idle(page)


def next_step(page: Page, then: str) -> None:
    click_and_wait(page, NEXT, then)


def open_step(page: Page, step: str, then: str) -> None:
    """Open a step from the progress bar (e.g. "3. Protocols") and wait for its heading ``then``.
    The history's Next skips the choice step when the history suggests protocols."""
    page.get_by_role("radiogroup", name="Examination step").get_by_role("radio", name=step).click()
    expect(page.get_by_role("heading", name=then, exact=True)).to_be_visible()
    wait_idle(page)


def sidebar_text(page: Page) -> str:
    return page.get_by_test_id("stSidebar").inner_text()
