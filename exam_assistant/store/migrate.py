"""Apply the packaged Alembic migrations from code: at start (``open_store``) or ``db upgrade``.

Several processes may start at once on a fresh database (20 CLI saves, several app replicas),
so the upgrade runs in one transaction holding the write lock: ``BEGIN IMMEDIATE`` on SQLite,
a transaction-scoped advisory lock on PostgreSQL. Both back-ends have transactional DDL, so a
process that waited finds the schema already at the head revision and does nothing.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text
from sqlalchemy.engine import URL

from exam_assistant.store.engine import make_engine, writer

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
ADVISORY_LOCK_KEY = 0x45584D41  # "EXMA": serialises concurrent upgrades on PostgreSQL


def alembic_config() -> Config:
    """An Alembic configuration pointing at the packaged migrations; no alembic.ini is read."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def revisions() -> list[str]:
    """Every revision id, oldest first."""
    script = ScriptDirectory.from_config(alembic_config())
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def head_revision() -> str:
    """The newest revision id the packaged migrations know."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for an empty database."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade_engine(engine: Engine, revision: str = "head") -> None:
    """Upgrade the database behind ``engine`` to ``revision`` (default: the newest)."""
    if revision == "head" and current_revision(engine) == head_revision():
        return
    with writer(engine).connect() as conn, conn.begin():
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY})
        if revision == "head" and MigrationContext.configure(conn).get_current_revision() == head_revision():
            return  # another process upgraded while we waited for the lock: keep the lock short
        config = alembic_config()
        config.attributes["connection"] = conn
        command.upgrade(config, revision)


def upgrade_database(url: str | URL | None = None, revision: str = "head") -> str | None:
    """Upgrade the database at ``url`` (default: the configured one); return its new revision."""
    engine = make_engine(url)
    try:
        upgrade_engine(engine, revision)
        return current_revision(engine)
    finally:
        engine.dispose()
