"""Database engine from a URL: SQLite by default, PostgreSQL (psycopg 3) for clinics.

The default database is a SQLite file in the user's data folder
(``$XDG_DATA_HOME/exam-assistant/exam_assistant.sqlite``, else
``~/.local/share/exam-assistant/exam_assistant.sqlite``); ``EXAM_ASSISTANT_DATABASE_URL``
overrides it, e.g. ``postgresql+psycopg://user:password@host/dbname``.

Every SQLite connection runs in WAL mode with a 30 s busy timeout, foreign keys on and
``synchronous=FULL`` (a committed save survives a crash of the process and of the machine).
Write transactions on SQLite start with ``BEGIN IMMEDIATE`` so concurrent writers queue on the
busy timeout instead of failing when they upgrade a read lock; within one process they first
queue on a lock per database file (SQLite's own busy wait polls with growing sleeps and gave
"database is locked" to some of 50 writer threads), so only other processes use the busy timeout.

Bound values never appear in SQLAlchemy's exception messages or logs (``hide_parameters``): they
hold patient names. The SQLite folder is created 0700 and the database files are 0600.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL, Connection, make_url

ENV_URL = "EXAM_ASSISTANT_DATABASE_URL"
DB_FILENAME = "exam_assistant.sqlite"
BUSY_TIMEOUT_MS = 30_000
WRITE_LOCK_TIMEOUT_S = 60.0
WAL_SWITCH_ATTEMPTS = 40  # about 40 s of back-off in all
SQLITE_BEGIN_OPTION = "exam_assistant_sqlite_begin"
_HELD = "exam_assistant_write_lock"
_LOCKS: dict[str, threading.RLock] = {}
_LOCKS_GUARD = threading.Lock()


def data_folder() -> Path:
    """The default database folder: ``$XDG_DATA_HOME/exam-assistant`` or ``~/.local/share/...``."""
    base = os.environ.get("XDG_DATA_HOME", "").strip()
    root = Path(base) if base else Path.home() / ".local" / "share"
    return root / "exam-assistant"


def default_database_url() -> str:
    """The database URL to use: ``EXAM_ASSISTANT_DATABASE_URL`` if set, else the SQLite file."""
    configured = os.environ.get(ENV_URL, "").strip()
    if configured:
        return configured
    return f"sqlite:///{data_folder() / DB_FILENAME}"


def _sqlite_file(url: URL) -> Path | None:
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).expanduser()


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Take transaction control away from the sqlite3 module: SQLAlchemy's "begin" event
    # below issues BEGIN itself, so writes can use BEGIN IMMEDIATE.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        _switch_to_wal(cursor)
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        cursor.close()


def _switch_to_wal(cursor: Any) -> None:
    """``PRAGMA journal_mode = WAL``, retried: on a brand-new file many processes opening it at
    once race to switch the mode, and SQLite answers "database is locked" at once instead of
    waiting on the busy timeout (seen with 20 processes on a loaded machine)."""
    for attempt in range(WAL_SWITCH_ATTEMPTS):
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == WAL_SWITCH_ATTEMPTS - 1:
                raise
            time.sleep(0.05 * (attempt + 1))  # back off; another process is switching the mode


def _write_lock(database: str) -> threading.RLock:
    """The process-wide lock of one SQLite file (every engine on that file shares it)."""
    key = os.path.realpath(database)
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(key, threading.RLock())


def _release(info: dict[str, Any]) -> None:
    lock = info.pop(_HELD, None)
    if lock is not None:
        lock.release()


def _on_sqlite_begin(conn: Connection) -> None:
    mode = conn.get_execution_options().get(SQLITE_BEGIN_OPTION, "DEFERRED")
    if mode != "IMMEDIATE":
        conn.exec_driver_sql("BEGIN DEFERRED")
        return
    database = conn.engine.url.database
    if database and database != ":memory:" and _HELD not in conn.info:
        lock = _write_lock(database)
        if not lock.acquire(timeout=WRITE_LOCK_TIMEOUT_S):
            raise sa_exc.TimeoutError(f"the database stayed busy for {WRITE_LOCK_TIMEOUT_S:.0f} s; try again")
        conn.info[_HELD] = lock
    try:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    except BaseException:
        _release(conn.info)
        raise


def _on_sqlite_end(conn: Connection) -> None:
    _release(conn.info)


def _on_sqlite_commit(conn: Connection) -> None:
    """Commit, then let the next writer in.

    SQLAlchemy's "commit" event fires before it commits: releasing the lock there let the next
    thread's BEGIN IMMEDIATE meet this COMMIT (WAL write, FTS5 flush, checkpoint) still running,
    and fail as "database is locked" once SQLite's busy wait ran out. The DBAPI commit that
    follows is then a no-op; if this one fails, that one raises the error in SQLAlchemy's usual
    form and the rollback (or the pool check-in) releases the lock.
    """
    if _HELD not in conn.info:
        return
    dbapi_connection = conn.connection.dbapi_connection
    try:
        if dbapi_connection is not None:
            dbapi_connection.commit()
    except Exception:  # reported by SQLAlchemy's own commit, which runs next
        return
    _release(conn.info)


def _on_sqlite_checkin(_dbapi_connection: Any, record: Any) -> None:
    # A connection returned to the pool mid-transaction (an error path) must not keep the lock.
    _release(record.info)


def _private_sqlite_files(path: Path) -> None:
    """Create the database folder 0700 and the database file 0600 (tightening older installs).

    SQLite creates the -wal and -shm files with the database file's mode, so they follow.
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if path.parent == data_folder():  # never chmod a folder the user chose (it may be shared)
        os.chmod(path.parent, 0o700)
    os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))  # an empty file is a new database
    for target in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if target.exists() and target.stat().st_mode & 0o077:
            os.chmod(target, 0o600)


def make_engine(url: str | URL | None = None, **kwargs: Any) -> Engine:
    """Create an engine for ``url`` (default: :func:`default_database_url`).

    For a SQLite file the folder is created on first use. A ``postgresql://`` URL is
    rewritten to ``postgresql+psycopg://`` (psycopg 3 is the installed driver).
    """
    parsed = make_url(url if url is not None else default_database_url())
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    kwargs.setdefault("hide_parameters", True)  # bound values are patient data
    if parsed.get_backend_name() == "sqlite":
        path = _sqlite_file(parsed)
        if path is not None:
            _private_sqlite_files(path)
        engine = create_engine(parsed, **kwargs)
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", _on_sqlite_begin)
        event.listen(engine, "commit", _on_sqlite_commit)
        event.listen(engine, "rollback", _on_sqlite_end)
        event.listen(engine.pool, "checkin", _on_sqlite_checkin)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(parsed, **kwargs)


def writer(engine: Engine) -> Engine:
    """The same engine, set so that transactions take the write lock at once on SQLite."""
    return engine.execution_options(**{SQLITE_BEGIN_OPTION: "IMMEDIATE"})


def is_sqlite(engine: Engine) -> bool:
    """True when the engine talks to SQLite."""
    return engine.dialect.name == "sqlite"
