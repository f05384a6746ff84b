"""Keyed audit chain: each event written with the audit key carries an HMAC of its chain hash.

Events written before the key keep their unkeyed SHA-256 links and stay verifiable as before; the
first keyed event after them covers them too, because its hash chains back through theirs (see
``audit_chain.py`` and docs/deployment.md). Adding a nullable column changes no row.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("audit_events", sa.Column("mac", sa.String(64), nullable=True))


def downgrade() -> None:
    op.drop_column("audit_events", "mac")
