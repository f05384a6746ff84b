"""Practice attempts table; indexes for follow-up chains and per-encounter audit history.

Revision ID: 0002
Revises: 0001
Create Date: 2026-05-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "practice_attempts",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("case_id", sa.String(200), nullable=False),
        sa.Column("student", sa.String(200), nullable=False),
        sa.Column("mode", sa.String(40), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.Column("score", sa.JSON().with_variant(JSONB(), "postgresql"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_practice_attempts_student", "practice_attempts", ["student"])
    op.create_index("ix_encounters_previous_encounter_id", "encounters", ["previous_encounter_id"])
    op.create_index("ix_audit_events_encounter_id", "audit_events", ["encounter_id"])


def downgrade() -> None:
    op.drop_index("ix_audit_events_encounter_id", table_name="audit_events")
    op.drop_index("ix_encounters_previous_encounter_id", table_name="encounters")
    op.drop_index("ix_practice_attempts_student", table_name="practice_attempts")
    op.drop_table("practice_attempts")
