"""Keyset pagination and indexed substring search (issue 13, item 6) on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from exam_assistant.store import EncounterFilters, EncounterRepository
from tests.store.factories import at, make_encounter
from tests.store.test_cli import run


def test_keyset_pages_walk_the_whole_list_in_order_without_repeats(repo: EncounterRepository) -> None:
    """Pages fetched with after=(visit, id) of the last row give every encounter once, newest first,
    the same as one big page; two encounters at the same visit time are both kept (the id breaks the tie)."""
    for day in range(1, 12):
        repo.save_draft(make_encounter(f"Patient {day:02d}", identifier=f"K-{day}", visit=at(2026, 3, day)), None, "a")
    repo.save_draft(make_encounter("Patient tie", identifier="K-tie", visit=at(2026, 3, 5)), None, "a")
    everything = [s.id for s in repo.list(limit=100)]
    walked: list[str] = []
    page = repo.list(limit=5)
    while page:
        walked.extend(s.id for s in page)
        page = repo.list(limit=5, after=(page[-1].created_at, page[-1].id))
    assert walked == everything and len(walked) == 12


def test_name_search_finds_a_substring_and_postgres_has_trigram_indexes(repo: EncounterRepository) -> None:
    """'%part%' search on name or identifier still matches; on PostgreSQL the pg_trgm GIN indexes exist."""
    repo.save_draft(make_encounter("Zelda Quimby", identifier="MRN-778899"), None, "a")
    repo.save_draft(make_encounter("Other Person", identifier="MRN-000001"), None, "a")
    assert [s.patient_name for s in repo.list(EncounterFilters(patient="lda qui"))] == ["Zelda Quimby"]
    assert [s.patient_name for s in repo.list(EncounterFilters(patient="8899"))] == ["Zelda Quimby"]
    if repo.engine.dialect.name == "postgresql":
        with repo.engine.connect() as conn:
            defs = dict(conn.execute(text("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'patients'")).all())
        assert "gin_trgm_ops" in defs["ix_patients_name_trgm"] and "USING gin" in defs["ix_patients_identifier_trgm"]


def test_encounters_list_prints_the_next_page_position_and_after_follows_it(
    repo: EncounterRepository, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A full page ends with 'next page: --after VISIT,ID' on stderr; passing it gives the next rows."""
    for day in range(1, 4):
        repo.save_draft(make_encounter(f"Patient {day}", identifier=f"L-{day}", visit=at(2026, 4, day)), None, "a")
    code, out, err = run(capsys, "encounters", "list", "--limit", "2", "--format", "csv", "--database", db_url)
    assert code == 0 and err.startswith("next page: --after ")
    position = err.split("--after ", 1)[1].strip()
    code, out, err = run(capsys, "encounters", "list", "--limit", "2", "--format", "csv", "--after", position,
                         "--database", db_url)
    assert code == 0 and "Patient 1" in out and "Patient 2" not in out and err == ""
