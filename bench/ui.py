"""Benchmark: the examination step, against a floor measured in the same run.

1. Script time: the neuro screen step of a fully recorded encounter (history, trauma-free red-flag
   screen, radiculopathy, TOS and neuro all answered) drawn by the app, against a floor page that
   draws the same widgets, labels, options, texts and figure with no logic (no session, store,
   assessment or escaping). Both run under Streamlit's AppTest in this process; the figure is the
   script's own time (``bench_ms``), median of many reruns. Target: ratio at most 1.5.
2. Click to updated page: in Chromium against ``streamlit run``, the time from a click on a test
   result until ``data-test-script-state`` is back to ``notRunning`` after the rerun (the last
   transition within a 1.5 s window, so a fragment run widened to a page run is counted whole).
   Target: median under 300 ms.

Run: ``python bench/ui.py`` (about a minute). Prints the figures.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from streamlit.testing.v1 import AppTest  # noqa: E402

from exam_assistant import conditions as cond  # noqa: E402
from exam_assistant.library import cached_library  # noqa: E402
from exam_assistant.models import Encounter, Mrc, Patient, Reflex, Sensation  # noqa: E402
from exam_assistant.store import open_store  # noqa: E402
from exam_assistant.ui import findings as fx  # noqa: E402
from exam_assistant.ui import steps  # noqa: E402
from exam_assistant.ui.widgets.levels import levelled  # noqa: E402

RERUNS = 40
CLICKS = 15
PAGES = REPO / "bench" / "ui_pages.py"


def full_encounter() -> Encounter:
    """Every item of the examination packs answered: normal, with a C6 radiculopathy on the left."""
    lib = cached_library()
    findings: dict[str, Any] = {}
    for loaded in steps.history_packs(lib) + steps.optional_packs(lib):
        if loaded.pack.id not in ("history", "red_flags", "radiculopathy", "tos", "neuro", "outcome_scores"):
            continue
        for item in loaded.pack.items():
            if fx.has_normal(item, include_questions=True):
                findings[item.id] = fx.normal_finding(item, None)
            elif item.answer == "number" and item.minimum is not None:
                findings[item.id] = {"kind": "number", "value": item.minimum}
            elif item.answer == "choice":
                findings[item.id] = {"kind": "choice", "value": item.options[0].value}
            elif item.answer == "multi_choice":
                findings[item.id] = {"kind": "multi_choice", "values": [item.options[0].value]}
            elif item.answer == "text":
                findings[item.id] = {"kind": "text", "value": "Office work."}
    findings["neuro.sens_c6"] = Sensation(left="reduced", right="normal")
    findings["neuro.power_wrist_extension"] = Mrc(left=4, right=5)
    findings["neuro.reflex_brachioradialis"] = Reflex(left=1, right=2)
    enc = Encounter(patient=Patient(name="Bench Patient", date_of_birth="1968-04-02", sex="male"),
                    findings=findings)
    return steps.with_protocols(enc, lib, {"radiculopathy", "tos", "neuro"})


def _bodies(elements: Any) -> list[str]:
    return [e.body for e in elements]


def floor_spec(at: AppTest, encounter: Encounter) -> dict[str, Any]:
    """What the exam page drew, as plain data for the floor page to replay."""
    lib = cached_library()
    pack = lib.packs["neuro"].pack
    groups = levelled(pack.items())
    in_levels = {i.id for g in groups.values() for i in g}

    def values(item_id: str) -> dict[str, Any]:
        return fx.widget_values(lib.items[item_id], encounter.findings.get(item_id))

    blocks = [{"title": f"**{level}**", "button": f"{level} normal",
               "items": [(i.id, values(i.id)) for i in items]} for level, items in groups.items()]
    for section in pack.sections:
        rest = [i for i in section.items if i.id not in in_levels and i.answer in ("sided_test", "yes_no")]
        if rest:
            blocks.append({"title": f"#### {section.title}", "button": "Mark everything not yet tested as normal",
                           "items": [(i.id, values(i.id)) for i in rest]})
    svg = next((img for img in at.session_state["ea.figure"][1:2]), "")
    return {
        "alerts": _bodies(at.main.error) + _bodies(at.main.warning),
        "header": [m.body for m in at.main.markdown][:1],
        "steps": [s.title for s in steps.steps_for(encounter, lib)],
        "title": pack.title, "description": pack.description,
        "shortcut": "Mark the whole screen normal (everything not yet tested)",
        "figure": svg, "figure_caption": "Abnormal: C6 left reduced (M, R)",
        "blocks": blocks,
        "sidebar": _bodies(at.sidebar.markdown),
    }


def script_times(page: str, query: dict[str, str], env: dict[str, str]) -> list[float]:
    os.environ.update(env)
    os.environ["EA_BENCH_PAGE"] = page
    at = AppTest.from_file(str(PAGES), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    times = []
    for _ in range(RERUNS):
        at.run()
        times.append(float(at.session_state["bench_ms"]))
    return times


def inert_question() -> str:
    """The label of a history yes/no question no rule reads: answering it changes nothing but
    the finding, so only its section's fragment reruns."""
    lib = cached_library()
    read: set[str] = set()
    for rule in lib.rules.values():
        read |= cond.item_ids(rule.when)
        for part in ("items", "categories"):
            for entry in getattr(rule.effect, part, []):
                if hasattr(entry, "when"):  # cluster items, points categories (not contraindicated ids)
                    read |= cond.item_ids(entry.when)
        applies = getattr(rule.effect, "applies_when", None)
        if applies is not None:
            read |= cond.item_ids(applies)
    for loaded in lib.packs.values():
        if loaded.pack.suggested_when is not None:
            read |= cond.item_ids(loaded.pack.suggested_when)
    return next(i.label for i in lib.packs["history"].pack.items() if i.answer == "yes_no" and i.id not in read)


