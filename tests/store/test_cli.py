"""``exam-assistant encounters`` and ``db upgrade``: in-process through register(), and as a user runs them."""

from __future__ import annotations

import argparse
import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from exam_assistant.store import open_store
from exam_assistant.store.cli import register
from exam_assistant.store.migrate import head_revision
from tests.store.factories import make_encounter, with_note, with_text_finding

REPO_ROOT = Path(__file__).resolve().parents[2]


def _command() -> list[str]:
    script = Path(sys.executable).parent / "exam-assistant"
    return [str(script)] if script.exists() else [sys.executable, "-m", "exam_assistant.cli"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Parse with a parser holding only our subcommands, run the handler, return code and output."""
    parser = argparse.ArgumentParser(prog="exam-assistant")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    code = args.func(args)
    out, err = capsys.readouterr()
    return code, out, err


def _file(tmp_path: Path, data: object, name: str = "enc.json") -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


def test_save_prints_the_id_and_show_gives_the_same_json(
    capsys: pytest.CaptureFixture[str], db_url: str, tmp_path: Path
) -> None:
    """save stores a valid file and prints its id; show --format json returns that encounter."""
    enc = make_encounter()
    code, out, _ = run(capsys, "encounters", "save", _file(tmp_path, enc.model_dump(mode="json")),
                       "--database", db_url, "--actor", "alice")
    assert (code, out.strip()) == (0, str(enc.id))
    code, out, _ = run(capsys, "encounters", "show", str(enc.id), "--database", db_url)
    shown = json.loads(out)
    assert code == 0 and shown["patient"] == enc.model_dump(mode="json")["patient"]
    code, out, _ = run(capsys, "encounters", "show", str(enc.id), "--format", "text", "--database", db_url)
    assert code == 0 and "Ada Testpatient" in out and "version 1" in out


@pytest.mark.parametrize("content", ["{not json", json.dumps({"patient": {"name": "X"}})],
                         ids=["not-json", "not-an-encounter"])
def test_invalid_input_exits_2_and_stores_nothing(
    capsys: pytest.CaptureFixture[str], db_url: str, tmp_path: Path, content: str
) -> None:
    """A file that is not JSON, or not an encounter, exits 2 with a plain message on stderr."""
    code, out, err = run(capsys, "encounters", "save", _file(tmp_path, content), "--database", db_url)
    assert (code, out) == (2, "") and err.startswith("exam-assistant: ")
    assert "Traceback" not in err
    repo = open_store(db_url)
    assert repo.count() == 0
    repo.engine.dispose()


def test_unknown_id_exits_3(capsys: pytest.CaptureFixture[str], db_url: str) -> None:
    """show of an id that is not stored exits 3."""
    code, _, err = run(capsys, "encounters", "show", "00000000-0000-0000-0000-000000000000",
                       "--database", db_url)
    assert code == 3 and "no encounter" in err


def test_stale_save_exits_4_and_keeps_the_stored_note(
    capsys: pytest.CaptureFixture[str], db_url: str, tmp_path: Path
) -> None:
    """Saving changed content on an existing id without the current version exits 4."""
    enc = make_encounter()
    run(capsys, "encounters", "save", _file(tmp_path, enc.model_dump(mode="json")), "--database", db_url)
    changed = _file(tmp_path, with_note(enc, "late").model_dump(mode="json"), "changed.json")
    code, _, err = run(capsys, "encounters", "save", changed, "--database", db_url)
    assert code == 4 and "Not saved" in err
    code, _, _ = run(capsys, "encounters", "save", changed, "--expected-version", "1", "--database", db_url)
    assert code == 0


def test_a_final_file_is_stored_as_a_final_note(
    capsys: pytest.CaptureFixture[str], db_url: str, tmp_path: Path
) -> None:
    """An encounter file marked final is stored and finalised (an imported finished note)."""
    enc = make_encounter(status="final")
    code, out, _ = run(capsys, "encounters", "save", _file(tmp_path, enc.model_dump(mode="json")),
                       "--database", db_url)
    assert code == 0
    code, out, _ = run(capsys, "encounters", "list", "--format", "json", "--status", "final",
                       "--database", db_url)
    assert [r["id"] for r in json.loads(out)] == [str(enc.id)]


def test_list_formats_and_filters(capsys: pytest.CaptureFixture[str], db_url: str, tmp_path: Path) -> None:
    """list prints text, JSON or CSV, filtered by patient, status, dates and clinician."""
    repo = open_store(db_url)
    a = make_encounter("Ann Alpha", "A-1", "Dr One")
    b = make_encounter("Ben Beta", "B-2", "Dr Two")
    for enc in (a, b):
        repo.save_draft(enc, None, "alice")
    repo.engine.dispose()
    code, out, _ = run(capsys, "encounters", "list", "--database", db_url)
    assert code == 0 and "Ann Alpha" in out and "Ben Beta" in out
    code, out, _ = run(capsys, "encounters", "list", "--format", "json", "--patient", "alp",
                       "--database", db_url)
    assert [r["patient_name"] for r in json.loads(out)] == ["Ann Alpha"]
    code, out, _ = run(capsys, "encounters", "list", "--format", "csv", "--clinician", "two",
                       "--since", "2000-01-01", "--until", "2999-12-31", "--database", db_url)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["patient_name"] for r in rows] == ["Ben Beta"]
    code, out, _ = run(capsys, "encounters", "list", "--format", "csv", "--until", "2000-01-01",
                       "--database", db_url)
    assert out.strip().count("\n") == 0 and out.startswith("id,status")
    code, _, err = run(capsys, "encounters", "list", "--since", "yesterday", "--database", db_url)
    assert code == 2 and "yesterday" in err


def test_export_csv_leaves_free_text_out_unless_asked(
    capsys: pytest.CaptureFixture[str], db_url: str, tmp_path: Path
) -> None:
    """export-csv writes one row per encounter; notes and text findings only with --include-notes."""
    repo = open_store(db_url)
    enc = with_text_finding(with_note(make_encounter(), "private remark"), "history.occupation", "welder")
    repo.save_draft(enc, None, "alice")
    repo.save_draft(make_encounter(name="=HYPERLINK(1)"), None, "alice")
    out_file = tmp_path / "out.csv"
    code, _, err = run(capsys, "encounters", "export-csv", "-o", str(out_file), "--database", db_url,
                       "--actor", "exporter")
    plain = out_file.read_text()
    rows = list(csv.DictReader(io.StringIO(plain)))
    assert code == 0 and len(rows) == 2 and "wrote 2" in err
    assert "private remark" not in plain and "welder" not in plain and "left arm pain" not in plain
    ada = next(r for r in rows if r["patient_name"] == "Ada Testpatient")
    assert ada["finding.history.fever"] == "no" and ada["finding.history.pain_now"] == "6.0"
    assert ada["finding.radic.spurling"] == "L:positive[arm_pain] R:not_tested"
    assert {r["patient_name"] for r in rows} == {"Ada Testpatient", "'=HYPERLINK(1)"}
    code, _, _ = run(capsys, "encounters", "export-csv", "-o", str(out_file), "--include-notes",
                     "--database", db_url)
    full = list(csv.DictReader(io.StringIO(out_file.read_text())))
    ada = next(r for r in full if r["patient_name"] == "Ada Testpatient")
    assert ada["notes"] == "private remark" and ada["finding.history.occupation"] == "welder"
    assert ada["chief_complaint"] == "left arm pain"
    repo = open_store(db_url)
    events = [(e.event, e.actor, e.detail) for e in repo.audit_history(str(enc.id))]
    repo.engine.dispose()
    assert ("exported", "exporter", "csv") in events


def test_db_upgrade_reports_the_revision(capsys: pytest.CaptureFixture[str], db_url: str) -> None:
    """db upgrade brings an empty database to the head revision and says so, without a password."""
    code, out, _ = run(capsys, "db", "upgrade", "--database", db_url)
    assert code == 0 and out.strip().endswith(f"is at revision {head_revision()}")


def test_db_upgrade_to_an_unknown_revision_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A revision that does not exist is invalid input, reported in one line."""
    code, _, err = run(capsys, "db", "upgrade", "--revision", "9999", "--database",
                       f"sqlite:///{tmp_path / 'x.sqlite'}")
    assert code == 2 and "9999" in err and "Traceback" not in err


def test_unreachable_database_exits_1_without_a_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    """A database that cannot be reached gives one plain line and exit 1."""
    code, _, err = run(capsys, "encounters", "list", "--database",
                       "postgresql+psycopg://nobody:secret@127.0.0.1:1/none")
    assert code == 1 and "database error" in err and "secret" not in err


@pytest.mark.slow
def test_twenty_concurrent_cli_saves_then_csv_lists_twenty(db_url: str, tmp_path: Path) -> None:
    """Must show: 20 concurrent `encounters save` leave 20 encounters; `list --format csv` has 20 rows."""
    if not _command()[0].endswith("exam-assistant") and shutil.which("exam-assistant") is None:
        pytest.skip("the exam-assistant command is not installed (pip install -e .)")
    files = []
    for i in range(20):
        files.append(_file(tmp_path, make_encounter(f"Concurrent {i}").model_dump(mode="json"), f"e{i}.json"))
    procs = [
        subprocess.Popen([*_command(), "encounters", "save", f, "--database", db_url, "--actor", f"c{i}"],
                         cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for i, f in enumerate(files)
    ]
    results = [(p.wait(timeout=300), *p.communicate()) for p in procs]
    assert [(code, err) for code, _, err in results if code != 0] == []
    listed = subprocess.run([*_command(), "encounters", "list", "--format", "csv", "--database", db_url],
                            cwd=REPO_ROOT, capture_output=True, text=True, timeout=120, check=True)
    rows = list(csv.reader(io.StringIO(listed.stdout)))
    assert rows[0][:2] == ["id", "status"] and len(rows) == 21
    assert {r[0] for r in rows[1:]} == {out.strip() for _, out, _ in results}
