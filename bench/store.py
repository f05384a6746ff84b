"""Benchmark: the encounter store on SQLite (WAL, synchronous=FULL), as the app uses it.

Each figure is printed beside a floor measured in the same run, on the same kind of database
file with the same connection settings:
- save draft (autosave of an existing draft, and the first save of a new one) vs a bare
  SQLAlchemy Core INSERT of the same JSON into an equivalent one-table schema, one transaction
  each (the least any durable save can cost);
- listing a page of 50 from 10,000 encounters vs a bare Core SELECT of 50 rows ordered by
  visit time from an equivalent table of 10,000 rows with the same index.
Targets: save draft median under 10 ms; a page of 50 from 10,000 under 50 ms.
Run: ``python bench/store.py`` (about 30 s); ``python bench/store.py --postgres --rows 1000000``
for PostgreSQL at clinic-group scale (``bench/store_pg.py``).
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Index, Integer, MetaData, String, Table, insert, select

from exam_assistant.models import Encounter
from exam_assistant.store import EncounterFilters, open_store
from exam_assistant.store.engine import make_engine, writer
from exam_assistant.store.records import patient_key
from exam_assistant.store.tables import EncounterRow, PatientRow, table_of

REPO = Path(__file__).resolve().parent.parent
TOTAL = 10_000


def median_ms(fn: Callable[[int], object], repeat: int) -> float:
    times = []
    for i in range(repeat):
        start = time.perf_counter()
        fn(i)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def sample() -> Encounter:
    examples = sorted((REPO / "examples" / "encounters").glob("*.json"), key=lambda p: p.stat().st_size)
    return Encounter.model_validate_json(examples[-1].read_text())


def floor_table() -> tuple[MetaData, Table]:
    meta = MetaData()
    table = Table(
        "floor", meta,
        Column("id", String(36), primary_key=True), Column("created_at", DateTime(timezone=True)),
        Column("patient", String(300)), Column("data", JSON), Column("version", Integer),
        Index("ix_floor_created_at", "created_at"),
    )
    return meta, table


def bulk_load(url: str, encounter: Encounter, total: int) -> None:
    """Fill the store with ``total`` valid encounters over 500 patients (Core executemany)."""
    engine = make_engine(url)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    with writer(engine).begin() as conn:
        patients = []
        for p in range(500):
            patient = encounter.patient.model_copy(update={"name": f"Bench Patient {p:03d}"})
            patients.append({"match_key": patient_key(patient), "name": patient.name,
                             "name_folded": patient.name.casefold(), "date_of_birth": patient.date_of_birth,
                             "sex": patient.sex, "identifier": f"B-{p:05d}", "identifier_folded": f"b-{p:05d}",
                             "created_at": start})
        conn.execute(insert(table_of(PatientRow)), patients)
        ids = list(conn.execute(select(table_of(PatientRow).c.id)).scalars())
        rows = []
        for i in range(total):
            when = start + timedelta(minutes=7 * i)
            enc = encounter.model_copy(update={"id": uuid.uuid4(), "created_at": when, "updated_at": when})
            rows.append({"id": str(enc.id), "status": "draft", "created_at": when, "updated_at": when,
                         "updated_by": "bench", "clinician_id": None, "patient_id": ids[i % len(ids)],
                         "protocol_versions": [], "data": enc.model_dump(mode="json"),
                         "schema_version": "1.0", "version": 1, "ui_step": None})
        conn.execute(insert(table_of(EncounterRow)), rows)
    engine.dispose()


def main() -> None:
    encounter = sample()
    folder = Path(tempfile.mkdtemp(prefix="exam-assistant-bench-"))
    repo = open_store(f"sqlite:///{folder / 'store.sqlite'}")
    floor_engine = make_engine(f"sqlite:///{folder / 'floor.sqlite'}")
    meta, floor = floor_table()
    meta.create_all(floor_engine)
    data = encounter.model_dump(mode="json")

    def new_draft(_: int) -> Any:
        return repo.save_draft(encounter.model_copy(update={"id": uuid.uuid4()}), None, "bench")

    draft = repo.save_draft(encounter.model_copy(update={"id": uuid.uuid4()}), None, "bench")
    state = {"version": draft.version}

    def autosave(i: int) -> None:
        changed = draft.encounter.model_copy(update={"notes": f"edit {i}"})
        state["version"] = repo.save_draft(changed, state["version"], "bench", ui_step="neuro").version

    def floor_insert(_: int) -> None:
        with floor_engine.begin() as conn:
            conn.execute(insert(floor).values(id=str(uuid.uuid4()), created_at=datetime.now(UTC),
                                              patient=encounter.patient.name, data=data, version=1))

    for fn in (new_draft, autosave, floor_insert):  # warm up
        median_ms(fn, 20)
    autosave_ms, new_ms, floor_save_ms = (median_ms(f, 300) for f in (autosave, new_draft, floor_insert))
    print(f"save draft, autosave of an existing draft ({len(encounter.findings)} findings): median "
          f"{autosave_ms:.2f} ms (target < 10 ms); floor (bare Core insert) {floor_save_ms:.2f} ms; "
          f"ratio {autosave_ms / floor_save_ms:.1f}")
    print(f"save draft, new encounter: median {new_ms:.2f} ms (target < 10 ms); "
          f"floor {floor_save_ms:.2f} ms; ratio {new_ms / floor_save_ms:.1f}")

    bulk_load(str(repo.engine.url), encounter, TOTAL - repo.count())
    with floor_engine.begin() as conn:
        conn.execute(floor.delete())
        start = datetime(2024, 1, 1, tzinfo=UTC)
        conn.execute(insert(floor), [{"id": str(uuid.uuid4()), "created_at": start + timedelta(minutes=7 * i),
                                      "patient": f"Bench Patient {i % 500:03d}", "data": data, "version": 1}
                                     for i in range(TOTAL)])
    total = repo.count()

    def floor_page(_: int) -> None:
        with floor_engine.connect() as conn:
            query = select(floor.c.id, floor.c.created_at, floor.c.patient, floor.c.version)
            conn.execute(query.order_by(floor.c.created_at.desc()).limit(50)).all()

    floor_list_ms = median_ms(floor_page, 50)
    cases = [
        ("first page", lambda _: repo.list(limit=50)),
        ("page at offset 5,000", lambda _: repo.list(limit=50, offset=5000)),
        ("search 'patient 07' (name substring)", lambda _: repo.list(EncounterFilters(patient="patient 07"))),
    ]
    for label, fn in cases:
        fn(0)
        ms = median_ms(fn, 50)
        print(f"list 50 of {total:,}, {label}: median {ms:.2f} ms (target < 50 ms); floor (bare Core "
              f"select of 50) {floor_list_ms:.2f} ms; ratio {ms / floor_list_ms:.1f}")
    repo.engine.dispose()
    floor_engine.dispose()
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    import sys

    if "--postgres" in sys.argv:  # bench/store.py --postgres [--rows N]: see bench/store_pg.py
        from store_pg import run

        run(int(sys.argv[sys.argv.index("--rows") + 1]) if "--rows" in sys.argv else 1_000_000)
    else:
        main()
