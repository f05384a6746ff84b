"""Benchmark: the consultations of issue 12, driven in Chromium, counted and timed.

Four journeys through the real app (``streamlit run streamlit_app.py``, Debian's Chromium at
1400x1000, a fresh SQLite database, a signing clinician entered once in Settings as a clinic
would have it):

- ``tos``: new patient -> neurogenic thoracic outlet syndrome work-up -> downloaded final note;
- ``c6``: new patient -> left C6 radiculopathy -> downloaded final note;
- ``dissection_banner``: new patient -> "abrupt, severe pain" -> the EMERGENCY alert inside the
  viewport (its bounding box is checked);
- ``dissection_note``: the same, on to the finalised (signed) note.

Interactions are counted by the driver (``bench/journey_driver.py``): every click and every key
entry (a typed field, with the key that commits it, is one entry; a keyboard shortcut is one).
Each journey checks that it reached what it claims (the leading diagnosis in the downloaded PDF,
the alert's box inside the viewport, the note final).

Click to idle: for every interaction that makes the app rerun, the time from the pointer or key
event until Streamlit's ``data-test-script-state`` is back to ``notRunning`` and stays there
(median and 90th percentile over every such interaction of the journeys).

The floor is the same journeys with the same clicks on the framework alone (``bench/replay.py``):
the app runs under ``bench/recording_app.py``, which records every message each script run sends
to the browser, and a second Streamlit server in the same run (``bench/floor_app.py``) replays
them run by run with none of our code (no session state, store, engine or drawing), so the
browser receives and draws the same pages. The ratio is what our Python adds to Streamlit's own
cost of those pages (docs/decisions.md 43). A last line gives the click-to-idle of a page with
one button, for comparison with earlier runs (it measures the round trip, not a page).

Run: ``.venv/bin/python bench/journeys.py`` (a few minutes). Prints one line per journey and
the click-to-idle line; ``--shots DIR`` also saves a screenshot at the end of each journey.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402

from bench.journey_driver import (  # noqa: E402
    TIMEOUT_MS,
    VIEWPORT,
    WS_CLOCK,
    Driver,
    answer,
    button,
    choose,
    fill_rest_no,
    finalise_and_download,
    group,
    heading,
    label,
    new_patient,
    next_step,
    pdf_text,
    pills,
    sided,
    through_exam_steps,
)
from bench.replay import RECORDING_ENV  # noqa: E402
from exam_assistant.models import Clinician  # noqa: E402
from exam_assistant.ui.clinic_settings import save_signer, signer_path  # noqa: E402
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, start_app, stop_app  # noqa: E402

ONE_BUTTON_CLICKS = 30
ONE_BUTTON_PAGE = 'import streamlit as st\n\nst.button("Click me")\n'


# ------------------------------------------------------------------ the journeys


def journey_tos(d: Driver, url: str, downloads: Path) -> None:
    new_patient(d, url, "Tess Outlet", "22041997")
    choose(d, "history.arm_symptoms", "right")
    answer(d, "history.below_elbow", "Yes")
    answer(d, "history.paraesthesia", "Yes")
    pills(d, "history.paraesthesia_where", ["ring_little"])
    answer(d, "history.positional_arm_symptoms", "Yes")
    answer(d, "history.overhead_work_or_sport", "Yes")
    fill_rest_no(d)
    next_step(d)

    def tos(d: Driver) -> None:
        sided(d, "tos.adson", "R", "Positive", ("pain_reproduced",))
        sided(d, "tos.roos_east", "R", "Positive", ("paraesthesia", "stopped_early"))
        sided(d, "tos.supraclavicular_pressure", "R", "Positive", ("pain_reproduced",))
        for item_id in ("tos.svs_local_findings", "tos.svs_peripheral_signs", "tos.svs_no_better_explanation"):
            answer(d, item_id, "Yes")

    through_exam_steps(d, {"Thoracic outlet": tos})
    data = finalise_and_download(d, downloads, "tos")
    assert d.floor or (data is not None and "Neurogenic thoracic outlet syndrome" in pdf_text(data)), "TOS not in the note"


def journey_c6(d: Driver, url: str, downloads: Path) -> None:
    new_patient(d, url, "Cee Six", "02031978")
    choose(d, "history.arm_symptoms", "left")
    answer(d, "history.below_elbow", "Yes")
    answer(d, "history.paraesthesia", "Yes")
    pills(d, "history.paraesthesia_where", ["thumb_index"])
    fill_rest_no(d)
    next_step(d)

    def radic(d: Driver) -> None:
        sided(d, "radic.spurling", "L", "Positive", ("arm_pain",))
        sided(d, "radic.distraction", "L", "Positive", ("arm_symptoms_relieved",))
        sided(d, "radic.ultt_a", "L", "Positive", ("symptoms_reproduced",))

    def neuro(d: Driver) -> None:
        for name, option in ((f"{label('neuro.sens_c6')}, left", "Reduced"),
                             (f"{label('neuro.power_wrist_extension')}, left, MRC grade", "4"),
                             (f"{label('neuro.reflex_brachioradialis')}, left, reflex grade", "1+")):
            d.click(group(d.page, name).get_by_role("radio", name=option, exact=True), f"{name} = {option}")

    through_exam_steps(d, {"Cervical radiculopathy": radic, "Neurological": neuro})
    data = finalise_and_download(d, downloads, "c6")
    if not d.floor:
        text = pdf_text(data or b"")
        assert "radiculopathy" in text.lower() and "C6" in text, "C6 radiculopathy not in the note"


def emergency_in_view(page: Page) -> bool:
    """An element with role=alert saying EMERGENCY whose box lies inside the viewport."""
    alerts = page.locator('[role="alert"]').filter(has_text="EMERGENCY")
    for n in range(alerts.count()):
        box = alerts.nth(n).bounding_box()
        if box and box["height"] > 0 and box["y"] >= 0 and box["y"] + box["height"] <= VIEWPORT["height"]:
            return True
    dialog = page.get_by_role("dialog").filter(has_text="Stop the examination")
    box = dialog.first.bounding_box() if dialog.count() else None
    return bool(box and box["y"] >= 0 and box["y"] < VIEWPORT["height"])


def journey_dissection_banner(d: Driver, url: str) -> None:
    new_patient(d, url, "Abe Rupt", "02031959")
    answer(d, "history.abrupt_severe_pain", "Yes")
    expect(d.page.get_by_text("EMERGENCY").first).to_be_visible(timeout=TIMEOUT_MS)
    assert emergency_in_view(d.page), "the EMERGENCY alert is not inside the viewport"


def journey_dissection_note(d: Driver, url: str, downloads: Path) -> None:
    journey_dissection_banner(d, url)
    dialog = d.page.get_by_role("dialog")
    if dialog.count():
        d.click(dialog.get_by_role("button", name=re.compile(r"summary", re.IGNORECASE)).first, "to the note")
    else:
        button(d, re.compile(r"go to the summary"), "to the note")
    heading(d, "Summary and assessment")
    finalise_and_download(d, downloads, "")
    expect(d.page.get_by_text(re.compile(r"Final note, finalised")).first).to_be_visible(timeout=TIMEOUT_MS)


# ------------------------------------------------------------------ the runs and the report

JOURNEYS = ("tos", "c6", "dissection_banner", "dissection_note")


def journey(name: str, d: Driver, url: str, downloads: Path) -> None:
    if name == "tos":
        journey_tos(d, url, downloads)
    elif name == "c6":
        journey_c6(d, url, downloads)
    elif name == "dissection_banner":
        journey_dissection_banner(d, url)
    else:
        journey_dissection_note(d, url, downloads)


def drive(browser: Browser, url: str, names: list[str], downloads: Path, floor: bool,
          report: Callable[[str, Driver, float], None]) -> list[float]:
    """Every journey in a fresh browser context (a new session each, in the same order on the
    app and the floor, which is what the replay pairs), after one warm-up load."""
    warm = browser.new_context(viewport=VIEWPORT).new_page()  # first load compiles and caches
    warm.goto(url)
    # until the page is drawn: a warm-up closed before its first run would leave the floor's
    # sessions one out of step with the recorded ones
    warm.get_by_label("Patient name").wait_for(timeout=TIMEOUT_MS)
    Driver(warm).wait_idle()
    warm.context.close()
    idle_ms: list[float] = []
    for name in names:
        context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
        context.add_init_script(WS_CLOCK)
        d = Driver(context.new_page(), floor=floor)
        started = time.perf_counter()
        try:
            journey(name, d, url, downloads)
        except Exception:
            shot = downloads.parent / f"failed-{'floor-' if floor else ''}{name}.png"
            d.page.screenshot(path=str(shot))
            print(f"{'floor ' if floor else ''}journey {name} failed after {d.count} interactions: "
                  f"{d.trace[-3:]} (screenshot {shot})", file=sys.stderr)
            raise
        report(name, d, time.perf_counter() - started)
        idle_ms.extend(d.idle_ms)
        context.close()
    return idle_ms


def one_button_times(browser: Browser, folder: Path) -> list[float]:
    folder.mkdir()
    script = folder / "one_button.py"
    script.write_text(ONE_BUTTON_PAGE, encoding="utf-8")
    server = start_app(script, folder)
    try:
        context = browser.new_context(viewport=VIEWPORT)
        context.add_init_script(WS_CLOCK)
        d = Driver(context.new_page())
        d.page.goto(server.url)
        d.wait_idle()
        target = d.page.get_by_role("button", name="Click me")
        for _ in range(ONE_BUTTON_CLICKS):
            d.click(target, "one button")
        context.close()
        return d.idle_ms
    finally:
        stop_app(server)


def replay_mismatches(floor_dir: Path) -> list[str]:
    """The floor's complaints: a run the browser asked for that was not the recorded kind."""
    log = (floor_dir / "streamlit.log").read_text(encoding="utf-8", errors="replace")
    return [line for line in log.splitlines() if line.startswith("floor: ")]


