"""One validation everywhere: the store refuses exactly what `encounter validate` refuses (issue 13, item 4)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from exam_assistant.input_limits import MAX_DEPTH, MAX_ENCOUNTER_BYTES, MAX_FINDINGS
from exam_assistant.library import cached_library
from exam_assistant.store import EncounterRepository, InvalidEncounterError, open_store
from exam_assistant.validation import load_encounter
from tests.store.factories import make_encounter

REPO_ROOT = Path(__file__).resolve().parents[2]


def _command() -> list[str]:
    script = Path(sys.executable).parent / "exam-assistant"
    return [str(script)] if script.exists() else [sys.executable, "-m", "exam_assistant.cli"]


def _valid() -> dict[str, Any]:
    return make_encounter().model_dump(mode="json")


def _with_finding(item: str, finding: dict[str, Any]) -> dict[str, Any]:
    data = _valid()
    data["findings"][item] = finding
    return data


def _deep(levels: int) -> str:
    """An otherwise valid encounter whose notes field holds ``levels`` nested lists."""
    text = json.dumps(_valid())
    return text[:-1] + ', "extra": ' + "[" * levels + "]" * levels + "}"


# (case id, file text, the field the one-line message must name)
BAD_FILES: list[tuple[str, str, str]] = [
    ("pain-999", json.dumps(_with_finding("history.pain_now", {"kind": "number", "value": 999})), "findings.history.pain_now"),
    ("nan", json.dumps(_with_finding("history.pain_now", {"kind": "number", "value": float("nan")})), "findings.history.pain_now.value"),
    ("infinity-overflow", json.dumps(_valid())[:-1] + ', "pretest_probabilities": {"x": 1e999}}', "pretest_probabilities.x"),
    ("deep-100000", _deep(100_000), "nested deeper"),
    ("unknown-item", json.dumps(_with_finding("made.up", {"kind": "yes_no", "value": "yes"})), "findings.made.up"),
    ("nul-in-name", json.dumps({**_valid(), "patient": {**_valid()["patient"], "name": "Ada\u0000"}}), "patient.name"),
    ("esc-in-notes", json.dumps({**_valid(), "notes": "ok\u001b[2J"}), "notes"),
    ("visit-before-birth", json.dumps({**_valid(), "created_at": "1960-01-01T09:00:00Z"}), "patient.date_of_birth"),
    ("too-many-findings", json.dumps({**_valid(), "findings": {f"x.{i}": {"kind": "yes_no", "value": "no"}
                                                               for i in range(MAX_FINDINGS + 1)}}), "findings"),
]


@pytest.mark.parametrize(("text", "field"), [pytest.param(t, f, id=i) for i, t, f in BAD_FILES])
def test_encounters_save_refuses_with_exit_2_and_one_line_naming_the_field(
    text: str, field: str, tmp_path: Path
) -> None:
    """`encounters save` (a real process) exits 2 with exactly one plain line naming the field; nothing is stored."""
    path = tmp_path / "enc.json"
    path.write_text(text, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'records.sqlite'}"
    done = subprocess.run([*_command(), "encounters", "save", str(path), "--database", url, "--actor", "alice"],
                          cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("exam-assistant: ") and field in lines[0], done.stderr
    if Path(url.removeprefix("sqlite:///")).exists():
        repo = open_store(url)
        assert repo.count() == 0
        repo.engine.dispose()


@pytest.mark.parametrize(("text", "field"), [pytest.param(t, f, id=i) for i, t, f in BAD_FILES])
def test_encounter_validate_refuses_the_same_files(text: str, field: str, tmp_path: Path) -> None:
    """`encounter validate`'s loader finds a problem in every file the store refuses, at the same field."""
    path = tmp_path / "enc.json"
    path.write_text(text, encoding="utf-8")
    _, problems = load_encounter(path, cached_library())
    assert problems, "validate accepted a file the store refuses"
    assert any(field in str(p) for p in problems)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(_with_finding("history.pain_now", {"kind": "number", "value": 999}), id="pain-999"),
        pytest.param(_with_finding("history.pain_now", {"kind": "number", "value": float("nan")}), id="nan"),
        pytest.param(_with_finding("history.pain_now", {"kind": "number", "value": float("-inf")}), id="minus-infinity"),
        pytest.param({**_valid(), "chief_complaint": "neck\x00pain"}, id="nul"),
        pytest.param({**_valid(), "notes": "a\x1b]8;;http://x\x07b"}, id="osc-link"),
        pytest.param({**_valid(), "notes": "a\ud800b"}, id="lone-surrogate"),
        pytest.param({**_valid(), "created_at": "1960-01-01T09:00:00Z"}, id="visit-before-birth"),
    ],
)
def test_the_store_refuses_bad_data_on_both_backends(repo: EncounterRepository, data: dict[str, Any]) -> None:
    """save_draft refuses the data with InvalidEncounterError (one line) on SQLite and PostgreSQL alike."""
    with pytest.raises(InvalidEncounterError) as caught:
        repo.save_draft(data, None, "alice")
    assert "\n" not in str(caught.value) and str(caught.value).startswith("Not saved: ")
    assert repo.count() == 0


def test_the_store_refuses_a_deeply_nested_dict_without_recursion(repo: EncounterRepository) -> None:
    """A dict nested 100,000 deep (built in Python, no JSON) is refused cleanly, not with RecursionError."""
    nested: Any = []
    for _ in range(100_000):
        nested = [nested]
    with pytest.raises(InvalidEncounterError, match="nested deeper than"):
        repo.save_draft({**_valid(), "extra": nested}, None, "alice")


def test_newline_and_tab_are_allowed_in_free_text(repo: EncounterRepository) -> None:
    """Free text keeps paragraphs and tabs; the same characters in a name are refused."""
    data = {**_valid(), "notes": "line one\r\nline two\tindented", "chief_complaint": "neck\npain"}
    data["findings"]["history.psychosocial"] = {"kind": "text", "value": "a\nb"}
    stored = repo.save_draft(data, None, "alice")
    assert stored.encounter.notes == "line one\r\nline two\tindented"
    with pytest.raises(InvalidEncounterError, match=r"patient\.name"):
        repo.save_draft({**_valid(), "patient": {**_valid()["patient"], "name": "Ada\nX"}}, None, "alice")


def test_a_valid_encounter_is_still_stored(repo: EncounterRepository) -> None:
    """The checks do not refuse an ordinary encounter."""
    stored = repo.save_draft(make_encounter(), None, "alice")
    assert stored.version == 1


def test_limits_are_generous_for_real_encounters() -> None:
    """Every item of every pack answered fits far inside the documented limits."""
    lib = cached_library()
    assert len(lib.items) < MAX_FINDINGS
    assert MAX_DEPTH >= 6 and MAX_ENCOUNTER_BYTES >= 500_000
