"""Practice attempts autosave: an unfinished attempt keeps its state as JSON, with a version.

``progress`` holds the attempt being worked on (what was asked and examined, hints used) while
it is unfinished, so a refreshed page resumes it; it is cleared when the attempt is committed,
and only then does the attempt count in the student's progress. ``version`` is the optimistic
lock of the autosave (two tabs on one attempt cannot overwrite each other unseen). Existing rows
are finished attempts: no progress, version 1.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("practice_attempts",
                  sa.Column("progress", sa.JSON().with_variant(JSONB(), "postgresql"), nullable=True))
    op.add_column("practice_attempts", sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    with op.batch_alter_table("practice_attempts") as batch:
        batch.drop_column("version")
        batch.drop_column("progress")
