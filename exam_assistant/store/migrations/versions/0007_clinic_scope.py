"""Per-clinic records: every encounter and every pre-visit invitation belongs to one clinic.

Existing rows join the default clinic ``local`` (the single clinic of a single-user install and
of a deployment that maps no clinics). Adding a column with a constant default changes no row
(no UPDATE runs, so the triggers that refuse changes to final encounters are not involved). The
index on (clinic, created_at, id) serves a clinic's keyset pages.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

DEFAULT_CLINIC = "local"  # exam_assistant.access.DEFAULT_CLINIC at the time of this revision


def upgrade() -> None:
    for table in ("encounters", "invitations"):
        op.add_column(table, sa.Column("clinic", sa.String(64), nullable=False, server_default=DEFAULT_CLINIC))
    op.create_index("ix_encounters_clinic_created_at_id", "encounters", ["clinic", "created_at", "id"])
    op.create_index("ix_invitations_clinic", "invitations", ["clinic"])


def downgrade() -> None:
    op.drop_index("ix_invitations_clinic", table_name="invitations")
    op.drop_index("ix_encounters_clinic_created_at_id", table_name="encounters")
    for table in ("invitations", "encounters"):
        op.drop_column(table, "clinic")
