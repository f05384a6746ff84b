"""AppTest fixtures: the real app on a temporary SQLite database, and helpers to drive it.

Widget keys are ``<prefix>.w.<encounter id>.<epoch>.<item id>.<part>``; :func:`widget` finds
one by item id and part so tests read like the examination (``widget(at, "tos.adson", "L")``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import streamlit.config
from streamlit.testing.v1 import AppTest

from exam_assistant.library import cached_library as library
from exam_assistant.models import Clinician, Encounter, Patient
from exam_assistant.store import EncounterRepository, open_store
from exam_assistant.ui import steps

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "streamlit_app.py"
EXAM_PAGE = "exam_assistant/ui/pages/examination.py"
TIMEOUT = 60


@pytest.fixture(autouse=True)
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh SQLite database per test (EXAM_ASSISTANT_DATABASE_URL) and tracebacks shown."""
    url = f"sqlite:///{tmp_path / 'ui.sqlite'}"
    monkeypatch.setenv("EXAM_ASSISTANT_DATABASE_URL", url)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    streamlit.config.set_option("client.showErrorDetails", "full")
    yield url


@pytest.fixture
def store(database: str) -> EncounterRepository:
    return open_store(database)


def new_app(page: str | None = None, query: dict[str, str] | None = None) -> AppTest:
    """The whole app (navigation included), optionally switched to ``page`` with ``query``."""
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    if page is not None:
        at.switch_page(page)
        at.run()
    return at


@pytest.fixture
def app() -> AppTest:
    return new_app()


def ok(at: AppTest) -> AppTest:
    """Fail with the app's own traceback if the last run raised."""
    assert not at.exception, [e.value for e in at.exception]
    return at


def plain(text: str) -> str:
    """Markdown-escaped text as the reader sees it (escapes and the invisible word joiners md() adds removed)."""
    return re.sub(r"\\(.)", r"\1", text).replace("\u2060", "")


def page_text(at: AppTest, where: Any = None) -> str:
    """Every markdown, caption and alert body of the page (or of ``where``), unescaped."""
    root = where if where is not None else at
    parts = [h.value for h in root.title] + [h.value for h in root.header] + [h.value for h in root.subheader]
    parts += [m.body for m in root.markdown] + [c.body for c in root.caption]
    for kind in ("error", "warning", "info", "success"):
        parts += [e.body for e in getattr(root, kind)]
    return plain("\n".join(parts))


def widget(at: AppTest, item_id: str, part: str = "v", kind: str = "segmented_control") -> Any:
    """The widget of ``item_id`` (part 'v', 'L', 'R', 'Lc' or 'Rc')."""
    for w in getattr(at, kind):
        if w.key and w.key.endswith(f".{item_id}.{part}") and ".w." in w.key:
            return w
    raise LookupError(f"no {kind} for {item_id}.{part}")


def button(at: AppTest, label: str) -> Any:
    for b in at.button:
        if b.label == label:
            return b
    raise LookupError(f"no button {label!r}; buttons: {[b.label for b in at.button]}")


def start_examination(at: AppTest, name: str = "Ada Lovelace", born: date = date(1970, 5, 1)) -> str:
    """Fill the patient form and start; returns the new encounter id (from the URL)."""
    for w in at.text_input:
        if w.label == "Patient name":
            w.input(name)
        if w.label == "Clinician name":
            w.input("Dr Grey")
    at.date_input[0].set_value(born)
    at.get("form_submit_button")[0].click()
    ok(at.run())
    return current_id(at)


def current_id(at: AppTest) -> str:
    """The encounter id in the app's URL."""
    value = at.query_params["encounter"]
    return str(value[0] if isinstance(value, list) else value)


def go_to_step(at: AppTest, step_id: str) -> None:
    """Choose a step in the progress indicator."""
    at.segmented_control(key="ea.progress").set_value(step_id)
    ok(at.run())


def stored_draft(store: EncounterRepository, findings: dict[str, Any] | None = None,
                 chosen: set[str] | None = None, step: str = steps.HISTORY, born: date = date(1960, 3, 2)) -> str:
    """A draft saved straight to the store (to start a test mid-examination); returns its id."""
    enc = Encounter(
        patient=Patient(name="Bea Stored", date_of_birth=born, sex="female"),
        clinician=Clinician(name="Dr Grey"),
        findings=findings or {},
    )
    enc = steps.with_protocols(enc, library(), chosen or set())
    return store.save_draft(enc.model_dump(mode="json"), None, "test", ui_step=step).id