def p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shots", type=Path, help="save a 1400x1000 screenshot at the end of each journey here")
    parser.add_argument("--only", nargs="*", choices=JOURNEYS, help="run only these journeys")
    parser.add_argument("--verbose", action="store_true", help="every interaction and its click-to-idle, on stderr")
    args = parser.parse_args()
    if not CHROMIUM.exists():
        sys.exit("Debian's chromium is needed at /usr/bin/chromium")
    names = [n for n in JOURNEYS if not args.only or n in args.only]
    tmp = Path(tempfile.mkdtemp(prefix="ea-bench-journeys-"))
    app_dir, floor_dir, downloads = tmp / "app", tmp / "floor", tmp / "downloads"
    for folder in (app_dir, floor_dir, downloads):
        folder.mkdir()
    recording = {RECORDING_ENV: str(tmp / "recording.jsonl")}
    # the clinic's signing clinician, entered once in Settings (not per patient)
    save_signer(Clinician(name="Dr Grey", role="physiotherapist", registration_number="HCPC PH123456"),
                signer_path(f"sqlite:///{app_dir / 'e2e.sqlite'}"))

    def report(name: str, d: Driver, seconds: float) -> None:
        if args.shots:
            args.shots.mkdir(parents=True, exist_ok=True)
            d.page.screenshot(path=str(args.shots / f"journey_{name}.png"))
        print(f"journey {name}: {d.count} interactions, {seconds:.1f} s", flush=True)
        if args.verbose:
            for what, ms in d.timed:
                print(f"  {name}: {what}: " + ("no run" if ms is None else f"{ms:.0f} ms"), file=sys.stderr)

    def quiet(name: str, d: Driver, seconds: float) -> None:
        if args.shots:  # to compare with the app's: the floor must show the same page
            d.page.screenshot(path=str(args.shots / f"floor_{name}.png"))
        if args.verbose:
            for what, ms in d.timed:
                print(f"  floor {name}: {what}: " + ("no run" if ms is None else f"{ms:.0f} ms"), file=sys.stderr)

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        app = start_app(REPO / "bench" / "recording_app.py", app_dir, recording)
        try:
            app_ms = drive(browser, app.url, names, downloads, False, report)
        finally:
            stop_app(app)
        # the floor registers no widgets, so Streamlit's check of the session state would trip over
        # the browser's widget values; it has no state of its own to check
        floor = start_app(REPO / "bench" / "floor_app.py", floor_dir,
                          {**recording, "STREAMLIT_RUNNER_ENFORCE_SERIALIZABLE_SESSION_STATE": "false"})
        try:
            floor_ms = drive(browser, floor.url, names, downloads, True, quiet)
        finally:
            stop_app(floor)
        button_ms = one_button_times(browser, tmp / "one_button")
        browser.close()
    m, f = statistics.median(app_ms), statistics.median(floor_ms)
    print(f"click-to-idle: app {m:.0f} ms, floor {f:.0f} ms, ratio {m / f:.2f} "
          f"(p90: app {p90(app_ms):.0f} ms, floor {p90(floor_ms):.0f} ms, ratio {p90(app_ms) / p90(floor_ms):.2f}; "
          f"n={len(app_ms)} and {len(floor_ms)})")
    mismatches = replay_mismatches(floor_dir)
    if mismatches or len(app_ms) != len(floor_ms):
        print(f"warning: the floor did not replay the app's runs one for one ({len(mismatches)} mismatched runs); "
              "the ratio is not reliable this time: " + "; ".join(mismatches[:3]), file=sys.stderr)
    b = statistics.median(button_ms)
    print(f"one-button page: {b:.0f} ms (the app's median is {m / b:.1f} times a bare round trip)")


if __name__ == "__main__":
    main()
