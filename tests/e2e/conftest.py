"""Browser-test fixtures: the real app under ``streamlit run`` and Debian's Chromium via Playwright.

Reusable by every browser test (the practice-mode tests too):

- ``app_server``: a running app on a free port with a fresh SQLite database (session scope);
  its ``url``, ``database_url`` and ``data_dir``.
- ``browser``: one headless Chromium (``/usr/bin/chromium``, never ``playwright install``).
- ``page``: a new browser context and page per test, with downloads accepted.
- ``wait_idle(page)``: wait until the app finished its script run (DOM state, never a sleep).
- ``shot(page, name)``: a full-page screenshot in ``artifacts/e2e/``.

Every test here is marked ``browser``; run them with ``pytest -m browser tests/e2e``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "e2e"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-quic", "--disable-sync",
]
STARTUP_TIMEOUT_S = 60
IDLE_TIMEOUT_MS = 20_000

playwright_sync = pytest.importorskip("playwright.sync_api")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.browser)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class AppServer:
    url: str
    database_url: str
    data_dir: Path
    process: subprocess.Popen[bytes]


def _wait_healthy(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)  # polling the server's health endpoint, not waiting on the page
    raise RuntimeError(f"streamlit did not become healthy in {STARTUP_TIMEOUT_S}s:\n{log.read_text()[-3000:]}")


def start_app(script: Path, data_dir: Path, extra_env: dict[str, str] | None = None) -> AppServer:
    """Start ``streamlit run script`` headless on a free port with its own SQLite database."""
    port = free_port()
    database_url = f"sqlite:///{data_dir / 'e2e.sqlite'}"
    env = {**os.environ, "EXAM_ASSISTANT_DATABASE_URL": database_url, "XDG_DATA_HOME": str(data_dir),
           "PYTHONPATH": str(ROOT), **(extra_env or {})}
    log = data_dir / "streamlit.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
         "--client.showErrorDetails", "full", "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process, log)
    except BaseException:
        process.kill()
        raise
    return AppServer(url, database_url, data_dir, process)


def stop_app(server: AppServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()


@pytest.fixture(scope="session")
def app_server() -> Iterator[AppServer]:
    with tempfile.TemporaryDirectory(prefix="ea-e2e-") as tmp:
        server = start_app(ROOT / "streamlit_app.py", Path(tmp))
        yield server
        stop_app(server)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless Chromium from Debian. Playwright's ``launch`` gives it a new, empty temporary
    profile (it refuses ``--user-data-dir``), so no earlier state or extension leaks in."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium")
    with playwright_sync.sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def new_context(browser: object) -> Iterator[Callable[[], object]]:
    """Open isolated browser contexts (each its own cookies, storage and Streamlit session)."""
    opened: list[object] = []

    def make() -> object:
        context = browser.new_context(  # type: ignore[attr-defined]
            viewport={"width": 1400, "height": 1000}, accept_downloads=True,
        )
        opened.append(context)
        return context

    yield make
    for context in opened:
        context.close()  # type: ignore[attr-defined]


@pytest.fixture
def page(new_context: Callable[[], object]) -> object:
    return new_context().new_page()  # type: ignore[attr-defined]


def wait_idle(page: object, timeout_ms: int = IDLE_TIMEOUT_MS) -> None:
    """Wait until the app is drawn and its script run has finished."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout_ms)  # type: ignore[attr-defined]
    page.wait_for_selector(  # type: ignore[attr-defined]
        '[data-test-script-state="notRunning"]', state="attached", timeout=timeout_ms
    )
    # lazily loaded widgets show a skeleton until their code has arrived
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => !document.querySelector('[data-testid=\"stSkeleton\"]')", timeout=timeout_ms
    )


def shot(page: object, name: str) -> Path:
    """A screenshot of the whole app in ``artifacts/e2e/<name>.png``.

    Streamlit scrolls inside its main block, not the document, so the viewport is made as tall
    as the content for the picture and put back afterwards.
    """
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    size = page.viewport_size  # type: ignore[attr-defined]
    height = page.evaluate(  # type: ignore[attr-defined]
        "() => Math.max(...[...document.querySelectorAll('[data-testid=stMain], [data-testid=stSidebarContent]')]"
        ".map(e => e.scrollHeight), document.body.scrollHeight)"
    )
    page.set_viewport_size({"width": size["width"], "height": min(int(height) + 40, 12_000)})  # type: ignore[attr-defined]
    try:
        page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
    finally:
        page.set_viewport_size(size)  # type: ignore[attr-defined]
    return path
