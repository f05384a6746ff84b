"""Safe by default (issue 13, item 2): without sign-in the app listens on 127.0.0.1 only."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tomllib
import urllib.request
from pathlib import Path

import pytest

from exam_assistant.serve_policy import RefusedToServe, is_loopback, plan

ROOT = Path(__file__).resolve().parents[2]
STARTUP_TIMEOUT_S = 120.0


def _folders(tmp_path: Path, auth: bool = False, config: str = "") -> tuple[Path, Path]:
    root, home = tmp_path / "app", tmp_path / "home"
    (root / ".streamlit").mkdir(parents=True)
    home.mkdir()
    if auth:
        (root / ".streamlit" / "secrets.toml").write_text('[auth]\nredirect_uri = "https://x/oauth2callback"\n')
    if config:
        (root / ".streamlit" / "config.toml").write_text(config)
    return root, home


def test_without_sign_in_the_app_is_bound_to_loopback_and_says_so(tmp_path: Path) -> None:
    """No address asked for and no sign-in: --server.address 127.0.0.1 is added and the notice says so."""
    root, home = _folders(tmp_path)
    chosen = plan(["--server.port", "8600"], root, home, environ={})
    assert chosen.arguments == ["--server.port", "8600", "--server.address", "127.0.0.1"]
    assert "127.0.0.1 only" in chosen.notice


@pytest.mark.parametrize("how", ["argument", "environment", "config"])
def test_another_address_without_sign_in_is_refused(tmp_path: Path, how: str) -> None:
    """0.0.0.0 asked for by argument, environment or config.toml is refused without --insecure-lan."""
    root, home = _folders(tmp_path, config='[server]\naddress = "0.0.0.0"\n' if how == "config" else "")
    args = ["--server.address", "0.0.0.0"] if how == "argument" else []
    env = {"STREAMLIT_SERVER_ADDRESS": "0.0.0.0"} if how == "environment" else {}
    with pytest.raises(RefusedToServe, match="--insecure-lan"):
        plan(args, root, home, environ=env)


def test_insecure_lan_is_an_explicit_choice_and_warns(tmp_path: Path) -> None:
    """--insecure-lan lets it serve another address, with a warning, and is not passed to Streamlit."""
    root, home = _folders(tmp_path)
    chosen = plan(["--server.address=0.0.0.0", "--insecure-lan"], root, home, environ={})
    assert chosen.arguments == ["--server.address=0.0.0.0"] and "WITHOUT sign-in" in chosen.notice


def test_with_sign_in_configured_any_address_is_allowed(tmp_path: Path) -> None:
    """An [auth] section in secrets.toml (st.login) lifts the restriction."""
    root, home = _folders(tmp_path, auth=True)
    assert plan(["--server.address", "0.0.0.0"], root, home, environ={}).arguments == ["--server.address", "0.0.0.0"]


@pytest.mark.parametrize(("address", "loopback"), [("127.0.0.1", True), ("127.8.0.1", True), ("::1", True),
                                                   ("localhost", True), ("0.0.0.0", False), ("", False),
                                                   ("192.168.1.5", False), ("::", False), ("myhost", False)])
def test_loopback_addresses(address: str, loopback: bool) -> None:
    """Only addresses that cannot be reached from another machine count as local."""
    assert is_loopback(address) is loopback


def test_streamlit_config_keeps_xsrf_on_and_telemetry_off() -> None:
    """The shipped .streamlit/config.toml keeps XSRF protection and turns usage statistics off."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["enableXsrfProtection"] is True
    assert config["browser"]["gatherUsageStats"] is False
    assert "address" not in config["server"]  # the address is decided by tasks.py run


def test_tasks_run_refuses_a_public_address_before_installing_anything(tmp_path: Path) -> None:
    """`python3 tasks.py run --server.address 0.0.0.0` exits 2 with one line and starts nothing."""
    env = {**os.environ, "HOME": str(tmp_path), "EXAM_ASSISTANT_VENV": str(tmp_path / "no-venv")}
    env.pop("STREAMLIT_SERVER_ADDRESS", None)
    done = subprocess.run([sys.executable, "tasks.py", "run", "--server.address", "0.0.0.0"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "refusing to serve on 0.0.0.0 without sign-in" in done.stderr
    assert not (tmp_path / "no-venv").exists()


def _listening(port: int) -> list[str]:
    """Local addresses (hex, as the kernel prints them) of sockets listening on ``port``."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not Path(table).exists():
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            address, hex_port = fields[1].rsplit(":", 1)
            if int(hex_port, 16) == port and fields[3] == "0A":  # 0A: LISTEN
                found.append(address)
    return found


def _other_local_address() -> str | None:
    """An address of this machine that is not loopback (the one used to reach the outside), if any."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("192.0.2.1", 9))  # TEST-NET-1; UDP connect sends nothing
            address = str(s.getsockname()[0])
    except OSError:
        return None
    return None if address.startswith("127.") else address


@pytest.mark.slow
def test_the_app_started_as_tasks_run_does_listens_on_loopback_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Start Streamlit with the arguments `tasks.py run` computes: the only listening socket is 127.0.0.1."""
    if not Path("/proc/net/tcp").exists():
        pytest.skip("needs Linux /proc/net/tcp to read the listening sockets")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("STREAMLIT_SERVER_ADDRESS", raising=False)
    monkeypatch.syspath_prepend(str(ROOT))
    import tasks

    arguments = tasks.serve_arguments([])
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    env = {**os.environ, "EXAM_ASSISTANT_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}",
           "XDG_DATA_HOME": str(tmp_path)}
    log = (tmp_path / "streamlit.log").open("wb")
    process = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "streamlit_app.py", *arguments,
                                "--server.headless", "true", "--server.port", str(port),
                                "--server.fileWatcherType", "none"],
                               cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        import time

        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while True:
            assert process.poll() is None, (tmp_path / "streamlit.log").read_text()[-2000:]
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as response:
                    assert response.status == 200
                    break
            except OSError:
                assert time.monotonic() < deadline, "streamlit did not start"
                time.sleep(0.2)  # polling the health endpoint until the server is up
        assert _listening(port) == ["0100007F"]  # 127.0.0.1, and neither 0.0.0.0 nor any IPv6 socket
        other = _other_local_address()
        if other is not None:
            with pytest.raises(OSError), socket.create_connection((other, port), timeout=2):
                pass
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
