"""`encounters save` of a file marked final freezes its PDF, as finalising in the app does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from exam_assistant.cli import main
from exam_assistant.store import open_store
from tests.reports.pdftext import all_text
from tests.store.factories import make_encounter


def test_a_final_file_is_stored_with_its_frozen_pdf(db_url: str, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    enc = make_encounter(status="final")
    source = tmp_path / "final.json"
    source.write_text(json.dumps(enc.model_dump(mode="json")), encoding="utf-8")
    assert main(["encounters", "save", str(source), "--database", db_url, "--actor", "importer"]) == 0
    repo = open_store(db_url)
    try:
        frozen = repo.frozen_note(str(enc.id))
        assert frozen is not None and "Ada Testpatient" in all_text(frozen.pdf)
        finalised = [e.detail for e in repo.audit_history(str(enc.id)) if e.event == "finalised"]
        assert finalised == [f"sha256 {frozen.sha256}"]
    finally:
        repo.engine.dispose()
