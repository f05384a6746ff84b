"""A throwaway PostgreSQL 15 server for tests: ``initdb`` in a temp folder, a free port, a socket dir.

Import the fixtures into a folder's conftest.py::

    from tests.pg import postgres_server, postgres_url  # noqa: F401

``postgres_server`` (session) yields the server's ``postgresql+psycopg://`` URL;
``postgres_url`` (per test) creates a fresh database on it and drops it afterwards. PostgreSQL
refuses to run as root, so as root the server runs as the ``postgres`` system user (Debian's
package creates it) with the temp folder owned by that user. When the binaries are missing the
tests are skipped with the reason shown (failed instead when EXAM_ASSISTANT_REQUIRE_ALL=1, as in CI).
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.support import skip_or_fail

PG_BIN = Path(os.environ.get("EXAM_ASSISTANT_PG_BIN", "/usr/lib/postgresql/15/bin"))
PG_USER = "exam"
START_TIMEOUT = 60.0


def missing_reason(bin_dir: Path = PG_BIN) -> str | None:
    """Why a PostgreSQL server cannot be started here, or None when it can."""
    for name in ("initdb", "postgres"):
        if not (bin_dir / name).is_file():
            return f"PostgreSQL binaries not found: {bin_dir / name} (install Debian's postgresql)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no 'postgres' system user to run the server as"
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run_as() -> dict[str, Any]:
    """Popen arguments that drop to the postgres user when we are root."""
    if os.geteuid() != 0:
        return {}
    user = pwd.getpwnam("postgres")
    return {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []}


def _chown_tree(root: Path) -> None:
    if os.geteuid() != 0:
        return
    user = pwd.getpwnam("postgres")
    for path in [root, *root.rglob("*")]:
        os.chown(path, user.pw_uid, user.pw_gid)


def _wait_ready(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    import psycopg

    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"postgres exited early:\n{log.read_text(errors='replace')[-2000:]}")
        try:
            with psycopg.connect(host="127.0.0.1", port=port, user=PG_USER, dbname="postgres",
                                 connect_timeout=2):
                return
        except psycopg.OperationalError:
            time.sleep(0.2)
    raise RuntimeError(f"postgres did not become ready in {START_TIMEOUT:.0f} s")


@contextmanager
def running_postgres() -> Iterator[str]:
    """Start a fresh cluster on a free 127.0.0.1 port; yield its URL; stop and remove it after."""
    base = Path(tempfile.mkdtemp(prefix="exam-assistant-pg-"))
    data, sockets, log = base / "data", base / "sockets", base / "postgres.log"
    sockets.mkdir()
    log.touch()
    _chown_tree(base)
    process: subprocess.Popen[bytes] | None = None
    try:
        subprocess.run(
            [str(PG_BIN / "initdb"), "-D", str(data), "-U", PG_USER, "-A", "trust", "-E", "UTF8",
             "--locale=C", "--no-sync"],
            check=True, capture_output=True, cwd=base, **_run_as(),
        )
        port = _free_port()
        with log.open("ab") as out:
            process = subprocess.Popen(
                [str(PG_BIN / "postgres"), "-D", str(data), "-p", str(port), "-k", str(sockets),
                 "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "max_connections=200"],
                stdout=out, stderr=subprocess.STDOUT, cwd=base, **_run_as(),
            )
        _wait_ready(port, process, log)
        yield f"postgresql+psycopg://{PG_USER}@127.0.0.1:{port}/postgres"
    finally:
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGINT)  # "fast" shutdown
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """The URL of a PostgreSQL 15 server started for this test session."""
    reason = missing_reason()
    if reason is not None:
        skip_or_fail(reason)
    with running_postgres() as url:
        yield url


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A fresh, empty database on the session's server, dropped after the test."""
    import psycopg
    from sqlalchemy.engine import make_url

    server = make_url(postgres_server)
    name = f"t_{uuid.uuid4().hex[:12]}"
    conninfo = {"host": server.host, "port": server.port, "user": server.username, "dbname": "postgres"}
    with psycopg.connect(**conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield server.set(database=name).render_as_string(hide_password=False)
    with psycopg.connect(**conninfo, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
