"""Two app processes on one PostgreSQL (issue 13, item 7): two clinicians on one draft, in two
browsers on two ports, get the stale-save message and never lose each other's work."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from exam_assistant.library import cached_library
from exam_assistant.store import open_store
from tests.e2e.actions import new_patient, pick, radio
from tests.e2e.conftest import ROOT, AppServer, start_app, stop_app, wait_idle
from tests.pg import postgres_server, postgres_url  # noqa: F401  (fixtures used by name)

pytestmark = [pytest.mark.slow, pytest.mark.postgres]
LIB = cached_library()


def label(item_id: str) -> str:
    return LIB.items[item_id].label


@pytest.fixture
def two_servers(postgres_url: str) -> Iterator[tuple[AppServer, AppServer]]:  # noqa: F811
    """Two `streamlit run` processes on two free ports, both on the same fresh PostgreSQL database."""
    with tempfile.TemporaryDirectory(prefix="ea-two-") as tmp:
        for name in ("a", "b"):
            (Path(tmp) / name).mkdir()
        first = start_app(ROOT / "streamlit_app.py", Path(tmp) / "a", {"EXAM_ASSISTANT_DATABASE_URL": postgres_url})
        second = None
        try:
            second = start_app(ROOT / "streamlit_app.py", Path(tmp) / "b", {"EXAM_ASSISTANT_DATABASE_URL": postgres_url})
            yield first, second
        finally:
            stop_app(first)
            if second is not None:
                stop_app(second)


def test_two_clinicians_on_two_servers_get_the_stale_save_message_and_lose_nothing(
    two_servers: tuple[AppServer, AppServer], new_context: Callable[[], object], postgres_url: str  # noqa: F811
) -> None:
    """A saves first through server 1; B's change through server 2, based on the older version, is
    refused with the stale-save message and a reload button; A's answer is in the database."""
    one, two = two_servers
    ann: Page = new_context().new_page()  # type: ignore[attr-defined]
    bob: Page = new_context().new_page()  # type: ignore[attr-defined]
    encounter_id = new_patient(ann, one.url, "Della Shared")
    bob.goto(f"{two.url}/?encounter={encounter_id}")
    wait_idle(bob)
    expect(bob.get_by_role("heading", name="Red-flag screen")).to_be_visible()
    pick(ann, label("history.arm_swelling"), "Yes")
    radio(bob, label("history.night_pain"), "No").click()
    wait_idle(bob)
    expect(bob.get_by_text("someone else changed this encounter", exact=False).first).to_be_visible()
    expect(bob.get_by_role("button", name="Load the latest saved version", exact=False)).to_be_visible()
    repo = open_store(postgres_url)
    try:
        stored = repo.get(encounter_id).encounter
        assert stored.findings["history.arm_swelling"].value == "yes"  # type: ignore[union-attr]
        assert "history.night_pain" not in stored.findings
    finally:
        repo.engine.dispose()
    bob.get_by_role("button", name="Load the latest saved version", exact=False).click()
    wait_idle(bob)
    expect(radio(bob, label("history.arm_swelling"), "Yes")).to_have_attribute("aria-checked", "true")
