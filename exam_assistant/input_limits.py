"""Limits every encounter must meet before it is parsed, validated or stored.

One set of rules for `encounter validate`, `encounters save`, the app and the store, so data one
back-end accepts is never refused by the other (PostgreSQL refuses NUL and NaN in JSON; SQLite
stores both and everything that reads them back crashes). The limits are documented in
docs/records.md ("Input limits"); change both together.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from typing import Any

from exam_assistant.errors import Problem
from exam_assistant.models import Encounter

MAX_ENCOUNTER_BYTES = 1_000_000  # an encounter with every item of every pack is ~60 kB
MAX_FINDINGS = 1_000  # the built-in packs define under 200 items
MAX_DEPTH = 12  # the deepest valid encounter is 5 levels (findings.<id>.left.criteria[0])
# Why: newline and tab are how people write paragraphs and lists; every other C0/C1 control
# character (NUL, ESC, ...) is either refused by PostgreSQL or drives a terminal.
_FREE_TEXT_KEYS = frozenset({"notes", "chief_complaint", "note"})
# Lone surrogates are refused too: they cannot be encoded as UTF-8, so PostgreSQL cannot store them.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_CONTROL_EXCEPT_LINES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")  # allows \t, \n, \r
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = re.compile(r"[\[\]{}]")

Path = tuple[str | int, ...]


class InputRefused(ValueError):
    """Raised by :func:`parse_json` for text that is too large, too deep or has NaN/Infinity."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def json_depth(text: str) -> int:
    """The deepest bracket nesting of JSON text, counted without recursion (strings ignored)."""
    depth = deepest = 0
    for bracket in _BRACKETS.findall(_JSON_STRING.sub('""', text)):
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def parse_json(text: str, source: str) -> Any:
    """Parse encounter JSON safely: size and depth are checked before the parser runs.

    NaN and Infinity parse to floats here so that :func:`structure_problems` can name the field
    that holds them. Raises InputRefused or json.JSONDecodeError for malformed text.
    """
    size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > MAX_ENCOUNTER_BYTES:
        raise InputRefused(Problem("ENC_005", source, f"the file is {size:,} bytes; the limit is {MAX_ENCOUNTER_BYTES:,}"))
    if json_depth(text) > MAX_DEPTH:
        raise InputRefused(Problem("ENC_005", source, f"the JSON is nested deeper than {MAX_DEPTH} levels"))
    return json.loads(text)


def _dotted(path: Path) -> str:
    return ".".join(str(p) for p in path) or "encounter"


def _walk(data: Any) -> Iterator[tuple[Path, Any, bool, int]]:
    """Every value with its path, whether it may hold line breaks, and its depth (no recursion)."""
    stack: list[tuple[Path, Any, bool, int]] = [((), data, False, 0)]
    while stack:
        path, value, free_text, depth = stack.pop()
        yield path, value, free_text, depth
        if isinstance(value, dict):
            text_finding = value.get("kind") == "text"
            for key, child in value.items():
                free = key in _FREE_TEXT_KEYS or (text_finding and key == "value")
                stack.append(((*path, key), child, free, depth + 1))
        elif isinstance(value, list):
            stack.extend(((*path, i), child, False, depth + 1) for i, child in enumerate(value))


def structure_problems(data: Any, source: str) -> list[Problem]:
    """Depth, non-finite numbers, control characters, number of findings: the first found only.

    Runs before the schema check, so a hostile document costs one linear pass and nothing else.
    """
    for path, value, free_text, depth in _walk(data):
        where = _dotted(path)
        if depth > MAX_DEPTH:
            return [Problem("ENC_005", source, f"nested deeper than {MAX_DEPTH} levels", where)]
        if isinstance(value, float) and not math.isfinite(value):
            return [Problem("ENC_004", source, "NaN and Infinity are not numbers an encounter can hold", where)]
        texts = [value] if isinstance(value, str) else list(value) if isinstance(value, dict) else []
        pattern = _CONTROL_EXCEPT_LINES if free_text and isinstance(value, str) else _CONTROL
        for text in texts:
            found = pattern.search(text) if isinstance(text, str) else None
            if found is not None:
                allowed = " (only newline and tab are allowed in free text)" if free_text else ""
                what = f"{where} (a key)" if isinstance(value, dict) else where
                return [Problem("ENC_004", source, f"contains the control character U+{ord(found.group()):04X}{allowed}", what)]
    findings = data.get("findings") if isinstance(data, dict) else None
    if isinstance(findings, dict) and len(findings) > MAX_FINDINGS:
        return [Problem("ENC_005", source, f"{len(findings):,} findings; the limit is {MAX_FINDINGS:,}", "findings")]
    size = len(json.dumps(data, ensure_ascii=False, default=str).encode("utf-8", errors="surrogatepass"))
    if size > MAX_ENCOUNTER_BYTES:
        return [Problem("ENC_005", source, f"the encounter is {size:,} bytes as JSON; the limit is {MAX_ENCOUNTER_BYTES:,}")]
    return []


def date_problems(encounter: Encounter, source: str) -> list[Problem]:
    """A visit cannot happen before the patient was born."""
    if encounter.visit_date < encounter.patient.date_of_birth:
        return [Problem("ENC_006", source,
                        f"the visit date {encounter.visit_date.isoformat()} is before the date of birth",
                        "patient.date_of_birth")]
    return []
