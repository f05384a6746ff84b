"""Pre-visit invitations: a single-use, expiring link per patient, its token kept only as SHA-256.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "invitations",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("patient_name", sa.String(300), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(300), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answers", sa.JSON().with_variant(sa.dialects.postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("urgency", sa.String(16)),
        sa.Column("encounter_id", sa.String(36), sa.ForeignKey("encounters.id")),
    )
    op.create_index("ix_invitations_state", "invitations", ["state"])


def downgrade() -> None:
    op.drop_index("ix_invitations_state", table_name="invitations")
    op.drop_table("invitations")
