"""Initial tables: clinicians, patients, encounters, encounter versions, audit events.

Revision ID: 0001
Revises:
Create Date: 2026-05-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

JSON_TYPE = sa.JSON().with_variant(JSONB(), "postgresql")
ID_TYPE = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
APPEND_ONLY = ("audit_events", "encounter_versions")


def _when() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "clinicians",
        sa.Column("id", ID_TYPE, primary_key=True, autoincrement=True),
        sa.Column("match_key", sa.String(64), nullable=False, unique=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("name_folded", sa.String(300), nullable=False),
        sa.Column("role", sa.String(300), nullable=False),
        sa.Column("registration_number", sa.String(300)),
        sa.Column("created_at", _when(), nullable=False),
    )
    op.create_table(
        "patients",
        sa.Column("id", ID_TYPE, primary_key=True, autoincrement=True),
        sa.Column("match_key", sa.String(64), nullable=False, unique=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("name_folded", sa.String(300), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=False),
        sa.Column("sex", sa.String(16), nullable=False),
        sa.Column("identifier", sa.String(300)),
        sa.Column("identifier_folded", sa.String(300)),
        sa.Column("created_at", _when(), nullable=False),
    )
    op.create_table(
        "encounters",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", _when(), nullable=False),
        sa.Column("updated_at", _when(), nullable=False),
        sa.Column("updated_by", sa.String(300), nullable=False),
        sa.Column("clinician_id", ID_TYPE, sa.ForeignKey("clinicians.id")),
        sa.Column("patient_id", ID_TYPE, sa.ForeignKey("patients.id"), nullable=False),
        sa.Column("protocol_versions", JSON_TYPE, nullable=False),
        sa.Column("data", JSON_TYPE, nullable=False),
        sa.Column("schema_version", sa.String(16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("ui_step", sa.Text()),
        sa.Column("previous_encounter_id", sa.String(36), sa.ForeignKey("encounters.id")),
        sa.Column("amends_id", sa.String(36), sa.ForeignKey("encounters.id")),
        sa.Column("finalised_at", _when()),
        sa.Column("deleted_at", _when()),
    )
    op.create_index("ix_encounters_created_at", "encounters", ["created_at"])
    op.create_index("ix_encounters_status", "encounters", ["status"])
    op.create_index("ix_encounters_patient_id", "encounters", ["patient_id"])
    op.create_index("ix_encounters_clinician_id", "encounters", ["clinician_id"])
    op.create_table(
        "encounter_versions",
        sa.Column("id", ID_TYPE, primary_key=True, autoincrement=True),
        sa.Column("encounter_id", sa.String(36), sa.ForeignKey("encounters.id"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("data", JSON_TYPE, nullable=False),
        sa.Column("schema_version", sa.String(16), nullable=False),
        sa.Column("created_at", _when(), nullable=False),
        sa.Column("created_by", sa.String(300), nullable=False),
        sa.Column("supersedes_id", ID_TYPE, sa.ForeignKey("encounter_versions.id")),
        sa.UniqueConstraint("encounter_id", "version", name="uq_encounter_versions"),
    )
    op.create_table(
        "audit_events",
        sa.Column("id", ID_TYPE, primary_key=True, autoincrement=True),
        sa.Column("event", sa.String(16), nullable=False),
        sa.Column("actor", sa.String(300), nullable=False),
        sa.Column("at", _when(), nullable=False),
        sa.Column("encounter_id", sa.String(36), sa.ForeignKey("encounters.id")),
        sa.Column("version", sa.Integer()),
        sa.Column("detail", sa.String(200), nullable=False),
    )
    _append_only_triggers()


def _append_only_triggers() -> None:
    """Refuse UPDATE and DELETE on the audit log and on the immutable encounter copies."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION exam_assistant_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$"
        )
        for table in APPEND_ONLY:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION exam_assistant_append_only()"
            )
        return
    for table in APPEND_ONLY:
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in APPEND_ONLY:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        op.execute("DROP FUNCTION IF EXISTS exam_assistant_append_only()")
    for table in ("audit_events", "encounter_versions", "encounters", "patients", "clinicians"):
        op.drop_table(table)
