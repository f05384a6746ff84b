"""Listing and searching encounters: patient, identifier, dates, status, clinician, paging."""

from __future__ import annotations

from datetime import timedelta

import pytest

from exam_assistant.store import EncounterFilters, EncounterRepository
from tests.store.factories import at, make_encounter


@pytest.fixture
def filled(repo: EncounterRepository) -> EncounterRepository:
    """Five visits of four patients with two clinicians over three months; one final."""
    visits = [
        make_encounter("Jürgen Müller", "NHS-111", "Dr Alice Smith", visit=at(2026, 1, 10)),
        make_encounter("Maria Muller", "NHS-222", "Dr Alice Smith", visit=at(2026, 2, 10)),
        make_encounter("Tom 50%_Off", None, "Dr Bob Jones", visit=at(2026, 3, 10)),
        make_encounter("Ann Other", "ABC-111", "Dr Bob Jones", visit=at(2026, 3, 20)),
        make_encounter("Jürgen Müller", "NHS-111", "Dr Bob Jones", visit=at(2026, 3, 25)),
    ]
    for enc in visits:
        repo.save_draft(enc, None, "alice")
    repo.finalise(str(visits[1].id), 1, "alice")
    return repo


def _names(repo: EncounterRepository, **filters: object) -> list[str]:
    return [s.patient_name for s in repo.list(EncounterFilters(**filters))]  # type: ignore[arg-type]


def test_list_is_newest_visit_first(filled: EncounterRepository) -> None:
    """Without filters every live encounter is listed, most recent visit first."""
    assert _names(filled) == [
        "Jürgen Müller", "Ann Other", "Tom 50%_Off", "Maria Muller", "Jürgen Müller",
    ]


def test_patient_filter_matches_name_substring_in_any_case(filled: EncounterRepository) -> None:
    """'MÜLL' finds Müller (not Muller): case-insensitive, accent-exact, Unicode-aware."""
    assert _names(filled, patient="MÜLL") == ["Jürgen Müller", "Jürgen Müller"]
    assert _names(filled, patient="muller") == ["Maria Muller"]


def test_patient_filter_matches_identifier_substring(filled: EncounterRepository) -> None:
    """An identifier fragment matches in any case; '111' matches two identifiers."""
    assert _names(filled, patient="nhs-2") == ["Maria Muller"]
    assert sorted(_names(filled, patient="111")) == ["Ann Other", "Jürgen Müller", "Jürgen Müller"]


def test_patient_filter_treats_percent_and_underscore_literally(filled: EncounterRepository) -> None:
    """LIKE wildcards typed by a user match themselves, not any text."""
    assert _names(filled, patient="50%_") == ["Tom 50%_Off"]
    assert _names(filled, patient="%") == ["Tom 50%_Off"]


def test_date_range_is_inclusive(filled: EncounterRepository) -> None:
    """since/until bound the visit time, both ends included."""
    names = _names(filled, since=at(2026, 2, 10), until=at(2026, 3, 10))
    assert names == ["Tom 50%_Off", "Maria Muller"]
    assert _names(filled, since=at(2026, 3, 25) + timedelta(seconds=1)) == []


def test_status_and_clinician_filters(filled: EncounterRepository) -> None:
    """status selects drafts or finals; clinician is a case-insensitive name fragment."""
    assert _names(filled, status="final") == ["Maria Muller"]
    assert len(_names(filled, status="draft")) == 4
    assert _names(filled, clinician="ALICE") == ["Maria Muller", "Jürgen Müller"]
    assert _names(filled, clinician="jones", patient="müller") == ["Jürgen Müller"]


def test_paging_and_count(filled: EncounterRepository) -> None:
    """Pages of two cover all five without overlap, and count agrees."""
    pages = [filled.list(limit=2, offset=o) for o in (0, 2, 4)]
    ids = [s.id for page in pages for s in page]
    assert [len(p) for p in pages] == [2, 2, 1] and len(set(ids)) == 5
    assert filled.count() == 5
    assert filled.count(EncounterFilters(patient="müller")) == 2
    with pytest.raises(ValueError):
        filled.list(limit=0)


def test_iter_encounters_returns_full_validated_records(filled: EncounterRepository) -> None:
    """The export iterator yields every matching encounter in full, newest first."""
    got = list(filled.iter_encounters(EncounterFilters(clinician="bob")))
    assert [s.encounter.patient.name for s in got] == ["Jürgen Müller", "Ann Other", "Tom 50%_Off"]
    assert all(s.encounter.findings for s in got)


def test_iter_encounters_crosses_batches(repo: EncounterRepository) -> None:
    """More encounters than one export batch, several sharing a visit time, all come back once."""
    from exam_assistant.store import search

    when = at(2026, 4, 1)
    saved = {str(repo.save_draft(make_encounter(f"P {i}", visit=when), None, "a").encounter.id)
             for i in range(search.EXPORT_BATCH + 7)}
    assert {s.id for s in repo.iter_encounters()} == saved
