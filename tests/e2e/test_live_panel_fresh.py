"""The sidebar never goes stale while answers rerun only their own block (decision 41).

An answer reruns its block as a fragment, and the page (with the live panel, the banner and
"Ask next") is redrawn only when ``ui/outside.outside_view`` says something drawn there
changed. If that view missed something, the sidebar would keep showing an older differential,
urgency or flag. So after every click of a short consultation this test reads the sidebar and
checks it against the assessment of what the store holds at that moment.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from exam_assistant.engine.assess import assess
from exam_assistant.library import cached_library
from exam_assistant.store import open_store
from exam_assistant.ui.text import TIER_WORD
from exam_assistant.ui.widgets.live_panel import TOP_DIFFERENTIAL
from tests.e2e.actions import new_patient, radio, sidebar_text
from tests.e2e.conftest import AppServer, wait_idle

LIB = cached_library()

# (item, option): arm symptoms that move the differential, then a red flag at the end
ANSWERS = [
    ("history.arm_symptoms", "Right arm"),
    ("history.below_elbow", "Yes"),
    ("history.paraesthesia", "Yes"),
    ("history.positional_arm_symptoms", "Yes"),
    ("history.overhead_work_or_sport", "Yes"),
    ("history.night_pain", "No"),
    ("history.weight_loss", "Yes"),
    ("history.abrupt_severe_pain", "Yes"),
]


def plain(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u2060", "")).strip()


def test_the_live_panel_matches_the_stored_findings_after_every_answer(app_server: AppServer, page: Page) -> None:
    encounter_id = new_patient(page, app_server.url, "Fresh Panel")
    store = open_store(app_server.database_url)
    for item_id, option in ANSWERS:
        choice = radio(page, LIB.items[item_id].label, option)
        choice.click()
        expect(choice).to_have_attribute("aria-checked", "true")
        wait_idle(page)
        dialog = page.get_by_role("dialog")
        if dialog.count():
            page.get_by_role("button", name="I have read this: close").click()
            expect(dialog).to_have_count(0)
            wait_idle(page)
        stored = store.get(encounter_id).encounter
        assert item_id in stored.findings, f"{item_id} was shown answered but not stored"
        expected = assess(stored, LIB)
        panel = plain(sidebar_text(page))
        where = f"after {item_id} = {option}"
        assert f"Urgency: {TIER_WORD[expected.urgency]}" in panel, f"stale urgency {where}: {panel[:300]}"
        names = [d.name for d in expected.differential[:TOP_DIFFERENTIAL]]
        shown = [n for n in names if plain(n) in panel]
        assert shown == names, f"stale differential {where}: expected {names}, panel says {panel}"
        order = [panel.index(plain(n)) for n in names]
        assert order == sorted(order), f"differential out of order {where}: {names}"
        for flag in expected.red_flags:
            assert plain(flag.title) in panel, f"red flag {flag.title!r} missing from the panel {where}"
    assert expected.urgency == "EMERGENCY", "the last answer should raise an emergency"
