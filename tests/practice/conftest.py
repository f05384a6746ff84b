"""Practice-mode fixtures: the built-in cases, and the scoring fixture case from a teacher folder."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from exam_assistant.library import Library
from exam_assistant.practice.attempt import Answers, Attempt
from exam_assistant.practice.case import Case
from exam_assistant.practice.loader import CaseLibrary, load_cases

DATA = Path(__file__).parent / "data"
TEACHER = DATA / "teacher"
FIXTURE_FILE = TEACHER / "cases" / "scoring_fixture.yaml"


@pytest.fixture(scope="session")
def cases(library: Library) -> CaseLibrary:
    return load_cases(library)


@pytest.fixture(scope="session")
def fixture_data() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(FIXTURE_FILE.read_text(encoding="utf-8"))
    return data


@pytest.fixture
def make_case(fixture_data: dict[str, Any]) -> Callable[..., Case]:
    """The scoring fixture case, optionally changed: ``make_case(expected={"red_flags": [...]})``."""

    def make(**changes: Any) -> Case:
        data = copy.deepcopy(fixture_data)
        for key, value in changes.items():
            if isinstance(value, dict) and isinstance(data.get(key), dict):
                data[key].update(value)
            else:
                data[key] = value
        return Case.model_validate(data)

    return make


@pytest.fixture
def fixture_case(make_case: Callable[..., Case]) -> Case:
    return make_case()


def attempt_for(case: Case, actions: list[str] | None = None, **answers: Any) -> Attempt:
    """An attempt at ``case`` with these actions and answers (everything else left empty)."""
    return Attempt(case_id=case.id, actions=actions or [], answers=Answers(**answers))
