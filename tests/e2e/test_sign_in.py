"""Sign-in through a real OpenID Connect provider (oidc-provider-mock) in Chromium (issue 13, item 1).

The provider runs as its own process on a free port with two predefined people: a clinician and a
student. The app runs with an ``[auth]`` section and a role mapping, so it is in sign-in mode.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from exam_assistant.store import open_store
from tests.e2e.actions import new_patient
from tests.e2e.conftest import ROOT, _wait_healthy, free_port, wait_idle

pytestmark = pytest.mark.slow

PEOPLE = [
    {"sub": "ann", "email": "ann@clinic.example", "groups": ["clinic-clinicians"]},
    {"sub": "sam", "email": "sam@clinic.example", "groups": ["clinic-students"]},
]
ROLES = '[groups]\n"clinic-clinicians" = "clinician"\n"clinic-students" = "student"\n'


@dataclass(frozen=True)
class SignInApp:
    url: str
    database_url: str


def _provider_command() -> list[str]:
    script = Path(sys.executable).parent / "oidc-provider-mock"
    if script.exists():
        return [str(script)]
    found = shutil.which("oidc-provider-mock")
    if found is None:
        pytest.skip("oidc-provider-mock is not installed (pip install oidc-provider-mock)")
    return [found]


def _wait_for(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()[-2000:]
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)  # polling the provider's discovery document until it answers
    raise RuntimeError(f"{url} did not answer:\n{log.read_text()[-2000:]}")


@pytest.fixture(scope="module")
def sign_in_app() -> Iterator[SignInApp]:
    """The provider and the app in sign-in mode, each on its own free port."""
    with tempfile.TemporaryDirectory(prefix="ea-signin-") as tmp:
        folder = Path(tmp)
        provider_port, app_port = free_port(), free_port()
        provider_log = folder / "provider.log"
        people = [arg for person in PEOPLE for arg in ("--user-claims", json.dumps(person))]
        provider = subprocess.Popen([*_provider_command(), "-p", str(provider_port), *people],
                                    stdout=provider_log.open("wb"), stderr=subprocess.STDOUT)
        processes = [provider]
        try:
            issuer = f"http://127.0.0.1:{provider_port}"
            _wait_for(f"{issuer}/.well-known/openid-configuration", provider, provider_log)
            secrets = folder / "secrets.toml"
            secrets.write_text(
                "[auth]\n"
                f'redirect_uri = "http://127.0.0.1:{app_port}/oauth2callback"\n'
                f'cookie_secret = "{os.urandom(16).hex()}"\n'
                'client_id = "exam-assistant"\nclient_secret = "test-secret"\n'
                f'server_metadata_url = "{issuer}/.well-known/openid-configuration"\n'
            )
            (folder / "roles.toml").write_text(ROLES)
            database_url = f"sqlite:///{folder / 'app.sqlite'}"
            env = {**os.environ, "EXAM_ASSISTANT_DATABASE_URL": database_url, "XDG_DATA_HOME": str(folder),
                   "EXAM_ASSISTANT_ROLES": str(folder / "roles.toml"), "PYTHONPATH": str(ROOT)}
            app_log = folder / "app.log"
            app = subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", str(ROOT / "streamlit_app.py"), "--server.headless", "true",
                 "--server.port", str(app_port), "--server.address", "127.0.0.1", "--secrets.files", str(secrets),
                 "--client.showErrorDetails", "full", "--server.fileWatcherType", "none"],
                cwd=ROOT, env=env, stdout=app_log.open("wb"), stderr=subprocess.STDOUT,
            )
            processes.append(app)
            url = f"http://127.0.0.1:{app_port}"
            _wait_healthy(url, app, app_log)
            yield SignInApp(url, database_url)
        finally:
            for process in processes:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()


def _sign_in(page: object, app: SignInApp, who: str) -> None:
    page.goto(app.url)  # type: ignore[attr-defined]
    wait_idle(page)
    page.get_by_role("button", name="Sign in").click()  # type: ignore[attr-defined]
    page.get_by_role("button", name=who, exact=True).click()  # the provider's one-click predefined user
    page.wait_for_url(f"{app.url}/**", timeout=30_000)  # type: ignore[attr-defined]
    wait_idle(page)


def _nav(page: object) -> str:
    return str(page.locator('[data-testid="stSidebarNav"]').inner_text())  # type: ignore[attr-defined]


def test_a_clinician_signs_in_through_the_provider_and_sees_records_not_the_audit(
    sign_in_app: SignInApp, page: object
) -> None:
    """Before sign-in only the sign-in screen; after it the clinician's pages, named as themselves."""
    page.goto(sign_in_app.url)  # type: ignore[attr-defined]
    wait_idle(page)
    assert "Sign in with your clinic account" in page.inner_text("body")  # type: ignore[attr-defined]
    _sign_in(page, sign_in_app, "ann")
    nav = _nav(page)
    assert "Encounters" in nav and "Audit log" not in nav and "Settings" not in nav
    assert "Signed in as ann@clinic.example (clinician)" in page.inner_text("body").replace("\u2060", "")  # type: ignore[attr-defined]
    encounter_id = new_patient(page, sign_in_app.url, "Iris Signed")  # type: ignore[arg-type]
    repo = open_store(sign_in_app.database_url)
    try:
        events = [(e.event, e.actor) for e in repo.audit_history()]
        assert ("signed_in", "ann@clinic.example") in events
        first = repo.audit_history(encounter_id)[0]
        assert (first.event, first.actor) == ("created", "ann@clinic.example")
    finally:
        repo.engine.dispose()


def test_a_student_sees_practice_and_no_patient_records(sign_in_app: SignInApp, page: object) -> None:
    """The student's navigation has Practice but no Encounters or Continue, and /encounters shows no records."""
    _sign_in(page, sign_in_app, "sam")
    nav = _nav(page)
    assert "Practice" in nav and "Encounters" not in nav and "Continue" not in nav
    page.goto(f"{sign_in_app.url}/encounters")  # type: ignore[attr-defined]
    wait_idle(page)
    assert "Export these encounters" not in page.inner_text("body")  # type: ignore[attr-defined]
