"""Batch export on several processes past bad records, and ``exam-assistant export pdf``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest
from sqlalchemy import update

from exam_assistant.cli import main
from exam_assistant.store import open_store
from exam_assistant.store.tables import EncounterRow
from reports import ClinicProfile, NoteOptions, export_batch
from reports.batch import note_filename
from reports.cli import ProgressBar, register
from tests.reports.conftest import EXAMPLES, example, finalised
from tests.reports.pdftext import all_text, reader

pytestmark = pytest.mark.slow


def test_batch_carries_on_past_a_bad_record_and_reports_it(tmp_path: Path) -> None:
    """Good records are written by two workers; the broken one is listed without quoting its content."""
    good = [example(p.stem) for p in sorted(EXAMPLES.glob("*.json"))[:3]]
    bad = ("broken-1", '{"patient": {"name": "Secret Person"}}')
    seen: list[tuple[int, int]] = []
    summary = export_batch(
        [*good, bad],
        tmp_path / "out",
        ClinicProfile(),
        NoteOptions(),
        workers=2,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert summary.total == 4
    assert sorted(p.name for p in summary.written) == sorted(note_filename(e) for e in good)
    assert [f.key for f in summary.failures] == ["broken-1"]
    assert "invalid encounter" in summary.failures[0].error
    assert "Secret" not in summary.failures[0].error
    assert seen[0] == (0, 4) and seen[-1] == (4, 4)
    assert 1 <= len(summary.worker_cpu_seconds) <= 2
    for path in summary.written:
        assert path.read_bytes().startswith(b"%PDF-")
    assert not list((tmp_path / "out").glob("*.part"))


def test_file_names_carry_no_patient_identifier() -> None:
    """A batch file is named by visit date and encounter id only."""
    encounter = example("c6_radiculopathy")
    name = note_filename(encounter)
    assert name == f"2026-05-04_{encounter.id}.pdf"
    assert "Fern" not in name and "943" not in name


def test_cli_exports_one_encounter_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``export pdf FILE -o OUT --paper Letter --deidentified`` writes a Letter-size de-identified note."""
    out = tmp_path / "note.pdf"
    code = main(
        [
            "export",
            "pdf",
            str(EXAMPLES / "c6_radiculopathy.json"),
            "-o",
            str(out),
            "--paper",
            "Letter",
            "--deidentified",
        ]
    )
    assert code == 0
    pdf = out.read_bytes()
    assert float(reader(pdf).pages[0].mediabox.height) == 792.0
    assert "Fernández" not in all_text(pdf)
    assert f"wrote {out}" in capsys.readouterr().err


def test_cli_uses_the_clinic_profile_file(tmp_path: Path) -> None:
    """``--clinic-profile`` puts the clinic's name in the header."""
    profile = tmp_path / "clinic.json"
    profile.write_text(json.dumps({"name": "Harbour Physio", "address": "2 Quay Street", "paper": "A4"}))
    out = tmp_path / "note.pdf"
    assert (
        main(
            ["export", "pdf", str(EXAMPLES / "c6_radiculopathy.json"), "-o", str(out), "--clinic-profile", str(profile)]
        )
        == 0
    )
    assert "Harbour Physio" in all_text(out.read_bytes())


@pytest.mark.parametrize(
    ("content", "code"),
    [(None, 3), ("{not json", 2), ('{"patient": {"name": "A"}}', 2)],
    ids=["missing file", "not JSON", "invalid encounter"],
)
def test_cli_refuses_a_bad_encounter_file_with_its_exit_code(tmp_path: Path, content: str | None, code: int) -> None:
    """Missing file: 3; unreadable or invalid encounter: 2; nothing is written."""
    source = tmp_path / "enc.json"
    if content is not None:
        source.write_text(content)
    out = tmp_path / "note.pdf"
    assert main(["export", "pdf", str(source), "-o", str(out)]) == code
    assert not out.exists()


