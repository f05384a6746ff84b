"""Tamper-evident audit: a hash chain over audit_events; final encounter rows refused UPDATE/DELETE.

Existing events are chained in id order (their ``subject_hash`` stays empty: what they were about
was not hashed when they were written). The append-only trigger is lifted for that one backfill.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from alembic import op

from exam_assistant.store.audit_chain import event_hash

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

AUDIT = "audit_events"
NEW_COLUMNS = ("subject_hash", "prev_hash", "row_hash")
FINAL_MESSAGE = "final encounters cannot change or be deleted; amend them instead"


def upgrade() -> None:
    for name in NEW_COLUMNS:
        op.add_column(AUDIT, sa.Column(name, sa.String(64), nullable=True))
    postgres = op.get_bind().dialect.name == "postgresql"
    _without_append_only_guard(postgres, _chain_existing_events)
    _freeze_final_encounters(postgres)


def _without_append_only_guard(postgres: bool, work: Callable[[], None]) -> None:
    """Run ``work`` with the audit table's UPDATE trigger lifted (only this migration may)."""
    if postgres:
        op.execute(f"ALTER TABLE {AUDIT} DISABLE TRIGGER {AUDIT}_append_only")
        work()
        op.execute(f"ALTER TABLE {AUDIT} ENABLE TRIGGER {AUDIT}_append_only")
        return
    op.execute(f"DROP TRIGGER {AUDIT}_no_update")
    work()
    op.execute(
        f"CREATE TRIGGER {AUDIT}_no_update BEFORE UPDATE ON {AUDIT} "
        f"BEGIN SELECT RAISE(ABORT, '{AUDIT} is append-only'); END"
    )


def _chain_existing_events() -> None:
    from exam_assistant.store.tables import UtcDateTime

    bind = op.get_bind()
    events = sa.table(
        AUDIT,
        sa.column("id", sa.Integer()),
        sa.column("event", sa.String()),
        sa.column("actor", sa.String()),
        sa.column("at", UtcDateTime()),
        sa.column("encounter_id", sa.String()),
        sa.column("version", sa.Integer()),
        sa.column("detail", sa.String()),
        sa.column("prev_hash", sa.String()),
        sa.column("row_hash", sa.String()),
    )
    previous: str | None = None
    for row in bind.execute(sa.select(events).order_by(events.c.id)).mappings().all():
        fields = {**dict(row), "subject_hash": None, "prev_hash": previous}
        digest = event_hash(fields)
        bind.execute(sa.update(events).where(events.c.id == row["id"]).values(prev_hash=previous, row_hash=digest))
        previous = digest


def _freeze_final_encounters(postgres: bool) -> None:
    # Why: until now only the copies were protected; a plain UPDATE could rewrite a final note.
    if postgres:
        op.execute(
            "CREATE FUNCTION exam_assistant_final_frozen() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN IF OLD.status = 'final' THEN RAISE EXCEPTION '{FINAL_MESSAGE}'; END IF; "
            "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$"
        )
        op.execute(
            "CREATE TRIGGER encounters_final_frozen BEFORE UPDATE OR DELETE ON encounters "
            "FOR EACH ROW EXECUTE FUNCTION exam_assistant_final_frozen()"
        )
        return
    for action in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER encounters_final_no_{action.lower()} BEFORE {action} ON encounters "
            f"WHEN OLD.status = 'final' BEGIN SELECT RAISE(ABORT, '{FINAL_MESSAGE}'); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS encounters_final_frozen ON encounters")
        op.execute("DROP FUNCTION IF EXISTS exam_assistant_final_frozen()")
    else:
        for action in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS encounters_final_no_{action}")
    for name in reversed(NEW_COLUMNS):
        op.drop_column(AUDIT, name)