def click_times(database_url: str, data_dir: Path, encounter_id: str) -> tuple[list[float], list[float]]:
    """Click-to-idle times in the browser: a reflex grade in the neuro screen (the assessment
    changes, so the page reruns) and a history answer no rule reads (its fragment reruns)."""
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM_ARGS, ROOT, start_app, stop_app, wait_idle

    server = start_app(ROOT / "streamlit_app.py", data_dir, {"EXAM_ASSISTANT_DATABASE_URL": database_url})
    measure = """async ([selector]) => {
        const app = document.querySelector('[data-testid=stApp]');
        const log = [];
        const observer = new MutationObserver(() => log.push([performance.now(), app.getAttribute('data-test-script-state')]));
        observer.observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
        const target = document.querySelector(selector);
        if (target === null) { observer.disconnect(); return null; }  // not drawn (e.g. a folded all-clear group)
        const start = performance.now();
        target.click();
        await new Promise(r => setTimeout(r, 1500));
        observer.disconnect();
        const idle = log.filter(([t, s]) => s === 'notRunning');
        return idle.length ? idle[idle.length - 1][0] - start : null;
    }"""
    page_runs: list[float] = []
    fragment_runs: list[float] = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
            page.goto(f"{server.url}/?encounter={encounter_id}")
            wait_idle(page)
            # a choice is a radio group or, with few options, a toolbar of pressed/unpressed chips
            # the screen may add to a label (the neuro screen names the root levels after the test)
            group = ('div[role=radiogroup][aria-label^="{0}"][aria-label$="{1}"] button[role=radio]:nth-of-type({2}), '
                     'div[role=toolbar][aria-label^="{0}"][aria-label$="{1}"] button:nth-of-type({2})')
            reflex = cached_library().items["neuro.reflex_triceps"].label
            for n in range(CLICKS):
                option = 5 if n % 2 == 0 else 4  # buttons: – 0 1+ 2+ 3+ 4+; alternate 3+ and 2+
                ms = page.evaluate(measure, [group.format(reflex, ", right, reflex grade", option)])
                if ms is not None:
                    page_runs.append(ms)
                wait_idle(page)
            page.get_by_role("radiogroup", name="Examination step").get_by_role("radio", name="2. History").click()
            wait_idle(page)
            question = inert_question()
            for n in range(CLICKS):
                ms = page.evaluate(measure, [group.format(question, "", 3 if n % 2 == 0 else 2)])  # Yes / No
                if ms is not None:
                    fragment_runs.append(ms)
                wait_idle(page)
            browser.close()
    finally:
        stop_app(server)
    return page_runs, fragment_runs


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="ea-bench-ui-"))
    url = f"sqlite:///{tmp / 'bench.sqlite'}"
    env = {"EXAM_ASSISTANT_DATABASE_URL": url, "XDG_DATA_HOME": str(tmp)}
    store = open_store(url)
    enc = full_encounter()
    encounter_id = store.save_draft(enc.model_dump(mode="json"), None, "bench", ui_step=steps.EXAM_PREFIX + "neuro").id
    query = {"encounter": encounter_id}

    os.environ.update(env)
    os.environ["EA_BENCH_PAGE"] = "exam"
    at = AppTest.from_file(str(PAGES), default_timeout=60)
    at.query_params["encounter"] = encounter_id
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    spec_path = tmp / "floor.json"
    spec_path.write_text(json.dumps(floor_spec(at, enc)), encoding="utf-8")
    widgets = len(at.segmented_control) + len(at.button) + len(at.multiselect)

    exam = script_times("exam", query, env)
    floor = script_times("floor", {}, {**env, "EA_BENCH_SPEC": str(spec_path)})
    exam_ms, floor_ms = statistics.median(exam), statistics.median(floor)
    print(f"examination step (neuro screen, full encounter, {widgets} widgets): median script time")
    print(f"  app   {exam_ms:7.1f} ms")
    print(f"  floor {floor_ms:7.1f} ms  (same widgets, no logic)")
    print(f"  ratio {exam_ms / floor_ms:7.2f}  (target <= 1.5)")

    page_runs, fragment_runs = click_times(url, tmp, encounter_id)
    print("click to updated page in Chromium (until data-test-script-state is notRunning):")
    print(f"  test result, whole-page rerun: median {statistics.median(page_runs):6.0f} ms "
          f"(n={len(page_runs)}, max {max(page_runs):.0f})  (target < 300 ms)")
    if fragment_runs:
        print(f"  history answer, fragment rerun: median {statistics.median(fragment_runs):6.0f} ms "
              f"(n={len(fragment_runs)}, max {max(fragment_runs):.0f})")
    else:  # every history group of the all-normal encounter is folded to one line
        print("  history answer, fragment rerun: not measured (the question is in a folded all-clear group)")


if __name__ == "__main__":
    main()
