"""Benchmark: the encounter store on PostgreSQL at clinic-group scale (``bench/store.py --postgres``).

Starts a throwaway PostgreSQL 15 (``tests/pg.py``), upgrades it, loads ``--rows`` encounters over
``rows // 5`` patients with ``COPY`` (not one by one), ANALYZEs, then times through the store:

- list, first page of 50 (newest visit first);
- list, a deep page of 50 by keyset (``after`` = the row half-way down the list);
- search: 50 encounters of patients whose name contains a rare part (pg_trgm GIN index);

each beside a bare-SQL floor run in the same session on the same tables: hand-written SQL that
returns the same rows and columns (encounters joined to patient and clinician names, the same
ORDER BY, keyset condition or LIKE, LIMIT 50) through the same connection pool. Targets: each at
most 3x its floor and under 50 ms.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import text

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from exam_assistant.store import EncounterFilters, open_store  # noqa: E402
from tests.pg import running_postgres  # noqa: E402

START = datetime(2020, 1, 1, tzinfo=UTC)


def median_ms(fn: Callable[[], object], repeat: int = 30) -> float:
    fn()  # warm the cache and the plan
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        fn()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def _copy(raw: Any, table: str, columns: str, lines: Iterator[str]) -> None:
    """Stream text-format rows into COPY in 1 MB chunks (a million rows never sit in memory)."""
    with raw.cursor() as cur, cur.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        chunk: list[str] = []
        size = 0
        for line in lines:
            chunk.append(line)
            size += len(line)
            if size > 1 << 20:
                copy.write("".join(chunk))
                chunk, size = [], 0
        copy.write("".join(chunk))


def _patients(patients: int) -> Iterator[str]:
    for p in range(patients):
        name = f"Bench Patient {p:07d}"
        yield (f"{uuid.uuid4().hex}\t{name}\t{name.casefold()}\t1970-01-01\tunknown\tB-{p:07d}\t"
               f"b-{p:07d}\t{START.isoformat()}\n")


def _encounters(rows: int, patients: int, first: int) -> Iterator[str]:
    for i in range(rows):
        when = (START + timedelta(minutes=3 * i)).isoformat()
        key = str(uuid.uuid4())
        data = json.dumps({"schema_version": "1.0", "id": key, "created_at": when, "updated_at": when,
                           "patient": {"name": f"Bench Patient {i % patients:07d}", "date_of_birth": "1970-01-01"}})
        yield f"{key}\tdraft\t{when}\t{when}\tbench\t{first + i % patients}\t[]\t{data}\t1.0\t1\n"


def load(url: str, rows: int) -> None:
    """COPY ``rows`` small valid encounters over ``rows // 5`` patients (one visit every 3 minutes)."""
    import psycopg

    patients = max(1, rows // 5)
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as raw:
        _copy(raw, "patients", "match_key, name, name_folded, date_of_birth, sex, identifier, "
                   "identifier_folded, created_at", _patients(patients))
        first = raw.execute("SELECT min(id) FROM patients").fetchone()[0]  # type: ignore[index]
        _copy(raw, "encounters", "id, status, created_at, updated_at, updated_by, patient_id, "
                   "protocol_versions, data, schema_version, version", _encounters(rows, patients, first))
        raw.commit()
        raw.execute("ANALYZE")


def run(rows: int) -> None:
    with running_postgres() as url:
        repo = open_store(url)
        began = time.perf_counter()
        load(str(repo.engine.url.render_as_string(hide_password=False)), rows)
        print(f"loaded {rows:,} encounters with COPY in {time.perf_counter() - began:.1f} s")
        total = repo.count()
        with repo.engine.connect() as conn:
            middle = conn.execute(text("SELECT created_at, id FROM encounters ORDER BY created_at DESC, id DESC "
                                       "OFFSET :n LIMIT 1"), {"n": total // 2}).one()
        after = (middle[0], middle[1])
        needle = f"patient {(rows // 5) // 2:07d}"[:-1]  # a 10-visit-ish rare part of one name range

        def bare(where: str = "", join: str = "", **params: object) -> Callable[[], object]:
            # The same rows and columns a page shows (patient and clinician names joined), as
            # hand-written SQL through the same connection pool: the page's ids first, then names.
            sql = text(f"SELECT e.id, e.status, e.created_at, e.updated_at, e.updated_by, e.version, p.name, "
                       f"p.identifier, p.date_of_birth, c.name, e.previous_encounter_id, e.amends_id, e.ui_step "
                       f"FROM (SELECT e2.id FROM encounters e2 {join} WHERE e2.deleted_at IS NULL {where} "
                       f"ORDER BY e2.created_at DESC, e2.id DESC LIMIT 50) page "
                       f"JOIN encounters e ON e.id = page.id JOIN patients p ON p.id = e.patient_id "
                       f"LEFT JOIN clinicians c ON c.id = e.clinician_id ORDER BY e.created_at DESC, e.id DESC")

            def query() -> object:
                with repo.engine.connect() as conn:
                    return conn.execute(sql, params).all()

            return query

        floor_first = bare()
        floor_deep = bare("AND (e2.created_at, e2.id) < (:t, :i)", t=after[0], i=after[1])
        floor_search = bare("AND (p2.name_folded LIKE :p OR p2.identifier_folded LIKE :p)",
                            "JOIN patients p2 ON p2.id = e2.patient_id", p=f"%{needle}%")

        cases = [
            ("first page", lambda: repo.list(limit=50), floor_first),
            ("deep page (keyset, half-way)", lambda: repo.list(limit=50, after=after), floor_deep),
            (f"search '{needle}' (name substring)", lambda: repo.list(EncounterFilters(patient=needle)), floor_search),
        ]
        for label, fn, floor in cases:
            ms, floor_ms = median_ms(fn), median_ms(floor)
            verdict = "ok" if ms <= 3 * floor_ms and ms < 50 else "MISSES TARGET"
            print(f"postgres, list 50 of {total:,}, {label}: median {ms:.2f} ms; floor {floor_ms:.2f} ms; "
                  f"ratio {ms / floor_ms:.1f} (target <= 3 and < 50 ms: {verdict})")
        repo.engine.dispose()


if __name__ == "__main__":
    count = int(sys.argv[sys.argv.index("--rows") + 1]) if "--rows" in sys.argv else 1_000_000
    run(count)
