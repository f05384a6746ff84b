"""The examination in a real browser: a whole TOS examination to the PDF, a refresh that loses
nothing, two clinicians at once, an emergency, and a server restart."""

from __future__ import annotations

import io
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect
from pypdf import PdfReader

from exam_assistant.library import cached_library
from tests.e2e.actions import (
    folded,
    new_patient,
    next_step,
    open_step,
    pick,
    radio,
    reproduced,
    sidebar_text,
)
from tests.e2e.conftest import ROOT, AppServer, shot, start_app, stop_app, wait_idle

LIB = cached_library()
CLEAR_RED_FLAGS = "Answer “No” to every unanswered question"


def label(item_id: str) -> str:
    """An item's label as the packs define it (so the tests follow the clinical content)."""
    return LIB.items[item_id].label

SCREEN_NORMAL = "Mark the whole screen normal (everything not yet tested)"


def _tos_history(page: Page) -> None:
    pick(page, label("history.positional_arm_symptoms"), "Yes")
    page.get_by_role("button", name=CLEAR_RED_FLAGS).click()
    expect(folded(page, "Neurological symptoms")).to_be_visible()  # all "No": folded to one line
    wait_idle(page)


def test_whole_thoracic_outlet_examination_to_the_pdf(app_server: AppServer, page: Page) -> None:
    """tos.cluster: new patient -> history -> TOS battery -> summary -> finalise -> PDF download."""
    new_patient(page, app_server.url, "Tess Outlet")
    shot(page, "tos_1_history")
    _tos_history(page)
    open_step(page, "3. Protocols", "Choose the examination")
    expect(page.get_by_role("checkbox", name="Thoracic outlet syndrome tests · suggested")).to_be_checked()
    shot(page, "tos_2_choose")
    next_step(page, "Thoracic outlet syndrome tests")
    page.get_by_role("button", name=re.compile("How to")).first.click()  # the small popover by the name
    expect(page.get_by_text("Positive when:").first).to_be_visible()  # drawn only once opened
    page.keyboard.press("Escape")
    wait_idle(page)
    for test, criterion in (("Roos elevated arm stress test (EAST)", "The patient's pain reproduced"),
                            ("Wright's hyperabduction test", "The patient's pain reproduced"),
                            ("Costoclavicular manoeuvre (military brace)", "Pins and needles or numbness reproduced")):
        pick(page, f"{test}, right", "Positive")
        reproduced(page, test, "right", criterion)
    page.get_by_role("button", name=SCREEN_NORMAL).click()
    # the whole page reruns after the shortcut; until it ends the old rows are still drawn too
    expect(page.get_by_test_id("stSidebar")).to_contain_text("3 of 7 positive", timeout=20_000)
    wait_idle(page)
    expect(radio(page, "Adson's manoeuvre, left", "Negative")).to_have_attribute("aria-checked", "true")
    expect(page.get_by_test_id("stSidebar")).to_contain_text("3 of 7 positive")
    shot(page, "tos_3_panel")
    next_step(page, "Summary and assessment")
    expect(page.get_by_text("3 or more manoeuvres reproduce symptoms").first).to_be_visible()
    shot(page, "tos_4_summary")
    page.get_by_role("button", name="Finalise the note").click()  # one click, at the end of the summary
    expect(page.get_by_text("The note is final").first).to_be_visible()
    wait_idle(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the note (PDF)").click()
    data = Path(download.value.path()).read_bytes()
    assert data.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "Tess Outlet" in text
    assert download.value.suggested_filename.endswith(".pdf")
    shot(page, "tos_5_final")


def test_refresh_halfway_loses_nothing(app_server: AppServer, page: Page) -> None:
    """After a reload the same step opens with every answer and test result still recorded."""
    encounter_id = new_patient(page, app_server.url, "Rhea Fresh")
    _tos_history(page)
    open_step(page, "3. Protocols", "Choose the examination")
    next_step(page, "Thoracic outlet syndrome tests")
    pick(page, "Roos elevated arm stress test (EAST), right", "Positive")
    reproduced(page, "Roos elevated arm stress test (EAST)", "right", "Heaviness or weakness of the arm")
    pick(page, "Adson's manoeuvre, left", "Negative")
    page.reload()
    wait_idle(page)
    assert encounter_id in page.url
    expect(page.get_by_role("heading", name="Thoracic outlet syndrome tests")).to_be_visible()
    expect(radio(page, "Roos elevated arm stress test (EAST), right", "Positive")).to_have_attribute("aria-checked", "true")
    expect(radio(page, "Adson's manoeuvre, left", "Negative")).to_have_attribute("aria-checked", "true")
    criterion = page.get_by_role("toolbar", name="Roos elevated arm stress test (EAST), right: what was reproduced "
                                 "or observed").get_by_role("button", name="Heaviness or weakness of the arm")
    expect(criterion).to_have_attribute("aria-pressed", "true")
    assert "1 of 7 positive" in sidebar_text(page)
    shot(page, "refresh_after")
    page.get_by_role("radiogroup", name="Examination step").get_by_role("radio", name="2. History").click()
    expect(radio(page, label("history.positional_arm_symptoms"), "Yes")).to_have_attribute(
        "aria-checked", "true")


def test_two_clinicians_at_once_never_see_each_others_data(
    app_server: AppServer, new_context: Callable[[], object]
) -> None:
    """Two browser contexts examine two patients side by side; each sees only its own."""
    first: Page = new_context().new_page()  # type: ignore[attr-defined]
    second: Page = new_context().new_page()  # type: ignore[attr-defined]
    new_patient(first, app_server.url, "Alice Ardent")
    new_patient(second, app_server.url, "Bruno Brook")
    pick(first, label("history.arm_swelling"), "Yes")
    pick(second, label("history.night_pain"), "No")
    first.reload()
    second.reload()
    wait_idle(first)
    wait_idle(second)
    assert "Alice Ardent" in sidebar_text(first) and "Bruno Brook" not in first.content()
    assert "Bruno Brook" in sidebar_text(second) and "Alice Ardent" not in second.content()
    expect(first.get_by_text("Suspected effort thrombosis").first).to_be_visible()
    expect(second.get_by_text("Suspected effort thrombosis")).to_have_count(0)
    expect(radio(second, label("history.arm_swelling"), "Unknown")).to_have_attribute("aria-checked", "true")
    shot(first, "two_contexts_first")
    shot(second, "two_contexts_second")


def test_emergency_shows_the_stop_banner_on_every_step(app_server: AppServer, page: Page) -> None:
    """rf.cord_compression: the stop dialog opens at once; once closed, the stop banner stays at
    the top of every step."""
    new_patient(page, app_server.url, "Emma Urgent")
    pick(page, label("history.sphincter_change"), "Yes")
    expect(page.get_by_role("dialog")).to_contain_text("Stop the examination")
    page.get_by_role("button", name="I have read this: close").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    wait_idle(page)
    banner = page.get_by_test_id("stHeadingWithActionElements").filter(has_text="EMERGENCY: stop the examination")
    expect(banner).to_be_visible()
    shot(page, "emergency_history")
    page.get_by_role("radiogroup", name="Examination step").get_by_role("radio", name="4. Summary").click()
    expect(page.get_by_role("heading", name="Summary and assessment")).to_be_visible()
    wait_idle(page)
    expect(banner).to_be_visible()
    box = banner.bounding_box()
    heading = page.get_by_role("heading", name="Summary and assessment").bounding_box()
    assert box is not None and heading is not None and box["y"] < heading["y"]
    shot(page, "emergency_summary")


def test_server_restart_resumes_the_draft(new_context: Callable[[], object]) -> None:
    """A draft survives a restart of the server: the same link reopens it at its step."""
    with tempfile.TemporaryDirectory(prefix="ea-restart-") as tmp:
        server = start_app(ROOT / "streamlit_app.py", Path(tmp))
        page: Page = new_context().new_page()  # type: ignore[attr-defined]
        try:
            new_patient(page, server.url, "Remy Restart")
            pick(page, label("history.fever"), "Yes")
            open_step(page, "3. Protocols", "Choose the examination")
            link = page.url.replace(server.url, "")
        finally:
            stop_app(server)
        server = start_app(ROOT / "streamlit_app.py", Path(tmp))
        try:
            page.goto(server.url + link)
            wait_idle(page)
            expect(page.get_by_role("heading", name="Choose the examination")).to_be_visible()
            assert "Remy Restart" in sidebar_text(page)
        finally:
            stop_app(server)


def test_neuro_screen_by_level_with_the_figure(app_server: AppServer, page: Page) -> None:
    """neuro: "C5 normal" fills that level; a reduced C6 shows in the figure's caption and the level."""
    new_patient(page, app_server.url, "Nico Root")
    pick(page, label("history.paraesthesia"), "Yes")
    open_step(page, "3. Protocols", "Choose the examination")
    page.get_by_text("Cervical radiculopathy tests · suggested").click()
    expect(page.get_by_role("checkbox", name="Cervical radiculopathy tests · suggested")).not_to_be_checked()
    wait_idle(page)
    next_step(page, LIB.packs["neuro"].pack.title)
    page.get_by_role("button", name="C5 normal").click()
    # a normal level folds to one line (the whole page reruns after the shortcut: allow a loaded machine)
    expect(folded(page, "C5")).to_be_visible(timeout=20_000)
    wait_idle(page)
    pick(page, f"{label('neuro.sens_c6')}, left", "Reduced")
    expect(page.get_by_text("C6 left reduced").first).to_be_visible()
    expect(page.get_by_test_id("stSidebar")).to_contain_text("C6")
    shot(page, "neuro_levels")


def test_other_pages_render(app_server: AppServer, page: Page) -> None:
    """Continue, Encounters, Protocol library and Settings open and show their content."""
    new_patient(page, app_server.url, "Paige Pages")
    for link, heading in (("Continue", "Continue an examination"), ("Encounters", "Encounters"),
                          ("Protocol library", "Protocol library"), ("Settings", "Settings")):
        page.get_by_test_id("stSidebarNav").get_by_role("link", name=link).click()
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
        wait_idle(page)
        shot(page, f"page_{link.lower().replace(' ', '_')}")
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Continue").click()
    expect(page.get_by_text("Paige Pages").first).to_be_visible()
