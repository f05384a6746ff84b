"""Migrations: from an empty database and from every earlier revision, data intact, schema exact."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, inspect, text

from exam_assistant.store import open_store, upgrade_database
from exam_assistant.store.engine import make_engine
from exam_assistant.store.migrate import current_revision, head_revision, revisions
from exam_assistant.store.tables import Base
from tests.store.factories import make_encounter

SEED_ID = "5b0b6c1e-34f4-4a7e-9d4c-1f7a9e2b0c01"


def _seed_0001(conn: Connection) -> None:
    """Rows written with the 0001 schema, by plain SQL (as an old release would have)."""
    now = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    enc = make_encounter(visit=now).model_copy(update={"id": uuid.UUID(SEED_ID)})
    data = enc.model_dump(mode="json")
    values = {"now": now if conn.dialect.name != "sqlite" else now.replace(tzinfo=None)}
    conn.execute(text("INSERT INTO clinicians (match_key, name, name_folded, role, created_at) "
                      "VALUES ('c1', 'Dr Jo Clinician', 'dr jo clinician', 'clinician', :now)"), values)
    conn.execute(text("INSERT INTO patients (match_key, name, name_folded, date_of_birth, sex, "
                      "identifier, identifier_folded, created_at) VALUES ('p1', 'Ada Testpatient', "
                      "'ada testpatient', '1971-03-14', 'female', 'MRN-0001', 'mrn-0001', :now)"),
                 values)
    conn.execute(
        text("INSERT INTO encounters (id, status, created_at, updated_at, updated_by, clinician_id, "
             "patient_id, protocol_versions, data, schema_version, version, ui_step) VALUES "
             "(:id, 'draft', :now, :now, 'old-release', (SELECT id FROM clinicians), "
             "(SELECT id FROM patients), '[]', :data, '1.0', 3, 'history')"),
        {**values, "id": SEED_ID, "data": json.dumps(data)},
    )
    conn.execute(text("INSERT INTO audit_events (event, actor, at, encounter_id, version, detail) "
                      "VALUES ('created', 'old-release', :now, :id, 1, '')"), {**values, "id": SEED_ID})


SEEDS: dict[str, Callable[[Connection], None]] = {"0001": _seed_0001}


def test_revisions_are_a_single_ordered_chain() -> None:
    """The packaged migrations form one line ending at the head (no branches)."""
    revs = revisions()
    assert revs[0] == "0001" and revs[-1] == head_revision() and len(revs) >= 2
    assert revs == sorted(revs)


def test_upgrade_from_empty_reaches_head_and_matches_the_models(db_url: str) -> None:
    """An empty database upgrades to head; the result has exactly the tables the models declare."""
    assert upgrade_database(db_url) == head_revision()
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}),
                                    Base.metadata)
        # SQLite's FTS5 search index (revision 0010) is not a model table: a virtual table and its shadows
        diff = [d for d in diff if not (d[0] == "remove_table" and d[1].name.startswith("patients_search"))]
        assert diff == []
        assert set(inspect(engine).get_table_names()) >= {
            "clinicians", "patients", "encounters", "encounter_versions", "audit_events",
            "practice_attempts",
        }
        assert upgrade_database(db_url) == head_revision()  # a second upgrade does nothing
    finally:
        engine.dispose()


@pytest.mark.parametrize("start", [r for r in revisions() if r != head_revision()])
def test_upgrade_from_each_earlier_revision_keeps_the_data(db_url: str, start: str) -> None:
    """At an older revision with data in it, upgrading to head keeps every row readable."""
    assert upgrade_database(db_url, start) == start
    seed = SEEDS[max(r for r in SEEDS if r <= start)]
    engine = make_engine(db_url)
    with engine.begin() as conn:
        seed(conn)
    engine.dispose()
    repo = open_store(db_url)
    try:
        assert current_revision(repo.engine) == head_revision()
        stored = repo.get(SEED_ID)
        assert (stored.version, stored.ui_step, stored.updated_by) == (3, "history", "old-release")
        assert stored.encounter.patient.name == "Ada Testpatient"
        assert [s.id for s in repo.list()] == [SEED_ID]
        assert repo.clinic_of(SEED_ID) == "local"  # revision 0007: earlier rows join the default clinic
        assert [e.event for e in repo.audit_history(SEED_ID)] == ["created"]
        repo.save_draft(stored.encounter.model_copy(update={"notes": "new"}), 3, "new-release")
        assert repo.practice.list_attempts() == []
    finally:
        repo.engine.dispose()


def test_every_revision_has_a_seed_or_an_older_one() -> None:
    """A new revision that changes stored rows must come with a seed for the test above."""
    assert min(SEEDS) == revisions()[0]


def test_downgrade_to_base_and_up_again(db_url: str) -> None:
    """The migrations can be undone (a failed release can be rolled back) and re-applied."""
    from alembic import command

    from exam_assistant.store.migrate import alembic_config

    upgrade_database(db_url)
    engine = make_engine(db_url)
    try:
        with engine.begin() as conn:
            config = alembic_config()
            config.attributes["connection"] = conn
            command.downgrade(config, "base")
        assert MigrationContext.configure(engine.connect()).get_current_revision() is None
    finally:
        engine.dispose()
    assert upgrade_database(db_url) == head_revision()
