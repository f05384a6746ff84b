"""FHIR Bulk Data output: many encounters as NDJSON, one file per resource type.

Each record is built completely before anything of it is written, so a record that fails
leaves no half in the files; the failure message never quotes record content. References
that were bundle-local (``urn:uuid:``) become ``Type/id``, as Bulk Data files stand alone.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from exam_assistant.fhir.bundle import build_bundle
from exam_assistant.fhir.parties import Clinic
from exam_assistant.library import Library
from exam_assistant.models import Encounter

Progress = Callable[[int, int], None]
# A record whose bundle is larger than this is refused rather than written: the PDF batch
# refuses oversized input too, and one runaway record must not fill the disk.
MAX_RECORD_BYTES = 20_000_000


@dataclass
class BulkSummary:
    total: int = 0
    written: dict[str, int] = field(default_factory=dict)  # resource type -> lines written
    succeeded: list[str] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)  # (record key, data-free reason)


def _local_refs(node: Any, types: dict[str, str]) -> Any:
    if isinstance(node, dict):
        out = {k: _local_refs(v, types) for k, v in node.items()}
        ref = out.get("reference")
        if isinstance(ref, str) and ref.startswith("urn:uuid:") and ref[9:] in types:
            out["reference"] = f"{types[ref[9:]]}/{ref[9:]}"
        return out
    if isinstance(node, list):
        return [_local_refs(v, types) for v in node]
    return node


def record_resources(
    encounter: Encounter, library: Library, clinic: Clinic | None = None, pdf: bytes | None = None
) -> list[dict[str, Any]]:
    """The resources of one encounter's document bundle, with references rewritten for NDJSON."""
    bundle = build_bundle(encounter, library, clinic=clinic, pdf=pdf)
    resources = [entry["resource"] for entry in bundle["entry"]]
    types = {r["id"]: r["resourceType"] for r in resources}
    return [_local_refs(r, types) for r in resources]


def _reason(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "invalid encounter: " + "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'record'}: {e['type']}" for e in exc.errors()[:5])
    return f"{type(exc).__name__} while exporting (details withheld: they may quote patient data)"


def export_ndjson(
    records: Iterable[tuple[str, str]],
    out_dir: Path,
    library: Library,
    *,
    clinic: Clinic | None = None,
    progress: Progress | None = None,
    pdf_for: Callable[[str], bytes | None] | None = None,
    record_limit: Callable[[], AbstractContextManager[None]] | None = None,
) -> BulkSummary:
    """Write ``<ResourceType>.ndjson`` files for (key, encounter JSON) records; shared resources once.

    ``pdf_for(key)`` gives a final note's frozen PDF, exported as its DocumentReference;
    ``record_limit()`` guards each record (the CLI passes the PDF batch's per-record time limit).
    """
    items = list(records)
    out_dir.mkdir(parents=True, exist_ok=True)
    summary = BulkSummary(total=len(items))
    seen: set[tuple[str, str]] = set()
    handles: dict[str, Any] = {}
    if progress:
        progress(0, len(items))
    try:
        for done, (key, raw) in enumerate(items, start=1):
            try:
                with record_limit() if record_limit is not None else nullcontext():
                    encounter = Encounter.model_validate_json(raw)
                    pdf = pdf_for(key) if pdf_for is not None and encounter.status == "final" else None
                    resources = record_resources(encounter, library, clinic, pdf)
                lines = [(r["resourceType"], r["id"], json.dumps(r, ensure_ascii=False, separators=(",", ":")))
                         for r in resources]
                if sum(len(line) for _, _, line in lines) > MAX_RECORD_BYTES:
                    raise ValueError("record too large")
            except Exception as exc:  # one bad record must not stop the export
                reason = "record larger than the per-record limit" if str(exc) == "record too large" else _reason(exc)
                summary.failures.append((key, reason))
            else:
                for kind, rid, line in lines:
                    if (kind, rid) in seen:  # CodeSystem and Questionnaires are shared by every record
                        continue
                    seen.add((kind, rid))
                    if kind not in handles:
                        handles[kind] = (out_dir / f"{kind}.ndjson").open("w", encoding="utf-8")
                    handles[kind].write(line + "\n")
                    summary.written[kind] = summary.written.get(kind, 0) + 1
                summary.succeeded.append(key)
            if progress:
                progress(done, len(items))
    finally:
        for handle in handles.values():
            handle.close()
    return summary
