"""Search at clinic-group scale: keyset index on (visit, id); trigram indexes for name search.

On PostgreSQL, ``pg_trgm`` GIN indexes make ``LIKE '%part%'`` on the folded name and identifier
an index search instead of a scan of every patient (pg_trgm is a trusted extension, so the
database owner can create it). SQLite has no trigram index; it gets plain indexes of the same
names so both back-ends match the table models.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TRIGRAM = {"ix_patients_name_trgm": "name_folded", "ix_patients_identifier_trgm": "identifier_folded"}


def upgrade() -> None:
    op.create_index("ix_encounters_created_at_id", "encounters", ["created_at", "id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, column in TRIGRAM.items():
            op.create_index(name, "patients", [column], postgresql_using="gin",
                            postgresql_ops={column: "gin_trgm_ops"})
        return
    for name, column in TRIGRAM.items():
        op.create_index(name, "patients", [column])


def downgrade() -> None:
    for name in TRIGRAM:
        op.drop_index(name, table_name="patients")
    op.drop_index("ix_encounters_created_at_id", table_name="encounters")
