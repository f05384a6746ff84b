"""Outcome series: NPRS, NDI and QuickDASH over one patient's visits, one row per visit."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from exam_assistant.library import Library, load_library
from exam_assistant.models import Choice, Encounter, Number
from exam_assistant.store import EncounterRepository
from tests.store.factories import at, make_encounter

NDI = [f"scores.ndi_{i}" for i in range(1, 11)]
QDASH = [f"scores.qdash_{i}" for i in range(1, 12)]


@pytest.fixture(scope="module")
def score_library() -> Library:
    """The real library: the score definitions and items of the outcome-scores pack."""
    return load_library()


def _visit(nprs: float | None, ndi: int | None, qdash: int | None, day: int, **kw: object) -> Encounter:
    findings: dict[str, object] = {}
    if nprs is not None:
        findings["scores.nprs_now"] = Number(value=nprs)
    if ndi is not None:
        findings.update({i: Choice(value=str(ndi)) for i in NDI})
    if qdash is not None:
        findings.update({i: Choice(value=str(qdash)) for i in QDASH})
    return make_encounter(visit=at(2026, 3, day), findings=findings, **kw)  # type: ignore[arg-type]


def test_one_row_per_visit_with_each_score(repo: EncounterRepository, score_library: Library) -> None:
    """Three visits give three rows, oldest first, with NPRS, NDI (points, %) and QuickDASH."""
    first, second, third = _visit(8, 3, 4, 1), _visit(5, 2, None, 15), _visit(2, None, 2, 29)
    for enc in (first, second, third):
        repo.save_draft(enc, None, "alice")
    frame = repo.outcome_series(first.patient, score_library)
    assert list(frame["encounter_id"]) == [str(e.id) for e in (first, second, third)]
    assert list(frame["nprs"]) == [8.0, 5.0, 2.0]
    assert frame["ndi"].tolist()[:2] == [30.0, 20.0] and pd.isna(frame["ndi"].iloc[2])
    assert frame["ndi_percent"].tolist()[:2] == [60.0, 40.0]
    assert frame["quickdash"].tolist()[0] == 75.0 and pd.isna(frame["quickdash"].iloc[1])
    assert frame["visit_date"].dt.date.tolist() == [date(2026, 3, 1), date(2026, 3, 15), date(2026, 3, 29)]


def test_other_patients_deleted_drafts_and_replaced_notes_are_left_out(
    repo: EncounterRepository, score_library: Library
) -> None:
    """Only this patient's live visits count, and an amended visit counts once, as amended."""
    mine = _visit(7, None, None, 1)
    namesake = _visit(1, None, None, 2, born=date(1980, 1, 1))
    other_id = _visit(1, None, None, 3, identifier="MRN-9999")
    deleted = _visit(1, None, None, 4)
    for enc in (mine, namesake, other_id, deleted):
        repo.save_draft(enc, None, "alice")
    repo.soft_delete(str(deleted.id), "alice")
    repo.finalise(str(mine.id), 1, "alice")
    amendment = repo.amend(str(mine.id), "alice")
    assert repo.outcome_series(mine.patient, score_library)["nprs"].tolist() == [7.0]
    fixed = amendment.encounter.model_copy(update={"findings": {"scores.nprs_now": Number(value=6)}})
    repo.save_draft(fixed, 1, "alice")
    repo.finalise(amendment.id, 2, "alice")
    frame = repo.outcome_series(mine.patient, score_library)
    assert (frame["encounter_id"].tolist(), frame["nprs"].tolist()) == ([amendment.id], [6.0])


def test_a_patient_without_visits_gives_an_empty_table_with_the_columns(
    repo: EncounterRepository, score_library: Library
) -> None:
    """No visits: an empty table that still has every column, so a chart can draw nothing."""
    frame = repo.outcome_series(make_encounter(name="Nobody").patient, score_library)
    assert frame.empty
    assert list(frame.columns) == [
        "encounter_id", "visit_date", "status", "nprs", "ndi", "ndi_percent", "quickdash",
    ]
