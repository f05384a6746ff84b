"""User text is shown as typed in the browser: never a link, never bold or italic, never HTML.

Markdown links, HTML tags, markdown emphasis, a bare URL and an e-mail address are typed into
every text field of the patient step and into a free-text item; then the examination, the
Encounters page (patient line, complaint) and the Continue list are read from the DOM: no
anchor points at the typed address, no <b>/<strong>/<em> holds typed words, and the text is
there as typed. Uses the shared fixtures of conftest.py.
"""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from tests.e2e.conftest import AppServer, shot, wait_idle
from tests.e2e.test_practice_browser import TIMEOUT_MS, choose

HOSTILE = "[x](http://evil.example/a) <b>bold-html</b> **bold-md** _it-md_ http://evil.example/bare www.evil.example ann@evil.example"
FIELDS = {  # patient step label -> what is typed (each field its own words, so each is found)
    "Patient name": "Name " + HOSTILE,
    "Patient identifier (optional)": "[id](http://evil.example/id) **id-bold**",
    "Clinician name": "Dr " + HOSTILE,
    "Clinician role": "<i>role-html</i> **role-bold**",
    "Registration number (optional)": "[reg](http://evil.example/reg)",
    "Chief complaint": "Complaint " + HOSTILE,
}
FREE_TEXT = "Mood, worries, work or compensation issues, expectations"


def shown(page: Any) -> str:
    """The page's text as a reader sees it (md() adds invisible word joiners that break autolinks)."""
    return str(page.inner_text("body")).replace("\u2060", "")


def assert_plain(page: Any, where: str) -> None:
    """No link to the typed address, no emphasis or HTML element made from typed words (the app's
    own bold around a whole name is not one: it holds the name, not just the marked-up word)."""
    links = page.locator("a[href*='evil.example']")
    assert links.count() == 0, f"{where}: a link was made from user text: {links.first.get_attribute('href')}"
    for tag in ("b", "strong", "em", "i"):
        made = page.locator(f"[data-testid=stMain] {tag}, [data-testid=stSidebar] {tag}").filter(
            has_text=re.compile(r"^\s*(bold-html|bold-md|it-md|role-html|role-bold|id-bold)\s*$"))
        assert made.count() == 0, f"{where}: <{tag}> made from user text: {made.first.inner_text()}"
    assert "evil.example" not in (page.locator("img").evaluate_all("els => els.map(e => e.src).join(' ')") or "")


def test_user_text_is_never_a_link_or_markup(app_server: AppServer, page: Any) -> None:
    page.goto(app_server.url)
    wait_idle(page)
    for label, text in FIELDS.items():
        page.get_by_label(label, exact=True).fill(text)
    page.get_by_role("spinbutton", name="day, Date of birth").click()
    page.keyboard.type("01051970")
    page.get_by_role("button", name="Start the examination").click()
    page.wait_for_url(re.compile(r"encounter=[0-9a-f-]{36}"), timeout=TIMEOUT_MS)
    wait_idle(page)
    expect(page.get_by_text(re.compile(r"Name \[x\]\(http")).first).to_be_visible(timeout=TIMEOUT_MS)
    assert "Name " + HOSTILE in shown(page), "shown as typed"
    assert_plain(page, "examination")

    box = page.get_by_label(FREE_TEXT, exact=True)
    box.fill("Worried " + HOSTILE)
    box.blur()
    wait_idle(page)
    assert_plain(page, "examination with free text")
    assert "Worried " + HOSTILE in str(box.input_value())
    shot(page, "user-text-examination")

    page.goto(f"{app_server.url}/encounters")
    wait_idle(page)
    choose(page, "Encounter", "Name [x]")
    wait_idle(page)
    expect(page.get_by_text(re.compile(r"Complaint \[x\]")).first).to_be_visible(timeout=TIMEOUT_MS)
    assert "Complaint " + HOSTILE in shown(page)
    assert_plain(page, "Encounters")
    shot(page, "user-text-encounters")

    page.goto(f"{app_server.url}/continue")
    wait_idle(page)
    expect(page.get_by_text(re.compile(r"Name \[x\]")).first).to_be_visible(timeout=TIMEOUT_MS)
    assert_plain(page, "Continue")
