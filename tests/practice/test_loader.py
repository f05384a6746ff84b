"""Case discovery and validation: located problems (file, line, path, code) like the pack loader,
and cases from a teacher's folder on EXAM_ASSISTANT_PROTOCOL_PATH."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from exam_assistant.library import PATH_ENV, Library, PackSource
from exam_assistant.practice.loader import CASE_CODES, build_cases, load_cases
from tests.practice.conftest import TEACHER


def write_case(folder: Path, data: dict[str, Any], name: str = "case.yaml") -> Path:
    cases = folder / "cases"
    cases.mkdir(parents=True, exist_ok=True)
    path = cases / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def problems_for(folder: Path, library: Library) -> list[tuple[str, str, int | None, str]]:
    result = build_cases([PackSource(folder, "test")], library)
    return [(p.code, p.path, p.line, p.message) for p in result.problems]


def test_teacher_folder_on_the_protocol_path_adds_its_cases(monkeypatch: pytest.MonkeyPatch, library: Library) -> None:
    """A folder on EXAM_ASSISTANT_PROTOCOL_PATH with a cases/ subfolder adds those cases to the built-in ones."""
    monkeypatch.setenv(PATH_ENV, str(TEACHER))
    found = load_cases(library)
    assert "scoring_fixture" in found.cases
    assert "c6_radiculopathy" in found.cases
    assert found.cases["scoring_fixture"].source.endswith("scoring_fixture.yaml")


def test_teacher_case_is_absent_without_the_path(library: Library) -> None:
    """Without the environment variable only the built-in cases load."""
    assert "scoring_fixture" not in load_cases(library).cases


def test_unknown_field_is_reported_with_line_and_path(tmp_path: Path, fixture_data: dict[str, Any],
                                                      library: Library) -> None:
    """A misspelt field is CASE_002 at its path and line, and the case is left out."""
    data = {**fixture_data, "patient": {"age": 45, "sex": "male", "nmae": "x"}}
    write_case(tmp_path, data)
    found = problems_for(tmp_path, library)
    assert [(code, path) for code, path, _line, _msg in found] == [("CASE_002", "patient.nmae")]
    assert found[0][2] is not None and "unknown field" in found[0][3]


def test_yaml_syntax_error_is_reported_with_its_line(tmp_path: Path, library: Library) -> None:
    """Broken YAML is CASE_001 with the line of the error."""
    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "broken.yaml").write_text("id: x\ntitle: [unclosed\n", encoding="utf-8")
    found = problems_for(tmp_path, library)
    assert len(found) == 1 and found[0][0] == "CASE_001" and found[0][2] is not None


def test_finding_for_an_unknown_item_is_case_003(tmp_path: Path, fixture_data: dict[str, Any],
                                                  library: Library) -> None:
    """A finding keyed by an item no pack defines is CASE_003 at findings.<id>."""
    data = {**fixture_data, "findings": {**fixture_data["findings"],
                                         "radic.spurlin": {"kind": "yes_no", "value": "yes"}}}
    write_case(tmp_path, data)
    assert ("CASE_003", "findings.radic.spurlin") in [(c, p) for c, p, _l, _m in problems_for(tmp_path, library)]


def test_finding_of_the_wrong_kind_is_case_004(tmp_path: Path, fixture_data: dict[str, Any],
                                                library: Library) -> None:
    """A yes/no finding for a sided test is CASE_004, explained in words (reuses finding_problems)."""
    data = {**fixture_data, "findings": {**fixture_data["findings"],
                                         "radic.distraction": {"kind": "yes_no", "value": "yes"}}}
    write_case(tmp_path, data)
    found = [(c, p, m) for c, p, _l, m in problems_for(tmp_path, library)]
    assert any(c == "CASE_004" and p == "findings.radic.distraction" and "sided test" in m for c, p, m in found)


def test_unknown_criterion_of_a_sided_finding_is_case_004(tmp_path: Path, fixture_data: dict[str, Any],
                                                           library: Library) -> None:
    """A criterion the test does not define is refused, left and right aware."""
    bad = {"kind": "sided_test", "left": {"result": "positive", "criteria": ["pulse_change"]}}
    data = {**fixture_data, "findings": {**fixture_data["findings"], "radic.spurling": bad}}
    write_case(tmp_path, data)
    messages = [m for c, _p, _l, m in problems_for(tmp_path, library) if c == "CASE_004"]
    assert any("(left)" in m and "pulse_change" in m for m in messages)


def test_unknown_reference_is_case_005(tmp_path: Path, fixture_data: dict[str, Any], library: Library) -> None:
    """A reference key no pack defines is CASE_005 at references[i]."""
    write_case(tmp_path, {**fixture_data, "references": ["wainner_2003", "no_such_paper"]})
    assert [(c, p) for c, p, _l, _m in problems_for(tmp_path, library)] == [("CASE_005", "references[1]")]


def test_rule_that_is_not_a_red_flag_is_case_007(tmp_path: Path, fixture_data: dict[str, Any],
                                                  library: Library) -> None:
    """Expecting a cluster rule as a red flag is CASE_007."""
    data = {**fixture_data, "expected": {**fixture_data["expected"], "red_flags": ["radic.wainner"]}}
    write_case(tmp_path, data)
    assert ("CASE_007", "expected.red_flags[0]") in [(c, p) for c, p, _l, _m in problems_for(tmp_path, library)]


def test_interpretation_without_a_finding_is_case_007(tmp_path: Path, fixture_data: dict[str, Any],
                                                       library: Library) -> None:
    """A key test to interpret must have a simulated result in the case."""
    expected = {**fixture_data["expected"], "interpretations": [{"item": "radic.valsalva"}]}
    checklist = [c for c in fixture_data["marking"]["checklist"] if c["check"]["check"] != "interpreted"]
    write_case(tmp_path, {**fixture_data, "expected": expected, "marking": {"checklist": checklist}})
    found = [(c, m) for c, _p, _l, m in problems_for(tmp_path, library)]
    assert any(c == "CASE_007" and "gives no finding" in m for c, m in found)


def test_duplicate_case_id_keeps_the_first_file(tmp_path: Path, fixture_data: dict[str, Any],
                                                 library: Library) -> None:
    """Two files with one id: the first loads, the second is CASE_006 naming the first."""
    write_case(tmp_path, fixture_data, "a.yaml")
    write_case(tmp_path, fixture_data, "b.yaml")
    result = build_cases([PackSource(tmp_path, "test")], library)
    assert list(result.cases) == ["scoring_fixture"]
    assert result.cases["scoring_fixture"].source.endswith("a.yaml")
    assert [p.code for p in result.problems] == ["CASE_006"]
    assert "a.yaml" in result.problems[0].message


def test_interpreted_check_must_name_an_expected_interpretation(tmp_path: Path, fixture_data: dict[str, Any],
                                                                 library: Library) -> None:
    """A checklist line interpreting a test the case does not list is refused by the schema."""
    checklist = [*fixture_data["marking"]["checklist"],
                 {"id": "extra", "text": "Interprets distraction", "domain": "interpretation", "points": 1,
                  "check": {"check": "interpreted", "item": "radic.distraction"}}]
    write_case(tmp_path, {**fixture_data, "marking": {"checklist": checklist}})
    found = problems_for(tmp_path, library)
    assert [c for c, _p, _l, _m in found] == ["CASE_002"]
    assert "expected.interpretations does not list" in found[0][3]


def test_a_broken_case_does_not_stop_the_others(tmp_path: Path, fixture_data: dict[str, Any],
                                                 library: Library) -> None:
    """One invalid file is reported; the valid one beside it still loads."""
    write_case(tmp_path, fixture_data, "good.yaml")
    write_case(tmp_path, {**fixture_data, "id": "other", "level": "expert"}, "bad.yaml")
    result = build_cases([PackSource(tmp_path, "test")], library)
    assert list(result.cases) == ["scoring_fixture"]
    assert [p.code for p in result.problems] == ["CASE_002"]


def test_every_case_code_used_in_the_code_is_catalogued() -> None:
    """Each CASE_ code raised by the practice package has a plain-words entry in CASE_CODES."""
    package = Path(__file__).resolve().parents[2] / "exam_assistant" / "practice"
    used = {m for f in package.glob("*.py") for m in re.findall(r'[Pp]roblem\(\s*"(CASE_\d{3})"', f.read_text(encoding="utf-8"))}
    assert used and used <= set(CASE_CODES)
