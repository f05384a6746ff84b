"""Outcome scores computed by their published rules (NPRS, NDI, QuickDASH), from the real pack."""

from __future__ import annotations

from typing import Any

import pytest

from exam_assistant.engine.assessment import ScoreResult
from exam_assistant.engine.scores import compute_score
from exam_assistant.library import Library
from exam_assistant.models import Encounter


def score(library: Library, score_id: str, findings: dict[str, Any]) -> ScoreResult:
    encounter = Encounter.model_validate(
        {"patient": {"name": "Score Patient", "date_of_birth": "1980-01-01"}, "findings": findings})
    return compute_score(library.scores[score_id], encounter, library.items)


def ndi(*answers: int | None) -> dict[str, Any]:
    return {f"scores.ndi_{i}": {"kind": "choice", "value": str(a)}
            for i, a in enumerate(answers, 1) if a is not None}


def qdash(*answers: int | None) -> dict[str, Any]:
    return {f"scores.qdash_{i}": {"kind": "choice", "value": str(a)}
            for i, a in enumerate(answers, 1) if a is not None}


def test_ndi_all_sections_sums_to_raw_and_percent(library: Library) -> None:
    """Ten answered sections: raw is the sum of 0-5 answers, percent is raw x 2, band by raw."""
    result = score(library, "scores.ndi", ndi(2, 2, 2, 2, 2, 1, 1, 1, 1, 1))
    assert (result.value, result.percent) == (15.0, 30.0)
    assert result.band is not None and result.band.startswith("Moderate")


def test_ndi_imputes_the_mean_for_up_to_two_missing_sections(library: Library) -> None:
    """Two unanswered sections are replaced by the mean of the eight answered ones (Vernon)."""
    result = score(library, "scores.ndi", ndi(3, 3, 3, 3, 3, 3, 3, 3, None, None))
    assert result.value == 30.0
    assert "2 section(s) unanswered" in result.note


def test_ndi_with_three_missing_sections_gives_no_score(library: Library) -> None:
    """Below the pack's minimum (8 of 10) there is no score, and the note says why."""
    result = score(library, "scores.ndi", ndi(3, 3, 3, 3, 3, 3, 3, None, None, None))
    assert result.value is None
    assert result.note == "needs at least 8 of 10 sections; 7 answered"


def test_quickdash_formula_with_one_item_missing(library: Library) -> None:
    """((sum / n) - 1) x 25 over the answered items; computable with 10 of 11 (Gummesson 2006)."""
    result = score(library, "scores.quickdash", qdash(3, 3, 3, 3, 3, 3, 3, 3, 3, 3, None))
    assert result.value == 50.0
    assert score(library, "scores.quickdash", qdash(*[1] * 11)).value == 0.0
    assert score(library, "scores.quickdash", qdash(*[5] * 11)).value == 100.0


def test_quickdash_with_two_items_missing_gives_no_score(library: Library) -> None:
    """Nine of eleven answered is below the published minimum."""
    result = score(library, "scores.quickdash", qdash(3, 3, 3, 3, 3, 3, 3, 3, 3, None, None))
    assert result.value is None


def test_nprs_is_the_current_rating_only(library: Library) -> None:
    """Worst or best pain never stands in for a missing current rating."""
    only_worst = score(library, "scores.nprs", {"scores.nprs_worst": {"kind": "number", "value": 8}})
    assert only_worst.value is None
    assert only_worst.note == "current pain not recorded"
    now = score(library, "scores.nprs", {"scores.nprs_now": {"kind": "number", "value": 6},
                                          "scores.nprs_worst": {"kind": "number", "value": 8}})
    assert now.value == 6


@pytest.mark.parametrize("score_id", ["scores.nprs", "scores.ndi", "scores.quickdash"])
def test_every_score_takes_its_minimum_from_the_pack(library: Library, score_id: str) -> None:
    """The minimum number of answered items is data in the pack, within the item count."""
    definition = library.scores[score_id]
    assert 1 <= definition.min_answered <= len(definition.items)
