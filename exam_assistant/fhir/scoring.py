"""Outcome-score totals recomputed from a QuestionnaireResponse alone, in plain Python.

A receiver can check the totals it was sent against the answers it was sent. Written apart
from ``engine/scores.py`` on purpose (a test holds the two to the same numbers): the item
lists and minimum answered counts come from the pack's score definitions; each answer's value
is read from the response itself, the ``ordinalValue`` extension of a chosen option, the
number in the option's code, or a number answer.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from exam_assistant.fhir.answers import ORDINAL
from exam_assistant.protocol import ScoreDefinition


def _items(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for child in node.get("item") or []:
        yield child
        yield from _items(child)


def answer_values(response: dict[str, Any]) -> dict[str, float]:
    """linkId -> the numeric value of its single answer, for every answered item of the response."""
    out: dict[str, float] = {}
    for node in _items(response):
        answers = node.get("answer") or []
        if len(answers) != 1:
            continue
        answer = answers[0]
        value: Any = None
        for key in ("valueDecimal", "valueInteger"):
            if key in answer:
                value = answer[key]
        if "valueQuantity" in answer:
            value = answer["valueQuantity"].get("value")
        coding = answer.get("valueCoding")
        if isinstance(coding, dict):
            ordinal = [e.get("valueDecimal") for e in coding.get("extension") or [] if e.get("url") == ORDINAL]
            if ordinal:
                value = ordinal[0]
            else:
                try:  # an unscored option whose value is itself a number ("3")
                    value = float(str(coding.get("code", "")).rsplit(":", 1)[-1])
                except ValueError:
                    value = None
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            out[node["linkId"]] = float(value)
    return out


def score_total(definition: ScoreDefinition, response: dict[str, Any]) -> float | None:
    """The total of one score from a response, or None when too few of its items are answered.

    NPRS: the current rating (best and worst never stand in for it). NDI: 0-5 per section,
    summed, unanswered sections replaced by the mean of the answered ones, out of 50. QuickDASH:
    (mean of the 1-5 answers - 1) x 25, out of 100.
    """
    values = answer_values(response)
    given = [values[i] for i in definition.items if i in values]
    if definition.method == "nprs":
        return values.get(definition.items[0])
    if len(given) < definition.min_answered or not given:
        return None
    mean = sum(given) / len(given)
    if definition.method == "ndi":
        return round(sum(given) + mean * (len(definition.items) - len(given)), 1)
    return round((mean - 1) * 25, 1)
