"""Outcome scores (NPRS, Neck Disability Index, QuickDASH) with their published missing-item rules.

The items, bands, minimum answered items and sources are data in the outcome-scores pack;
only the arithmetic is here.
"""

from __future__ import annotations

from exam_assistant.engine.assessment import ScoreResult
from exam_assistant.models import Choice, Encounter, Number
from exam_assistant.protocol import Band, Item, ScoreDefinition


def _answer(encounter: Encounter, item: Item) -> float | None:
    finding = encounter.findings.get(item.id)
    if isinstance(finding, Number):
        return finding.value
    if isinstance(finding, Choice):
        for option in item.options:
            if option.value == finding.value:
                return option.score if option.score is not None else float(option.value)
    return None


def band_for(value: float, bands: list[Band]) -> str | None:
    for band in bands:
        if band.minimum <= value <= band.maximum:
            return band.label
    return None


def compute_score(score: ScoreDefinition, encounter: Encounter, items: dict[str, Item]) -> ScoreResult:
    answers = [_answer(encounter, items[i]) for i in score.items if i in items]
    given = [a for a in answers if a is not None]
    total = len(score.items)
    value: float | None = None
    percent: float | None = None
    maximum = 100.0
    note = ""
    if score.method == "nprs":
        maximum = 10.0
        value = answers[0] if answers else None  # the current rating; best and worst never stand in for it
        note = "" if value is not None else "current pain not recorded"
    elif score.method == "ndi":
        maximum = 50.0
        if len(given) >= score.min_answered:
            mean = sum(given) / len(given)
            value = round(sum(given) + mean * (total - len(given)), 1)
            percent = round(value * 2, 1)
            missing = total - len(given)
            note = (
                f"{missing} section(s) unanswered, replaced by the mean of the answered ones"
                if missing
                else "all sections answered"
            )
        else:
            note = f"needs at least {score.min_answered} of {total} sections; {len(given)} answered"
    elif score.method == "quickdash":
        if len(given) >= score.min_answered:
            value = round((sum(given) / len(given) - 1) * 25, 1)
            note = "all items answered" if len(given) == total else f"{total - len(given)} item unanswered"
        else:
            note = f"needs at least {score.min_answered} of {total} items; {len(given)} answered"
    band = band_for(value, score.bands) if value is not None else None
    return ScoreResult(
        id=score.id,
        title=score.title,
        value=value,
        maximum=maximum,
        percent=percent,
        band=band,
        answered=len(given),
        total=total,
        note=note,
        mcid=score.mcid,
        references=list(score.references),
    )
