"""The floor of ``bench/journeys.py`` (``bench/replay.py``): a page recorded in one Streamlit
server and replayed with no app logic in another must show the browser the same page after the
same clicks, fragment runs, widened runs and whole-page runs alike. If the replay drifted, the
benchmark's ratio would compare the app with some other page."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.e2e.conftest import ROOT, AppServer, start_app, stop_app, wait_idle

pytestmark = pytest.mark.slow

TINY_APP = '''
import streamlit as st

st.session_state.runs = st.session_state.get("runs", 0) + 1
st.title("Replay check")
st.write(f"Page runs: {st.session_state.runs}")


@st.fragment
def block():
    st.session_state.block_runs = st.session_state.get("block_runs", 0) + 1
    choice = st.segmented_control("Colour", ["Red", "Blue", "Green"], key="colour")
    st.write(f"Block run {st.session_state.block_runs} says {choice}")
    if choice == "Blue" and not st.session_state.get("widened"):
        st.session_state.widened = True
        st.rerun(scope="app")  # as the app widens a block's run when the urgency changes


block()
st.button("Whole page")
'''


@pytest.fixture
def recorded_and_floor() -> Iterator[tuple[Callable[[str], AppServer], Path]]:
    with tempfile.TemporaryDirectory(prefix="ea-replay-") as tmp:
        folder = Path(tmp)
        (folder / "tiny_app.py").write_text(TINY_APP, encoding="utf-8")
        env = {"EA_BENCH_RECORDING": str(folder / "recording.jsonl"), "EA_BENCH_APP": str(folder / "tiny_app.py"),
               "STREAMLIT_RUNNER_ENFORCE_SERIALIZABLE_SESSION_STATE": "false"}
        started: list[AppServer] = []

        def start(script: str) -> AppServer:
            data = folder / script
            data.mkdir()
            server = start_app(ROOT / "bench" / script, data, env)
            started.append(server)
            return server

        yield start, folder
        for server in started:
            stop_app(server)


def screens(page: Page, url: str) -> list[str]:
    """What the main area says after loading and after each of four clicks."""
    page.goto(url)
    wait_idle(page)
    main = page.get_by_test_id("stMain")
    seen = [main.inner_text()]
    colours = page.get_by_role("radiogroup", name="Colour")
    for target in (colours.get_by_role("radio", name="Red"), colours.get_by_role("radio", name="Blue"),
                   page.get_by_role("button", name="Whole page"), colours.get_by_role("radio", name="Green")):
        target.click()
        page.wait_for_timeout(300)
        wait_idle(page)
        seen.append(main.inner_text())
    return seen


def test_the_floor_shows_the_recorded_pages_after_the_same_clicks(
    recorded_and_floor: tuple[Callable[[str], AppServer], Path], new_context: Callable[[], object]
) -> None:
    start, folder = recorded_and_floor
    app = start("recording_app.py")
    app_screens = screens(new_context().new_page(), app.url)  # type: ignore[attr-defined]
    assert "Block run 1 says None" in app_screens[0] and "Page runs: 1" in app_screens[0]
    assert "Block run 2 says Red" in app_screens[1] and "Page runs: 1" in app_screens[1]  # the block alone
    assert "Page runs: 2" in app_screens[2] and "says Blue" in app_screens[2]  # widened to the page
    assert "Page runs: 3" in app_screens[3]
    assert "says Green" in app_screens[4] and "Page runs: 3" in app_screens[4]

    floor = start("floor_app.py")
    floor_screens = screens(new_context().new_page(), floor.url)  # type: ignore[attr-defined]
    assert floor_screens == app_screens
    log = (folder / "floor_app.py" / "streamlit.log").read_text(encoding="utf-8")
    assert "floor: " not in log, log  # every run the browser asked for was the recorded kind
    assert "Traceback" not in log, log
