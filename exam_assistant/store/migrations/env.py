"""Alembic environment: runs on the connection ``upgrade_database`` passes in, or on a new engine.

Review every generated migration by hand: autogenerate forgets imports for custom column
types (``UtcDateTime`` is ``sa.DateTime(timezone=True)`` in a migration).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from exam_assistant.store.engine import default_database_url, make_engine
from exam_assistant.store.tables import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _main() -> None:
    url = config.get_main_option("sqlalchemy.url") or default_database_url()
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=target_metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    given = config.attributes.get("connection")
    if isinstance(given, Connection):
        _run(given)
        return
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            _run(connection)
    finally:
        engine.dispose()


_main()
