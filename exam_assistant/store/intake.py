"""The store's gate: an encounter is stored only if ``encounter validate`` would accept it.

The same checks as the command line (``validation.encounter_problems``) against the loaded
protocol library, turned into one plain line naming the field for InvalidEncounterError.
"""

from __future__ import annotations

from typing import Any

from exam_assistant.errors import Problem
from exam_assistant.library import Library
from exam_assistant.models import Encounter
from exam_assistant.store.errors import InvalidEncounterError
from exam_assistant.validation import encounter_problems


def one_line(problems: list[Problem]) -> str:
    """The first problem as ``field: reason [CODE]``, and how many more there are."""
    first = problems[0]
    text = f"Not saved: {first.path or 'encounter'}: {first.message} [{first.code}]"
    if len(problems) > 1:
        text += f" (and {len(problems) - 1} more problem{'s' if len(problems) > 2 else ''})"
    return " ".join(text.split())  # one line, whatever a message held


def accept(data: Encounter | dict[str, Any], library: Library) -> Encounter:
    """The validated encounter, or InvalidEncounterError naming the first field that is wrong."""
    raw = data.model_dump(mode="json") if isinstance(data, Encounter) else data
    encounter, problems = encounter_problems(raw, library)
    if problems or encounter is None:
        raise InvalidEncounterError(one_line(problems))
    return encounter