def test_cli_needs_a_file_or_from_db(tmp_path: Path) -> None:
    """Neither or both of ENCOUNTER.json and --from-db is a usage error (exit 2)."""
    assert main(["export", "pdf", "-o", str(tmp_path / "x.pdf")]) == 2
    assert main(["export", "pdf", str(EXAMPLES / "c6_radiculopathy.json"), "--from-db", "-o", str(tmp_path)]) == 2


def test_cli_batch_from_db_filters_reports_failures_and_exits_5(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Final notes in the date range are exported; a corrupt stored record fails alone; exit code 5."""
    url = f"sqlite:///{tmp_path / 'records.sqlite'}"
    repo = open_store(url)
    kept = []
    for stem in ("c6_radiculopathy", "tos_neurogenic", "neck_pain_normal_exam"):
        stored = repo.save_draft(example(stem), None, "tester")
        if stem != "neck_pain_normal_exam":
            repo.finalise(stored.id, stored.version, "tester")
        kept.append(stored.id)
    draft = repo.save_draft(example("trauma_fall_older_adult"), None, "tester")
    with repo.engine.begin() as conn:  # a damaged "final" record, made behind the store's back (final rows
        # themselves refuse UPDATE, so a draft row is broken and marked final in one statement)
        conn.execute(
            update(EncounterRow).where(EncounterRow.id == kept[2]).values(data={"broken": True}, status="final")
        )
    out = tmp_path / "notes"
    code = main(
        [
            "export",
            "pdf",
            "--from-db",
            "--database",
            url,
            "--status",
            "final",
            "--since",
            "2026-05-01",
            "--until",
            "2026-05-31",
            "-o",
            str(out),
            "--workers",
            "2",
            "--actor",
            "tester",
        ]
    )
    err = capsys.readouterr().err
    assert code == 5
    written = sorted(p.name for p in out.glob("*.pdf"))
    assert len(written) == 2 and all(kept[0] in n or kept[1] in n for n in written)
    assert draft.id not in " ".join(written)
    assert f"failed: encounter {kept[2]}: stored record no longer valid" in err
    assert "wrote 2 of 3 note(s)" in err
    assert "Exporting [" in err
    exported = [e for e in repo.audit_history() if e.event == "exported"]
    assert sorted(str(e.encounter_id) for e in exported) == sorted(kept[:2])
    repo.engine.dispose()


def test_progress_bar_redraws_on_a_terminal_and_prints_tenths_otherwise(tmp_path: Path) -> None:
    """Not a terminal: one line per tenth, ending at the total."""
    log = tmp_path / "progress.txt"
    with log.open("w") as stream:
        bar = ProgressBar(stream, width=10)
        for done in range(0, 21):
            bar(done, 20)
    lines = log.read_text().splitlines()
    assert lines[0] == "Exporting [..........] 0/20"
    assert lines[-1] == "Exporting [##########] 20/20"
    assert len(lines) == 11


def test_register_adds_export_pdf_next_to_an_existing_export_command() -> None:
    """If another area already added ``export``, ``pdf`` joins it instead of replacing it."""
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command")
    export = sub.add_parser("export")
    export.add_subparsers(dest="export_format").add_parser("csv")
    register(sub)
    assert parser.parse_args(["export", "csv"]).export_format == "csv"
    assert parser.parse_args(["export", "pdf", "x.json", "-o", "y.pdf"]).export_format == "pdf"


def test_final_note_from_the_cli_is_not_watermarked(tmp_path: Path) -> None:
    """A final encounter file gives a note without the DRAFT watermark."""
    source = tmp_path / "final.json"
    source.write_text(finalised(example("c6_radiculopathy")).model_dump_json())
    out = tmp_path / "note.pdf"
    assert main(["export", "pdf", str(source), "-o", str(out)]) == 0
    assert "DRAFT" not in all_text(out.read_bytes())
