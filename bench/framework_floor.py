"""Benchmark: what Streamlit itself costs per click as a page grows, with no app logic at all.

``bench/journeys.py`` compares the app's click-to-idle with the same pages replayed with no logic,
and with a one-button page. This script shows how Streamlit's own cost grows with a page: the
same Streamlit, config and Chromium, clicking a button on pages of N rows of three segmented controls in columns (the history step's layout,
about 30 rows), once with the button in a fragment (the cost of an answer that stays in its
block) and once as a whole-page run (an answer that changes the urgency or the live panel).

Run: ``.venv/bin/python bench/framework_floor.py [--rows 10 40 80]`` (about a minute per page).
Prints one line per page: ``framework N rows: fragment M ms, page run P ms (one-button floor F ms)``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from playwright.sync_api import Browser, sync_playwright  # noqa: E402

from bench.journey_driver import VIEWPORT, WS_CLOCK, Driver  # noqa: E402
from bench.journeys import ONE_BUTTON_PAGE as FLOOR_PAGE  # noqa: E402  (journeys.py's one-button page)
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, start_app, stop_app  # noqa: E402

CLICKS = 20
ROWS = """
for i in range({rows}):
    for j, column in enumerate(st.columns(3)):
        column.segmented_control(f"Question {{i}}.{{j}}", ["Yes", "No"], key=f"q{{i}}.{{j}}")
"""
FRAGMENT = 'import streamlit as st\n\n@st.fragment\ndef block():\n    st.button("Click me")\n\nblock()\n' + ROWS
PAGE = FLOOR_PAGE + ROWS


def median_click(browser: Browser, source: str, folder: Path) -> float:
    folder.mkdir(parents=True)
    script = folder / "page.py"
    script.write_text(source, encoding="utf-8")
    server = start_app(script, folder)  # the repository's .streamlit/config.toml, as the app has it
    try:
        context = browser.new_context(viewport=VIEWPORT)
        context.add_init_script(WS_CLOCK)
        page = context.new_page()
        d = Driver(page)
        page.goto(server.url)
        d.wait_idle()
        button = page.get_by_role("button", name="Click me")
        for _ in range(CLICKS):
            d.click(button, "click")
        context.close()
        return statistics.median(d.idle_ms[2:])  # the first clicks warm the page up
    finally:
        stop_app(server)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, nargs="*", default=[10, 40, 80])
    args = parser.parse_args()
    if not CHROMIUM.exists():
        sys.exit("Debian's chromium is needed at /usr/bin/chromium")
    tmp = Path(tempfile.mkdtemp(prefix="ea-bench-framework-"))
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        floor = median_click(browser, FLOOR_PAGE, tmp / "floor")
        for rows in args.rows:
            fragment = median_click(browser, FRAGMENT.format(rows=rows), tmp / f"fragment{rows}")
            whole = median_click(browser, PAGE.format(rows=rows), tmp / f"page{rows}")
            print(f"framework {rows} rows: fragment {fragment:.0f} ms, page run {whole:.0f} ms "
                  f"(one-button floor {floor:.0f} ms)", flush=True)
        browser.close()


if __name__ == "__main__":
    main()
