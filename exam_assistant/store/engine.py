"""Database engine from a URL: SQLite by default, PostgreSQL (psycopg 3) for clinics.

The default database is a SQLite file in the user's data folder
(``$XDG_DATA_HOME/exam-assistant/exam_assistant.sqlite``, else
``~/.local/share/exam-assistant/exam_assistant.sqlite``); ``EXAM_ASSISTANT_DATABASE_URL``
overrides it, e.g. ``postgresql+psycopg://user:password@host/dbname``.

Every SQLite connection runs in WAL mode with a 10 s busy timeout, foreign keys on and
``synchronous=FULL`` (a committed save survives a crash of the process and of the machine).
Write transactions on SQLite start with ``BEGIN IMMEDIATE`` so concurrent writers queue on the
busy timeout instead of failing when they upgrade a read lock.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, Connection, make_url

ENV_URL = "EXAM_ASSISTANT_DATABASE_URL"
DB_FILENAME = "exam_assistant.sqlite"
BUSY_TIMEOUT_MS = 10_000
SQLITE_BEGIN_OPTION = "exam_assistant_sqlite_begin"


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
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        cursor.close()


def _on_sqlite_begin(conn: Connection) -> None:
    mode = conn.get_execution_options().get(SQLITE_BEGIN_OPTION, "DEFERRED")
    conn.exec_driver_sql(f"BEGIN {'IMMEDIATE' if mode == 'IMMEDIATE' else 'DEFERRED'}")


def make_engine(url: str | URL | None = None, **kwargs: Any) -> Engine:
    """Create an engine for ``url`` (default: :func:`default_database_url`).

    For a SQLite file the folder is created on first use. A ``postgresql://`` URL is
    rewritten to ``postgresql+psycopg://`` (psycopg 3 is the installed driver).
    """
    parsed = make_url(url if url is not None else default_database_url())
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() == "sqlite":
        path = _sqlite_file(parsed)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, **kwargs)
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", _on_sqlite_begin)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(parsed, **kwargs)


def writer(engine: Engine) -> Engine:
    """The same engine, set so that transactions take the write lock at once on SQLite."""
    return engine.execution_options(**{SQLITE_BEGIN_OPTION: "IMMEDIATE"})


def is_sqlite(engine: Engine) -> bool:
    """True when the engine talks to SQLite."""
    return engine.dialect.name == "sqlite"
