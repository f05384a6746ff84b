"""Every case file in protocols/cases: valid against the schema and the library, consistent with
what the library's rules compute from its findings, and fully markable by its model answer."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from exam_assistant.engine.assess import assess
from exam_assistant.errors import Problem
from exam_assistant.library import Library, builtin_protocol_dir
from exam_assistant.practice.case import Case
from exam_assistant.practice.loader import CaseLibrary, case_problems, read_case
from exam_assistant.practice.model_answer import model_attempt
from exam_assistant.practice.scoring import score_attempt
from exam_assistant.practice.simulate import full_encounter
from exam_assistant.protocol import RedFlagEffect

CASE_FILES = sorted((builtin_protocol_dir() / "cases").glob("*.yaml"))
LEVEL_FILES = [p for p in CASE_FILES
               if (yaml.safe_load(p.read_text(encoding="utf-8")).get("expected") or {}).get("level", "none") != "none"]
REQUIRED_DIAGNOSES = {
    "cervical_radiculopathy", "cervical_myelopathy", "neurogenic_tos", "venous_tos", "arterial_tos",
    "nonspecific_neck_pain", "osteoporotic_fracture", "pancoast_tumour", "herpes_zoster",
}


def ids(paths: list[Path]) -> list[str]:
    return [p.stem for p in paths]


def load(path: Path, library: Library) -> tuple[Case | None, list[Problem]]:
    problems: list[Problem] = []
    parsed = read_case(path, problems)
    if parsed is None:
        return None, problems
    return parsed.case, case_problems(parsed.case, library, parsed.source, parsed.node)


@pytest.mark.parametrize("path", CASE_FILES, ids=ids(CASE_FILES))
def test_case_file_is_valid(path: Path, library: Library) -> None:
    """The case parses, and every item, diagnosis, rule and reference it names exists in the library."""
    assert not library.problems, "the protocol library must load cleanly before cases can be checked"
    case, problems = load(path, library)
    assert [str(p) for p in problems] == []
    assert case is not None and path.stem == case.id


@pytest.mark.parametrize("path", CASE_FILES, ids=ids(CASE_FILES))
def test_case_expected_red_flags_are_raised_by_the_library(path: Path, library: Library) -> None:
    """Each red flag the case expects is raised by the library's rules on the whole case."""
    case, _ = load(path, library)
    assert case is not None
    fired = {f.id for f in assess(full_encounter(case, library), library).red_flags}
    assert set(case.expected.red_flags) <= fired


@pytest.mark.parametrize("path", CASE_FILES, ids=ids(CASE_FILES))
def test_case_diagnosis_leads_the_library_differential(path: Path, library: Library) -> None:
    """The case's most likely diagnosis is ranked first by the library on the whole case."""
    case, _ = load(path, library)
    assert case is not None
    differential = assess(full_encounter(case, library), library).differential
    assert differential and case.expected.diagnosis == differential[0].id


@pytest.mark.parametrize("path", LEVEL_FILES, ids=ids(LEVEL_FILES))
def test_case_level_matches_the_neuro_screen(path: Path, library: Library) -> None:
    """A case that expects a root level gets that level and side from the engine's localisation."""
    case, _ = load(path, library)
    assert case is not None
    level = assess(full_encounter(case, library), library).level
    assert level is not None
    assert (case.expected.level, case.expected.side) == (level.level, level.side)


@pytest.mark.parametrize("path", CASE_FILES, ids=ids(CASE_FILES))
def test_case_model_answer_earns_every_point(path: Path, library: Library) -> None:
    """The model answer built from the case's key actions and expected answers scores 100% with no penalty."""
    case, _ = load(path, library)
    assert case is not None
    score = score_attempt(case, model_attempt(case, library), library)
    assert (score.percent, score.global_rating, score.penalties) == (100.0, "excellent", [])


def test_builtin_cases_load_without_problems(cases: CaseLibrary) -> None:
    """Discovery finds every built-in case file and reports no problem."""
    assert [str(p) for p in cases.problems] == []
    assert {p.stem for p in CASE_FILES} <= set(cases.cases)


def test_library_covers_the_required_cases(cases: CaseLibrary, library: Library) -> None:
    """At least 12 cases: C6, C7 and C8 radiculopathy, the other required diagnoses and an emergency."""
    assert len(cases.cases) >= 12
    builtin = [lc.case for lc in cases.cases.values()]
    assert {c.expected.diagnosis for c in builtin} >= REQUIRED_DIAGNOSES
    radicular_levels = {c.expected.level for c in builtin if c.expected.diagnosis == "cervical_radiculopathy"}
    assert {"C6", "C7", "C8"} <= radicular_levels
    emergencies = {c.expected.diagnosis for c in builtin for rid in c.expected.red_flags
                   if isinstance(library.rules[rid].effect, RedFlagEffect)
                   and library.rules[rid].effect.tier == "EMERGENCY"}  # type: ignore[union-attr]
    assert emergencies & {"aortic_dissection", "spinal_infection"}


def test_cases_hold_no_real_patient_identifiers(cases: CaseLibrary) -> None:
    """A case has only an age and a sex: the schema has no field for a name, birth date or identifier."""
    for lc in cases.cases.values():
        assert {"age", "sex"} == set(lc.case.patient.model_dump())
