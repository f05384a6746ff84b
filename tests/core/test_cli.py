"""The exam-assistant command, run as a user runs it: in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((REPO / "examples" / "encounters").glob("*.json"))


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "exam_assistant.cli", *args], capture_output=True, text=True,
                          env=full_env, cwd=REPO, timeout=120)


def test_builtin_packs_validate() -> None:
    """The packs shipped with the app are valid: exit 0."""
    result = cli("protocols", "validate")
    assert result.returncode == 0, result.stderr
    assert "pack(s) valid" in result.stdout


def test_broken_pack_on_the_path_fails_validation_but_others_still_list(tmp_path: Path) -> None:
    """A broken pack in EXAM_ASSISTANT_PROTOCOL_PATH: validate exits 2 naming it; list still lists the rest."""
    broken = tmp_path / "clinic_broken.yaml"
    broken.write_text('schema_version: "1"\nid: clinic\ntitle: [not, text]\n')
    env = {"EXAM_ASSISTANT_PROTOCOL_PATH": str(tmp_path)}
    result = cli("protocols", "validate", env=env)
    assert result.returncode == 2
    assert str(broken) in result.stderr
    listed = cli("protocols", "list", "--format", "json", env=env)
    assert listed.returncode == 0
    data = json.loads(listed.stdout)
    ids = {p["id"] for p in data["protocols"]}
    assert {"history", "radiculopathy", "tos", "neuro"} <= ids
    assert any(p["source"] == str(broken) for p in data["problems"])


def test_protocol_schema_is_json_schema() -> None:
    """'protocols schema' prints a JSON Schema describing a pack."""
    result = cli("protocols", "schema")
    schema = json.loads(result.stdout)
    assert schema["title"] == "ProtocolPack" and "sections" in schema["properties"]


def test_encounter_schema_is_json_schema() -> None:
    """'encounter schema' prints the public encounter format."""
    schema = json.loads(cli("encounter", "schema").stdout)
    assert schema["title"] == "Encounter"
    assert {"schema_version", "patient", "findings"} <= set(schema["properties"])


def test_encounter_validate_reports_problems_on_stderr(tmp_path: Path) -> None:
    """An invalid encounter file exits 2 and says what is wrong."""
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"patient": {"name": "A", "date_of_birth": "2999-01-01"},
                               "findings": {"nope.item": {"kind": "yes_no", "value": "yes"}}}))
    result = cli("encounter", "validate", str(bad))
    assert result.returncode == 2
    assert "is in the future" in result.stderr


def test_examples_exist() -> None:
    """At least three realistic example encounters ship with the project."""
    assert len(EXAMPLES) >= 3


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_encounter_validates_and_assesses(path: Path) -> None:
    """Each example validates and 'assess' prints the documented JSON keys."""
    assert cli("encounter", "validate", str(path)).returncode == 0
    result = cli("assess", str(path))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert {"urgency", "red_flags", "clusters", "level", "differential", "imaging", "treatment"} <= set(data)
    for group in ("red_flags", "differential", "imaging", "treatment"):
        for entry in data[group]:
            assert entry["id"] and entry["reason"] and entry["references"]


def test_core_commands_do_not_load_the_store_or_pdf_libraries() -> None:
    """'protocols', 'encounter' and 'assess' start without importing SQLAlchemy, Alembic or reportlab,
    while --help still lists every area's commands."""
    code = ("import sys, contextlib, io\nfrom exam_assistant.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n    main(['protocols', 'list'])\n"
            "print(sorted(m for m in ('sqlalchemy', 'alembic', 'reportlab') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert result.stdout.strip() == "[]", result.stderr
    helptext = cli("--help").stdout
    for command in ("encounters", "db", "export", "practice"):
        assert command in helptext


def test_missing_encounter_file_exits_not_found(tmp_path: Path) -> None:
    """A file that is not there is 'not found' (exit 3, as the README documents), named on stderr."""
    for command in ("assess", "encounter validate"):
        result = cli(*command.split(), str(tmp_path / "absent.json"))
        assert (result.returncode, result.stderr.strip()) == (3, f"{tmp_path / 'absent.json'}: no such file")
