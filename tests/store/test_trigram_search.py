"""Name and identifier search through a trigram index on both back-ends (issue 13): pg_trgm on
PostgreSQL, an FTS5 trigram table on SQLite (revision 0010), with the same results for the same
needles, equal to a plain substring scan."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from exam_assistant.store import EncounterFilters, EncounterRepository, open_store, upgrade_database
from exam_assistant.store.search import _filtered, trigram_index
from exam_assistant.store.tables import EncounterRow
from tests.store.factories import make_encounter

PATIENTS = [("Ada Lovelace", "MRN-0001"), ("Zoë Ångström", "NHS 943 476 5919"), ('Bob "Quote" O\'Neil', None),
            ("Carla 100% Pérez", "ID_77"), ("ada lovelace", "MRN-0002"), ("Straße Weiß", "X-1")]
CASES = {
    "love": {"Ada Lovelace", "ada lovelace"}, "LOVELACE": {"Ada Lovelace", "ada lovelace"},
    "mrn-000": {"Ada Lovelace", "ada lovelace"}, "mrn-0002": {"ada lovelace"}, "zoë": {"Zoë Ångström"},
    "ångs": {"Zoë Ångström"}, "943 476": {"Zoë Ångström"}, '"quote"': {'Bob "Quote" O\'Neil'},
    "o'neil": {'Bob "Quote" O\'Neil'}, "100%": {"Carla 100% Pérez"}, "d_77": {"Carla 100% Pérez"},
    "weiss": {"Straße Weiß"}, "strasse": {"Straße Weiß"}, "ad": {"Ada Lovelace", "ada lovelace"},
    "x": {"Straße Weiß"}, "nobody here": set(), "a*": set(), "love OR bob": set(),
}


@pytest.fixture
def people(repo: EncounterRepository) -> EncounterRepository:
    for n, (name, ident) in enumerate(PATIENTS):
        repo.save_draft(make_encounter(name=name, identifier=ident, clinician=None, born=make_encounter().patient
                                       .date_of_birth.replace(day=n + 1)), None, "t")
    return repo


def _found(repo: EncounterRepository, needle: str) -> set[str]:
    return {s.patient_name for s in repo.list(EncounterFilters(patient=needle))}


def _scan(repo: EncounterRepository, needle: str) -> int:
    """The same filter as a plain LIKE scan (no trigram table), for comparison."""
    query = _filtered(select(func.count(EncounterRow.id)), EncounterFilters(patient=needle), fts=False)
    with repo.engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


@pytest.mark.parametrize("needle", list(CASES))
def test_the_same_needle_finds_the_same_patients_on_both_backends(people: EncounterRepository, needle: str) -> None:
    """Every case gives its expected set (identical on SQLite and PostgreSQL) and the scan's count."""
    expected = CASES[needle]
    assert _found(people, needle) == expected
    assert people.count(EncounterFilters(patient=needle)) == _scan(people, needle) == len(expected)


def test_sqlite_searches_through_the_fts5_trigram_table(people: EncounterRepository) -> None:
    """On SQLite the index exists and the query plan reads it; a patient added later is indexed too."""
    if people.engine.dialect.name != "sqlite":
        pytest.skip("the FTS5 table is SQLite's; PostgreSQL's pg_trgm indexes are checked in test_keyset")
    assert trigram_index(people.engine)
    query = _filtered(select(EncounterRow.id), EncounterFilters(patient="lovelace"), fts=True)
    compiled = query.compile(people.engine, compile_kwargs={"literal_binds": True})
    with people.engine.connect() as conn:
        plan = " ".join(str(r[-1]) for r in conn.execute(text(f"EXPLAIN QUERY PLAN {compiled}")))
    assert "VIRTUAL TABLE INDEX" in plan and "patients_search" in plan
    people.save_draft(make_encounter(name="Grace Hopper", identifier="NAVY-1"), None, "t")
    assert _found(people, "hopp") == {"Grace Hopper"} and _found(people, "navy") == {"Grace Hopper"}


def test_upgrading_an_sqlite_database_indexes_the_patients_already_there(tmp_path: Path) -> None:
    """Patients stored before revision 0010 are found through the new index after the upgrade."""
    url = f"sqlite:///{tmp_path}/old.sqlite"
    upgrade_database(url, "0009")
    old = open_store(url, upgrade=False)
    old.save_draft(make_encounter(name="Early Patient"), None, "t")
    old.engine.dispose()
    repo = open_store(url)
    try:
        assert trigram_index(repo.engine) and _found(repo, "early pat") == {"Early Patient"}
    finally:
        repo.engine.dispose()
