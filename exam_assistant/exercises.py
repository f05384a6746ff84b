"""Home exercises the patient handout may print: plain steps, when to stop, and a simple figure.

An exercise is advice like any other: it carries hold-back classes, so a red flag or a suspected
diagnosis that holds back ``exercise`` (or ``neck_movement``...) takes it off the handout the same way
it takes a treatment step off the plan. Condition guide entries name the exercises they give by id.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Literal

from pydantic import Field

from exam_assistant.advice_policy import AdviceClass
from exam_assistant.condition_guide import GuideId, Statements, _Strict

# The drawings live in reports/exercise_figures.py; a test pins this list to the ones drawn there.
FigureName = Literal["neck_bend_forward", "neck_side_tilt", "neck_turn", "shoulder_blade_squeeze"]


class Exercise(_Strict):
    """One home exercise, worded for the patient."""

    id: GuideId
    name: Annotated[str, Field(min_length=3, max_length=60, description="short plain name, printed as a heading")]
    steps: Statements = Field(description="what to do, one short sentence per statement, in order")
    stop_if: Statements = Field(description="when to stop and contact the clinic")
    figure: FigureName | None = Field(default=None, description="a simple drawing printed beside the steps")
    classes: Annotated[list[AdviceClass], Field(min_length=1, description="hold-back classes of this exercise")]


def exercise_problems(
    exercise: Exercise, *, references: Mapping[str, object]
) -> list[tuple[tuple[str | int, ...], str, str]]:
    """(path, error code, message) for every reference the exercise cites that no pack defines."""
    cited = sorted({k for s in (*exercise.steps, *exercise.stop_if) for k in s.references})
    return [((), "PACK_005", f"cites reference '{k}', which no loaded pack defines") for k in cited if k not in references]
