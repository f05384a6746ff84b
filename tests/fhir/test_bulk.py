"""Bulk Data NDJSON of stored encounters: one file per resource type, references resolvable, bad records isolated."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from exam_assistant.cli import main
from exam_assistant.fhir.bulk import export_ndjson
from exam_assistant.fhir.validate import validate_resource
from exam_assistant.library import Library
from tests.fhir.conftest import EXAMPLES


def _read(folder: Path) -> dict[str, list[dict[str, Any]]]:
    return {p.stem: [json.loads(line) for line in p.read_text(encoding="utf-8").splitlines()]
            for p in sorted(folder.glob("*.ndjson"))}


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["reference"]] if isinstance(node.get("reference"), str) else []
        return own + [r for v in node.values() for r in _refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in _refs(v)]
    return []


def test_bulk_files_hold_every_record_once_with_resolvable_references(tmp_path: Path, library: Library) -> None:
    """Three encounters give one Patient line each, one shared CodeSystem, valid resources and Type/id references that resolve."""
    records = [(p.stem, p.read_text(encoding="utf-8")) for p in EXAMPLES[:3]]
    summary = export_ndjson(records, tmp_path, library)
    assert summary.failures == [] and len(summary.succeeded) == 3
    files = _read(tmp_path)
    assert len(files["Patient"]) == 3 and len(files["Encounter"]) == 3 and len(files["CodeSystem"]) == 1
    ids = {f"{r['resourceType']}/{r['id']}" for lines in files.values() for r in lines}
    for lines in files.values():
        for resource in lines:
            validate_resource(resource)
            assert set(_refs(resource)) <= ids, resource["resourceType"]


def test_a_bad_record_is_reported_without_its_content_and_stops_nothing(tmp_path: Path, library: Library) -> None:
    """An unreadable record fails alone, with a data-free reason, and writes no line of its own."""
    good = EXAMPLES[0].read_text(encoding="utf-8")
    bad = json.dumps({"schema_version": "1.0", "patient": {"name": "Secret Name", "date_of_birth": "2999-01-01"}})
    seen: list[tuple[int, int]] = []
    summary = export_ndjson([("bad", bad), ("good", good)], tmp_path, library, progress=lambda d, t: seen.append((d, t)))
    assert summary.succeeded == ["good"]
    (key, reason), = summary.failures
    assert key == "bad" and "Secret" not in reason and "2999" not in reason
    assert len(_read(tmp_path)["Patient"]) == 1
    assert seen[0] == (0, 2) and seen[-1] == (2, 2)


def test_cli_bulk_export_from_the_store_since_a_date(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`export fhir --from-db --since` writes NDJSON for the stored visits on or after the date, and audits each."""
    from exam_assistant.models import Encounter
    from exam_assistant.store.repository import open_store

    url = f"sqlite:///{tmp_path / 'records.sqlite'}"
    repo = open_store(url)
    stored = [repo.save_draft(Encounter.model_validate_json(p.read_text(encoding="utf-8")), None, "tester")
              for p in EXAMPLES]
    dates = sorted(s.encounter.created_at for s in stored)
    since = dates[2].date().isoformat()
    expected = sum(1 for d in dates if d.date().isoformat() >= since)
    out = tmp_path / "bulk"
    assert main(["export", "fhir", "--from-db", "--since", since, "-o", str(out), "--database", url,
                 "--actor", "auditor"]) == 0
    assert len(_read(out)["Encounter"]) == expected < len(EXAMPLES)
    assert "Exporting FHIR" in capsys.readouterr().err
    exports = [e for e in repo.audit_history() if e.actor == "auditor"]
    assert len(exports) == expected


def test_cli_export_by_id_carries_the_frozen_pdf_of_a_final_note(tmp_path: Path) -> None:
    """`export fhir --id` of a finalised record puts the PDF frozen at finalise into a DocumentReference."""
    import base64

    from exam_assistant.models import Encounter
    from exam_assistant.store.frozen import RenderedNote
    from exam_assistant.store.repository import open_store

    url = f"sqlite:///{tmp_path / 'records.sqlite'}"
    repo = open_store(url)
    draft = repo.save_draft(Encounter.model_validate_json(EXAMPLES[0].read_text(encoding="utf-8")), None, "tester")
    frozen_bytes = b"%PDF-1.7 the frozen note"
    repo.finalise(draft.id, draft.version, "tester", render=lambda encounter, previous: RenderedNote(frozen_bytes))
    out = tmp_path / "b.json"
    assert main(["export", "fhir", "--id", draft.id, "-o", str(out), "--database", url]) == 0
    bundle = json.loads(out.read_text(encoding="utf-8"))
    (doc,) = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "DocumentReference"]
    assert base64.b64decode(doc["content"][0]["attachment"]["data"]) == frozen_bytes
    assert main(["export", "fhir", "--id", "no-such-id", "-o", str(out), "--database", url]) == 3


def test_a_record_over_its_limit_fails_alone(tmp_path: Path, library: Library) -> None:
    """A record whose per-record guard trips is a failure of that record only; the next one is still written."""
    from collections.abc import Iterator
    from contextlib import contextmanager

    calls = iter([True, False])

    @contextmanager
    def guard() -> Iterator[None]:
        if next(calls):
            raise TimeoutError("over the per-record time limit")
        yield

    records = [(p.stem, p.read_text(encoding="utf-8")) for p in EXAMPLES[:2]]
    summary = export_ndjson(records, tmp_path, library, record_limit=guard)
    assert [key for key, _ in summary.failures] == [EXAMPLES[0].stem]
    assert summary.succeeded == [EXAMPLES[1].stem] and len(_read(tmp_path)["Patient"]) == 1
