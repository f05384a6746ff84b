"""Practice mode end to end in Chromium: pick a case, ask, commit, read the feedback, download the PDF.

Uses the app helper's fixtures (``app_server``, ``page``, ``wait_idle``, ``shot``) from conftest.py.
"""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from tests.e2e.conftest import AppServer, shot, wait_idle

TIMEOUT_MS = 20_000


def choose(page: Any, label: str, text: str, multi: bool = False) -> None:
    """Pick the option containing ``text`` in the selectbox (or multiselect) called ``label``."""
    box = page.get_by_role("combobox", name=label)
    box.click()
    box.press_sequentially(text)
    page.get_by_role("option", name=re.compile(re.escape(text))).first.click()
    if multi:
        page.keyboard.press("Escape")  # a multiselect keeps its list open after a pick
    else:
        expect(box).to_have_value(re.compile(re.escape(text)), timeout=TIMEOUT_MS)


def ask(page: Any, question: str, answer_fragment: str | re.Pattern[str]) -> None:
    """Ask one question (one click on its pill in the Ask list) and wait for the simulated patient's
    answer to appear."""
    page.get_by_role("radio", name=re.compile("^" + re.escape(question))).first.click()
    expect(page.get_by_text(answer_fragment)).to_be_visible(timeout=TIMEOUT_MS)
    wait_idle(page)


def test_practice_case_end_to_end_in_the_browser(app_server: AppServer, page: Any) -> None:
    """A student works the shingles case in learning mode, commits, sees the mark sheet and gets the PDF."""
    page.goto(f"{app_server.url}/practice")
    wait_idle(page)
    expect(page.get_by_role("heading", name="Practice")).to_be_visible(timeout=TIMEOUT_MS)

    choose(page, "Case", "Burning band of pain")
    wait_idle(page)
    page.get_by_role("textbox", name="Your name or nickname (for your progress)").fill("browser student")
    page.get_by_role("button", name="Start case").click()
    expect(page.get_by_role("heading", name="Burning band of pain around the chest")).to_be_visible(timeout=TIMEOUT_MS)
    wait_idle(page)

    ask(page, "Rash of blisters in a band", "red blotches with tiny blisters")
    ask(page, "Burning or sensitive skin in a band", "like sunburn")
    ask(page, "Pain brought on by exertion", "Walking doesn't bring it on")
    ask(page, "Sweating, nausea or breathlessness", re.compile(r"breathlessness with the pain — no$"))
    ask(page, "Immunosuppression", "not on anything that lowers my immunity")
    page.get_by_role("button", name=re.compile(r"^Hint")).click()
    expect(page.get_by_text("not mechanical")).to_be_visible(timeout=TIMEOUT_MS)
    wait_idle(page)

    choose(page, "Red flags present", "Shingles rash in the painful area", multi=True)
    choose(page, "Most likely diagnosis", "Herpes zoster")
    choose(page, "Differential (alternatives to keep in mind)", "Acute coronary syndrome", multi=True)
    choose(page, "First imaging or investigation", "No imaging now")
    for step in ("Antiviral medicine", "Simple analgesia", "Safety-net advice"):
        choose(page, "First-line plan", step, multi=True)
    shot(page, "practice-commit")
    page.get_by_role("button", name="Commit and see feedback").click()

    expect(page.get_by_role("heading", name=re.compile("^Feedback:"))).to_be_visible(timeout=TIMEOUT_MS)
    wait_idle(page)
    rating = page.get_by_test_id("stMetric").filter(has_text="Global rating")
    expect(rating).to_contain_text("Excellent")  # 19 of 20: one item of the pain history left out
    expect(page.get_by_text("Saved to the progress of 'browser student'.")).to_be_visible()
    expect(page.get_by_text(re.compile("Names herpes zoster"))).to_be_visible()
    shot(page, "practice-feedback")

    with page.expect_download(timeout=TIMEOUT_MS) as download:
        page.get_by_role("button", name="Download feedback (PDF)").click()
    path = download.value.path()
    assert path is not None
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    expect(page.get_by_role("heading", name="Progress")).to_be_visible()
    expect(page.locator('[data-testid="stDataFrame"]').nth(1)).to_be_visible(timeout=TIMEOUT_MS)
