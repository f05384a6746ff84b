"""Benchmark: assess() on the largest example encounter, and a cold library load.

Each figure is printed beside a floor measured in the same run on the same data:
- assess vs validating the same encounter JSON into the model (the least work any request does);
- cold library load vs parsing the same YAML files with no validation.
Targets: assess median under 5 ms; cold load under 300 ms.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

from exam_assistant.engine.assess import assess
from exam_assistant.library import builtin_protocol_dir, load_library
from exam_assistant.models import Encounter

REPO = Path(__file__).resolve().parent.parent
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def median_ms(fn: object, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def cold(code: str) -> float:
    """Median wall time of a fresh interpreter running `code` after imports, in ms (printed by the child)."""
    runs = []
    for _ in range(7):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
        runs.append(float(out.stdout.strip()))
    return statistics.median(runs)


def main() -> None:
    lib = load_library()
    examples = sorted((REPO / "examples" / "encounters").glob("*.json"), key=lambda p: p.stat().st_size)
    text = examples[-1].read_text()
    encounter = Encounter.model_validate_json(text)
    assess_ms = median_ms(lambda: assess(encounter, lib), 300)
    floor_ms = median_ms(lambda: Encounter.model_validate_json(text), 300)
    print(f"assess on {examples[-1].name} ({len(encounter.findings)} findings): median {assess_ms:.2f} ms "
          f"(target < 5 ms); floor (encounter validation) {floor_ms:.3f} ms; ratio {assess_ms / floor_ms:.1f}")

    pack_dir = builtin_protocol_dir()
    load_code = ("import time;from exam_assistant.library import load_library;"
                 "t=time.perf_counter();load_library();print((time.perf_counter()-t)*1000)")
    parse_code = ("import time,yaml,pathlib;L=getattr(yaml,'CSafeLoader',yaml.SafeLoader);"
                  f"t=time.perf_counter();[yaml.load(p.read_text(),Loader=L) for p in pathlib.Path({str(pack_dir)!r}).glob('*.yaml')];"
                  "print((time.perf_counter()-t)*1000)")
    load_ms, parse_ms = cold(load_code), cold(parse_code)
    print(f"cold library load ({len(lib.packs)} packs, {len(lib.items)} items, {len(lib.rules)} rules): "
          f"median {load_ms:.0f} ms (target < 300 ms); floor (YAML parse only) {parse_ms:.0f} ms; "
          f"ratio {load_ms / parse_ms:.1f}")


if __name__ == "__main__":
    main()
