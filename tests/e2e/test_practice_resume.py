"""A practice attempt survives a refresh: start a case, ask by one click (and through the filter),
reload the page, and the attempt resumes with those answers and carries on.

Uses the shared fixtures of conftest.py (``app_server``, ``page``, ``wait_idle``, ``shot``).
"""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from tests.e2e.conftest import AppServer, shot, wait_idle
from tests.e2e.test_practice_browser import TIMEOUT_MS, ask, choose

COLD_START_MS = 90_000  # the first page of a fresh server loads the packs and every case
ATTEMPT_URL = re.compile(r"/practice\?attempt=[0-9a-f-]{36}$")


def test_a_refresh_resumes_the_practice_attempt(app_server: AppServer, page: Any) -> None:
    page.goto(f"{app_server.url}/practice")
    wait_idle(page, COLD_START_MS)
    choose(page, "Case", "Burning band of pain")
    wait_idle(page)
    page.get_by_role("textbox", name="Your name or nickname (for your progress)").fill("refresher")
    page.get_by_role("button", name="Start case").click()
    expect(page.get_by_role("heading", name="Burning band of pain around the chest")).to_be_visible(timeout=TIMEOUT_MS)
    wait_idle(page)
    expect(page).to_have_url(ATTEMPT_URL)
    url = page.url

    ask(page, "Rash of blisters in a band", "red blotches with tiny blisters")
    ask(page, "Burning or sensitive skin in a band", "like sunburn")
    # the filter narrows both lists; one click on what is left
    page.get_by_role("textbox", name="Find a question or test").fill("immunosuppression")
    page.keyboard.press("Enter")
    expect(page.get_by_role("radio", name=re.compile("^Burning or sensitive skin"))).to_have_count(0)
    wait_idle(page)
    ask(page, "Immunosuppression", "not on anything that lowers my immunity")
    expect(page.get_by_role("radio", name=re.compile("^Immunosuppression"))).to_have_count(0)  # asked: off the list
    choose(page, "Most likely diagnosis", "Herpes zoster")  # a commit choice is saved too
    wait_idle(page)

    page.reload()
    wait_idle(page)
    expect(page.get_by_role("heading", name="Burning band of pain around the chest")).to_be_visible(timeout=TIMEOUT_MS)
    assert page.url == url
    for answer in ("red blotches with tiny blisters", "like sunburn", "not on anything that lowers my immunity"):
        expect(page.get_by_text(answer)).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_role("radio", name=re.compile("^Rash of blisters in a band"))).to_have_count(0)
    expect(page.get_by_role("combobox", name="Most likely diagnosis")).to_have_value(re.compile("Herpes zoster"))
    shot(page, "practice-resumed")

    ask(page, "Pain brought on by exertion", "Walking doesn't bring it on")  # carries on after the refresh
    page.reload()
    wait_idle(page)
    expect(page.get_by_text("Walking doesn't bring it on")).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_text("like sunburn")).to_be_visible()

    page.get_by_role("button", name="Abandon this case").click()
    expect(page.get_by_role("button", name="Start case")).to_be_visible(timeout=TIMEOUT_MS)
    wait_idle(page)
    page.reload()
    wait_idle(page)
    expect(page.get_by_role("button", name="Start case")).to_be_visible(timeout=TIMEOUT_MS)  # abandoned stays gone
