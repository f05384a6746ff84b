"""Batch export: many notes on every core, carrying on past a bad record, with a failure summary.

Workers are separate processes (``spawn``, safe inside a threaded app server); each loads the
protocol library and the fonts once. Encounters travel as JSON, files are written by the
workers, and only a short, data-free message comes back for a record that failed.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from exam_assistant.library import Library, load_library
from exam_assistant.models import Encounter
from exam_assistant.private_files import write_private
from reports.options import ClinicProfile, NoteOptions
from reports.time_limit import DEFAULT_RECORD_SECONDS, RecordTimeLimit, time_limit

Progress = Callable[[int, int], None]

_worker: dict[str, Any] = {}


@dataclass(frozen=True)
class BatchFailure:
    key: str
    error: str


@dataclass
class BatchSummary:
    total: int = 0
    written: list[Path] = field(default_factory=list)
    succeeded: list[str] = field(default_factory=list)
    failures: list[BatchFailure] = field(default_factory=list)
    worker_cpu_seconds: dict[int, float] = field(default_factory=dict, repr=False)

    @property
    def ok(self) -> bool:
        return not self.failures


def note_filename(encounter: Encounter) -> str:
    """``YYYY-MM-DD_<encounter id>.pdf``: sortable, unique, and free of patient identifiers."""
    return f"{encounter.visit_date.isoformat()}_{encounter.id}.pdf"


def describe_error(exc: BaseException) -> str:
    """What went wrong, without echoing record content (pydantic messages quote the input)."""
    if isinstance(exc, RecordTimeLimit):
        return str(exc)
    if isinstance(exc, ValidationError):
        parts = [f"{'.'.join(str(p) for p in e['loc']) or 'record'}: {e['type']}" for e in exc.errors()[:5]]
        return "invalid encounter: " + "; ".join(parts)
    if isinstance(exc, OSError):
        return f"could not write the file: {exc.strerror or type(exc).__name__}"
    return f"{type(exc).__name__} while rendering (details withheld: they may quote patient data)"


def render_one(raw: str, library: Library, out_dir: Path, profile: ClinicProfile, options: NoteOptions) -> Path:
    """Parse, assess, render and write one note; raises on a bad record."""
    from exam_assistant.engine.assess import assess
    from reports.note import render_note

    encounter = profile.apply_defaults(Encounter.model_validate_json(raw))
    pdf = render_note(encounter, assess(encounter, library), library, profile, options)
    target = out_dir / note_filename(encounter)
    tmp = target.with_suffix(".pdf.part")
    write_private(tmp, pdf)  # a note is patient data: owner-only (0600)
    tmp.replace(target)
    return target


def _init_worker(
    extra: list[str], profile_json: str, options_json: str, out_dir: str, seconds: float = DEFAULT_RECORD_SECONDS
) -> None:
    from reports.fonts import register_fonts

    register_fonts()
    _worker["library"] = load_library([Path(p) for p in extra])
    _worker["profile"] = ClinicProfile.model_validate_json(profile_json)
    _worker["options"] = NoteOptions.model_validate_json(options_json)
    _worker["out_dir"] = Path(out_dir)
    _worker["time_limit"] = seconds


Outcome = list[tuple[str, str | None, str | None]]


def _work(chunk: list[tuple[str, str]]) -> tuple[Outcome, int, float]:
    """Render a chunk; return (key, path or None, error or None) per record, the worker's pid and CPU seconds."""
    results: Outcome = []
    for key, raw in chunk:
        try:
            with time_limit(_worker.get("time_limit", DEFAULT_RECORD_SECONDS)):  # one record cannot stall the batch
                path = render_one(raw, _worker["library"], _worker["out_dir"], _worker["profile"], _worker["options"])
            results.append((key, str(path), None))
        except Exception as exc:  # one bad record must not stop the batch
            results.append((key, None, describe_error(exc)))
    return results, os.getpid(), time.process_time()


def _chunks(records: list[tuple[str, str]], size: int) -> Iterator[list[tuple[str, str]]]:
    for start in range(0, len(records), size):
        yield records[start : start + size]


def as_record(item: Encounter | tuple[str, str]) -> tuple[str, str]:
    """(key, JSON) for an encounter, or a (key, raw JSON) pair read from elsewhere."""
    if isinstance(item, Encounter):
        return str(item.id), item.model_dump_json()
    return item


def export_batch(
    encounters: Iterable[Encounter | tuple[str, str]],
    out_dir: Path,
    profile: ClinicProfile | None = None,
    options: NoteOptions | None = None,
    *,
    workers: int | None = None,
    progress: Progress | None = None,
    protocol_paths: Iterable[Path] = (),
    chunk_size: int | None = None,
    record_seconds: float = DEFAULT_RECORD_SECONDS,
) -> BatchSummary:
    """Render every encounter to ``out_dir`` with ``workers`` processes (default: every core).

    A record that takes longer than ``record_seconds`` to render is left out and reported as a
    failure under its key; the batch carries on.
    """
    records = [as_record(e) for e in encounters]
    out_dir.mkdir(parents=True, exist_ok=True)
    profile = profile or ClinicProfile()
    options = options or NoteOptions()
    workers = max(1, min(workers or os.cpu_count() or 1, len(records) or 1))
    size = chunk_size or max(1, min(8, len(records) // (workers * 4) or 1))
    summary = BatchSummary(total=len(records))
    done = 0
    if progress:
        progress(0, len(records))
    init_args = (
        [str(p) for p in protocol_paths], profile.model_dump_json(), options.model_dump_json(), str(out_dir), record_seconds
    )
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_init_worker, initargs=init_args
    ) as pool:
        futures: dict[Future[tuple[Outcome, int, float]], list[tuple[str, str]]] = {
            pool.submit(_work, chunk): chunk for chunk in _chunks(records, size)
        }
        for future in as_completed(futures):
            try:
                results, pid, cpu = future.result()
                summary.worker_cpu_seconds[pid] = max(cpu, summary.worker_cpu_seconds.get(pid, 0.0))
            except Exception as exc:  # a worker died: every record of its chunk failed
                results = [(key, None, f"worker failed: {type(exc).__name__}") for key, _ in futures[future]]
            for key, path, error in results:
                if path is not None:
                    summary.written.append(Path(path))
                    summary.succeeded.append(key)
                else:
                    summary.failures.append(BatchFailure(key, error or "unknown error"))
            done += len(results)
            if progress:
                progress(done, len(records))
    summary.written.sort()
    summary.succeeded.sort()
    summary.failures.sort(key=lambda f: f.key)
    return summary
