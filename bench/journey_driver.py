"""The driver behind ``bench/journeys.py``: what a clinician does in the app, as Playwright
actions that count every interaction and time each one that makes the app rerun.

Counting: every click and every key entry is one (a typed field, with the key that commits it,
is one entry; a keyboard shortcut is one). Timing ("click to idle"): from the pointer or key
event to the moment Streamlit's ``data-test-script-state`` is back to ``notRunning`` and the
websocket has been quiet for a moment (the way Streamlit's own browser tests wait for a run; a
fragment run widened to a page run is counted whole, and a run too quick to paint "running" is
still seen through its messages).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Locator, Page, ViewportSize, expect

from exam_assistant.library import cached_library

VIEWPORT: ViewportSize = {"width": 1400, "height": 1000}
QUIET_MS = 400  # no script-state change for this long after notRunning: the run is over
NO_RUN_MS = 1500  # nothing from the server this long after the event: the interaction did not rerun
TIMEOUT_MS = 30_000
LIB = cached_library()

# Added to every page before Streamlit loads: the time of every message the app's websocket
# receives (a run that is too quick to paint "running" still sends its messages).
WS_CLOCK = """(() => {
  const Original = window.WebSocket;
  window.__eaMessages = [];
  window.WebSocket = function (...args) {
    const socket = new Original(...args);
    socket.addEventListener('message', () => window.__eaMessages.push(performance.now()));
    return socket;
  };
  window.WebSocket.prototype = Original.prototype;
  Object.assign(window.WebSocket, Original);
})();"""

# Installed before each interaction: remembers the first pointer or key event and every change
# of Streamlit's script state after it.
_ARM = """() => {
  const app = document.querySelector('[data-testid=stApp]');
  if (window.__eaObserver) window.__eaObserver.disconnect();
  if (window.__eaListener) {
    document.removeEventListener('pointerdown', window.__eaListener, true);
    document.removeEventListener('keydown', window.__eaListener, true);
  }
  const probe = {start: null, log: []};
  window.__eaProbe = probe;
  window.__eaListener = () => { if (probe.start === null) probe.start = performance.now(); };
  document.addEventListener('pointerdown', window.__eaListener, true);
  document.addEventListener('keydown', window.__eaListener, true);
  window.__eaObserver = new MutationObserver(() =>
    probe.log.push([performance.now(), app.getAttribute('data-test-script-state')]));
  window.__eaObserver.observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
}"""

# Resolves with the click-to-idle time in ms (the later of the last message from the server and
# the last change of the script state to notRunning, once both have been quiet for a while), or
# null when nothing came back from the server after the event (no run).
_SETTLE = """([quiet, noRun, timeout]) => new Promise(resolve => {
  const probe = window.__eaProbe;
  const app = document.querySelector('[data-testid=stApp]');
  const begun = performance.now();
  const tick = () => {
    const now = performance.now();
    const start = probe.start === null ? begun : probe.start;
    const state = app.getAttribute('data-test-script-state');
    const messages = (window.__eaMessages || []).filter(t => t >= start);
    const idle = probe.log.filter(([, s]) => s === 'notRunning').map(([t]) => t);
    const last = Math.max(start, ...messages, ...probe.log.map(([t]) => t));
    const skeleton = document.querySelector('[data-testid="stSkeleton"]');
    if (!messages.length && !probe.log.length && now - start > noRun) return resolve(null);
    if ((messages.length || probe.log.length) && state === 'notRunning' && now - last > quiet && !skeleton) {
      return resolve(Math.max(...messages, ...idle) - start);
    }
    if (now - begun > timeout) return resolve(-1);
    setTimeout(tick, 20);
  };
  tick();
})"""


def label(item_id: str) -> str:
    return LIB.items[item_id].label


def option_label(item_id: str, value: str) -> str:
    item = LIB.items[item_id]
    for collection in (item.options, item.criteria or []):
        for option in collection:
            if option.value == value:
                return str(option.label)
    raise KeyError(f"{item_id} has no option {value}")


class Driver:
    """Counts every interaction and times each one that makes the app rerun."""

    def __init__(self, page: Page, floor: bool = False) -> None:
        self.page = page
        self.floor = floor  # driving the replayed floor (bench/replay.py): no files to download
        self.count = 0
        self.idle_ms: list[float] = []
        self.trace: list[str] = []
        self.timed: list[tuple[str, float | None]] = []  # each interaction and its click-to-idle (None: no run)

    @contextmanager
    def _interaction(self, what: str, runs: bool = True) -> Iterator[None]:
        self.page.wait_for_selector('[data-testid="stApp"]', timeout=TIMEOUT_MS)
        self.page.evaluate(_ARM)
        yield
        self.count += 1
        self.trace.append(what)
        ms = self.page.evaluate(_SETTLE, [QUIET_MS, NO_RUN_MS, TIMEOUT_MS])
        if ms is not None and ms < 0:
            raise RuntimeError(f"the app did not become idle after: {what}")
        if not runs:  # e.g. a download: its file request is not a script run
            ms = None
        self.timed.append((what, None if ms is None else float(ms)))
        if ms is not None:
            self.idle_ms.append(float(ms))

    def click(self, target: Locator, what: str, runs: bool = True) -> None:
        target.scroll_into_view_if_needed()
        with self._interaction(what, runs):
            target.click()

    def type(self, target: Locator, text: str, what: str, commit: str | None = "Tab") -> None:
        """One key entry: the field typed and, where the widget needs it, the key that commits it."""
        target.scroll_into_view_if_needed()
        with self._interaction(what):
            target.fill(text)
            if commit:
                target.press(commit)

    def keys(self, target: Locator, text: str, what: str) -> None:
        """One key entry into a field that takes keystrokes (the date's day, month and year)."""
        target.scroll_into_view_if_needed()
        with self._interaction(what):
            target.click()
            self.page.keyboard.type(text)

    def shortcut(self, combo: str, what: str) -> None:
        with self._interaction(what):
            self.page.keyboard.press(combo)

    def wait_idle(self) -> None:
        self.page.evaluate(_ARM)
        self.page.evaluate(_SETTLE, [QUIET_MS, 0, TIMEOUT_MS])


# ------------------------------------------------------------------ what a clinician does


def group(page: Page, name: str) -> Locator:
    return page.get_by_role("radiogroup", name=name, exact=True)


def answer(d: Driver, item_id: str, option: str) -> None:
    """A yes/no or short choice (a segmented control), one click."""
    choice = group(d.page, label(item_id)).get_by_role("radio", name=option, exact=True)
    d.click(choice, f"{item_id} = {option}")
    expect(choice).to_have_attribute("aria-checked", "true")


def choose(d: Driver, item_id: str, value: str) -> None:
    """A choice as the app draws it: a segmented control when the options are short, pills (a
    toolbar of toggle buttons, one click) for up to eight, otherwise a select box."""
    text = option_label(item_id, value)
    segmented = group(d.page, label(item_id))
    if segmented.count():
        answer(d, item_id, text)
        return
    chips = d.page.get_by_role("toolbar", name=label(item_id), exact=True)
    if chips.count():
        chip = chips.get_by_role("button", name=text, exact=True)
        d.click(chip, f"{item_id} = {value}")
        expect(chip).to_have_attribute("aria-pressed", "true")
        return
    box = d.page.get_by_role("combobox", name=label(item_id), exact=True)
    d.click(box, f"open {item_id}")
    d.click(d.page.get_by_role("option", name=text, exact=True), f"{item_id} = {value}")


def pills(d: Driver, item_id: str, values: list[str]) -> None:
    """A multi-choice question drawn as pills (a toolbar of toggle buttons): one click per answer."""
    bar = d.page.get_by_role("toolbar", name=label(item_id), exact=True)
    for value in values:
        d.click(bar.get_by_role("button", name=option_label(item_id, value), exact=True), f"{item_id} += {value}")


def number(d: Driver, item_id: str, value: float) -> None:
    d.type(d.page.get_by_role("spinbutton", name=label(item_id)).first, f"{value:g}", f"{item_id} = {value:g}",
           commit="Enter")


def sided(d: Driver, item_id: str, side: str, result: str, criteria: tuple[str, ...] = ()) -> None:
    """A sided test's result on one side and, for a positive, what it reproduced."""
    word = {"L": "left", "R": "right"}[side]
    row = group(d.page, f"{label(item_id)}, {word}")
    choice = row.get_by_role("radio", name=result, exact=True)
    d.click(choice, f"{item_id} {word} = {result}")
    expect(choice).to_have_attribute("aria-checked", "true")
    if criteria:
        reproduced(d, item_id, word, criteria)


def reproduced(d: Driver, item_id: str, word: str, criteria: tuple[str, ...]) -> None:
    """What a positive side reproduced: chips (one click each) or a multiselect (open, pick, close)."""
    name = f"{label(item_id)}, {word}: what was reproduced or observed"
    chips = d.page.get_by_role("toolbar", name=name, exact=True)
    box = d.page.get_by_role("combobox", name=name, exact=True)
    expect(chips.or_(box)).to_be_visible(timeout=TIMEOUT_MS)
    if chips.count():
        for value in criteria:
            chip = chips.get_by_role("button", name=option_label(item_id, value), exact=True)
            d.click(chip, f"{item_id} {word} reproduced {value}")
            expect(chip).to_have_attribute("aria-pressed", "true")
        return
    expect(box).to_be_editable()
    d.click(box, f"open {item_id} {word} criteria")
    if box.get_attribute("aria-expanded") != "true":
        d.page.keyboard.press("ArrowDown")
    for value in criteria:
        d.click(d.page.get_by_role("option", name=option_label(item_id, value), exact=True),
                f"{item_id} {word} reproduced {value}")
        if value != criteria[-1] and box.get_attribute("aria-expanded") != "true":
            d.click(box, f"reopen {item_id} {word} criteria")
    if box.get_attribute("aria-expanded") == "true":
        with d._interaction(f"close {item_id} {word} criteria"):
            d.page.keyboard.press("Escape")


def button(d: Driver, name: str | re.Pattern[str], what: str | None = None) -> None:
    target = d.page.get_by_role("button", name=name).first
    d.click(target, what or str(name))


def heading(d: Driver, text: str | re.Pattern[str]) -> None:
    expect(d.page.get_by_role("heading", name=text).first).to_be_visible(timeout=TIMEOUT_MS)


NEXT = re.compile(r"^(Next:|Examine the chosen protocols|Examine:)")


def next_step(d: Driver) -> None:
    button(d, NEXT, "next step")


def new_patient(d: Driver, base_url: str, name: str, born: str) -> None:
    d.page.goto(base_url)
    d.wait_idle()
    d.type(d.page.get_by_label("Patient name"), name, "patient name", commit=None)
    d.keys(d.page.get_by_role("spinbutton", name="day, Date of birth"), born, "date of birth")
    button(d, "Start the examination")
    d.page.wait_for_url(re.compile(r"encounter=[0-9a-f-]{36}"), timeout=TIMEOUT_MS)
    heading(d, "History")


def fill_rest_no(d: Driver) -> None:
    """The red-flag screen's shortcut: "No" to every question not yet answered."""
    button(d, re.compile(r"Answer .No. to every unanswered question"), "red-flag screen: No to the rest")


def mark_rest_normal(d: Driver) -> None:
    """The examination step's shortcut: everything not yet tested is normal."""
    button(d, re.compile(r"^Mark (the whole screen|everything not yet tested as) normal"), "mark the rest normal")


def through_exam_steps(d: Driver, on_step: dict[str, Callable[[Driver], None]]) -> None:
    """From the protocol choice to the summary: each chosen protocol's step in turn, with what
    ``on_step`` says for it (by the step heading's start) and the rest marked normal."""
    while True:
        heading(d, re.compile(r"."))
        main = d.page.get_by_test_id("stMain")
        if main.get_by_role("heading", name="Summary and assessment").count():
            return
        if main.get_by_role("heading", name="Choose the examination").count():
            next_step(d)
            continue
        title = main.locator("h3").first.inner_text().strip()
        for start, act in on_step.items():
            if title.startswith(start):
                act(d)
                break
        mark_rest_normal(d)
        next_step(d)


def finalise_and_download(d: Driver, downloads: Path, name: str) -> bytes | None:
    """From the summary: finalise the note (however many clicks the app asks for) and, when
    ``name`` is given, download the final PDF."""
    page = d.page
    main = page.get_by_test_id("stMain")
    if not main.get_by_role("button", name=re.compile(r"Finalise")).count():
        next_step(d)  # to the Finish step
        heading(d, "Finish")
    review = main.get_by_test_id("stCheckbox").filter(has_text="I have reviewed")
    if review.count():
        d.click(review.locator("label").first, "reviewed")
    button(d, re.compile(r"Finalise"), "finalise")
    expect(page.get_by_text(re.compile(r"final note", re.IGNORECASE)).first).to_be_visible(timeout=TIMEOUT_MS)
    if not name or d.floor:  # the floor replays the page, not the file behind its button
        return None
    target = page.get_by_role("button", name="Download the note (PDF)")
    with page.expect_download(timeout=TIMEOUT_MS) as info:
        d.click(target, "download the note", runs=False)
    path = downloads / f"{name}.pdf"
    info.value.save_as(path)
    return path.read_bytes()


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)
