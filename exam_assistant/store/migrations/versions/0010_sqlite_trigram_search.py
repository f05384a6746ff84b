"""Name and identifier search on SQLite through an FTS5 trigram index (PostgreSQL has pg_trgm, 0005).

``patients_search`` is an external-content FTS5 table over the folded name and identifier of
``patients``, tokenised into trigrams (SQLite 3.34 or later), kept in step by triggers. A search
of three characters or more is then a trigram index lookup instead of a scan of every patient; it
finds exactly what ``LIKE '%part%'`` on the folded columns finds (the folded text is matched as a
phrase). Where SQLite lacks the trigram tokenizer nothing is created and search stays a scan.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

STATEMENTS = (
    "CREATE VIRTUAL TABLE patients_search USING fts5(name_folded, identifier_folded, "
    "content='patients', content_rowid='id', tokenize='trigram')",
    "INSERT INTO patients_search(patients_search) VALUES ('rebuild')",
    "CREATE TRIGGER patients_search_ai AFTER INSERT ON patients BEGIN "
    "INSERT INTO patients_search(rowid, name_folded, identifier_folded) "
    "VALUES (new.id, new.name_folded, new.identifier_folded); END",
    "CREATE TRIGGER patients_search_ad AFTER DELETE ON patients BEGIN "
    "INSERT INTO patients_search(patients_search, rowid, name_folded, identifier_folded) "
    "VALUES ('delete', old.id, old.name_folded, old.identifier_folded); END",
    "CREATE TRIGGER patients_search_au AFTER UPDATE ON patients BEGIN "
    "INSERT INTO patients_search(patients_search, rowid, name_folded, identifier_folded) "
    "VALUES ('delete', old.id, old.name_folded, old.identifier_folded); "
    "INSERT INTO patients_search(rowid, name_folded, identifier_folded) "
    "VALUES (new.id, new.name_folded, new.identifier_folded); END",
)


def trigram_supported(bind: sa.Connection) -> bool:
    """SQLite 3.34+ built with FTS5 has the trigram tokenizer."""
    try:
        bind.exec_driver_sql("CREATE VIRTUAL TABLE temp.trigram_probe USING fts5(x, tokenize='trigram')")
    except sa.exc.OperationalError:
        return False
    bind.exec_driver_sql("DROP TABLE temp.trigram_probe")
    return True


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite" or not trigram_supported(bind):
        return
    for statement in STATEMENTS:
        bind.exec_driver_sql(statement)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    for trigger in ("patients_search_ai", "patients_search_ad", "patients_search_au"):
        bind.exec_driver_sql(f"DROP TRIGGER IF EXISTS {trigger}")
    bind.exec_driver_sql("DROP TABLE IF EXISTS patients_search")
