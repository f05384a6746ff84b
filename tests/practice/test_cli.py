"""``exam-assistant practice list`` and ``practice score`` (teachers marking attempt files in batch)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from exam_assistant.cli import main
from exam_assistant.errors import EXIT_INVALID, EXIT_NOT_FOUND, EXIT_OK, EXIT_PARTIAL
from exam_assistant.library import Library
from exam_assistant.practice.loader import CaseLibrary
from exam_assistant.practice.model_answer import model_attempt

REPO = Path(__file__).resolve().parents[2]


def write_model_attempt(folder: Path, cases: CaseLibrary, library: Library, case_id: str) -> Path:
    case = cases.get(case_id)
    assert case is not None
    path = folder / f"{case_id}.json"
    path.write_text(model_attempt(case, library, student="batch student").model_dump_json(), encoding="utf-8")
    return path


def test_practice_list_json_lists_at_least_twelve_cases() -> None:
    """The issue's must-show: `exam-assistant practice list --format json` lists 12 or more cases."""
    result = subprocess.run([sys.executable, "-m", "exam_assistant.cli", "practice", "list", "--format", "json"],
                            capture_output=True, text=True, cwd=REPO, timeout=120,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    assert result.returncode == EXIT_OK, result.stderr
    data = json.loads(result.stdout)
    assert len(data["cases"]) >= 12
    assert data["problems"] == []
    first = data["cases"][0]
    assert {"id", "title", "level", "patient", "presenting_complaint", "source"} <= set(first)
    assert "expected" not in first and "findings" not in first  # the list never gives the answers away


def test_practice_list_text_names_each_case(capsys: pytest.CaptureFixture[str], cases: CaseLibrary) -> None:
    """The text list has one line per case and a count."""
    assert main(["practice", "list"]) == EXIT_OK
    out = capsys.readouterr().out
    assert f"{len(cases.cases)} case(s)" in out
    assert "c6_radiculopathy" in out


def test_practice_score_marks_a_batch_as_json(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                              cases: CaseLibrary, library: Library) -> None:
    """Two model attempts are marked in one run: exit 0, one feedback object per file, full marks."""
    files = [write_model_attempt(tmp_path, cases, library, cid) for cid in ("c7_radiculopathy", "venous_tos")]
    assert main(["practice", "score", *map(str, files), "--format", "json"]) == EXIT_OK
    results = json.loads(capsys.readouterr().out)["results"]
    assert [str(f) for f in files] == [r["file"] for r in results]
    assert [r["feedback"]["score"]["percent"] for r in results] == [100.0, 100.0]
    assert results[0]["feedback"]["score"]["student"] == "batch student"


def test_practice_score_text_shows_the_mark_sheet(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                  cases: CaseLibrary, library: Library) -> None:
    """The text output gives the score, the global rating, the domains and the checklist."""
    path = write_model_attempt(tmp_path, cases, library, "herpes_zoster")
    assert main(["practice", "score", str(path)]) == EXIT_OK
    out = capsys.readouterr().out
    assert "global rating: Excellent" in out
    assert "DOMAINS" in out and "CHECKLIST" in out and "REFERENCES" in out


def test_invalid_attempt_file_exits_2_with_the_field(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An attempt with an unknown mode is refused (exit 2) naming the field on stderr."""
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"case_id": "c6_radiculopathy", "mode": "quiz"}), encoding="utf-8")
    assert main(["practice", "score", str(path)]) == EXIT_INVALID
    err = capsys.readouterr().err
    assert "CASE_009" in err and "mode" in err


def test_attempt_for_an_unknown_case_exits_3(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An attempt naming a case that is not loaded exits 3 (not found)."""
    path = tmp_path / "lost.json"
    path.write_text(json.dumps({"case_id": "no_such_case"}), encoding="utf-8")
    assert main(["practice", "score", str(path)]) == EXIT_NOT_FOUND
    assert "CASE_010" in capsys.readouterr().err


def test_batch_with_one_bad_file_exits_5_and_marks_the_rest(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                            cases: CaseLibrary, library: Library) -> None:
    """One unreadable file in a batch: the others are still marked and the exit code is 5 (partly failed)."""
    good = write_model_attempt(tmp_path, cases, library, "c6_radiculopathy")
    bad = tmp_path / "not_json.json"
    bad.write_text("{", encoding="utf-8")
    assert main(["practice", "score", str(good), str(bad), "--format", "json"]) == EXIT_PARTIAL
    results = json.loads(capsys.readouterr().out)["results"]
    assert "feedback" in results[0] and "problems" in results[1]


def test_practice_schema_prints_the_case_and_attempt_formats(capsys: pytest.CaptureFixture[str]) -> None:
    """'practice schema case' and 'practice schema attempt' print JSON Schemas that forbid unknown fields."""
    assert main(["practice", "schema", "case"]) == EXIT_OK
    case = json.loads(capsys.readouterr().out)
    assert case["title"] == "Case" and case["additionalProperties"] is False
    assert {"findings", "key_actions", "expected", "marking"} <= set(case["properties"])
    assert main(["practice", "schema", "attempt"]) == EXIT_OK
    assert json.loads(capsys.readouterr().out)["title"] == "Attempt"
