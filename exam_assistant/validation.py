"""Checks of an encounter against the loaded library: ids, kinds, ranges, options."""

from __future__ import annotations

import errno
import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from exam_assistant.errors import Problem
from exam_assistant.input_limits import (
    MAX_ENCOUNTER_BYTES,
    InputRefused,
    date_problems,
    parse_json,
    structure_problems,
)
from exam_assistant.library import Library
from exam_assistant.models import (
    Choice,
    Encounter,
    Finding,
    MultiChoice,
    Number,
    SidedTest,
    Text,
)
from exam_assistant.protocol import Item

KIND_FOR_ANSWER = {
    "yes_no": "yes_no",
    "sided_test": "sided_test",
    "number": "number",
    "choice": "choice",
    "multi_choice": "multi_choice",
    "mrc": "mrc",
    "reflex": "reflex",
    "sensation": "sensation",
    "text": "text",
}


def finding_problems(item: Item, finding: Finding) -> list[str]:
    """Why this finding does not fit its item, in words a clinician understands (empty if it fits)."""
    expected = KIND_FOR_ANSWER[item.answer]
    if finding.kind != expected:
        return [f"{item.label}: expected a {expected.replace('_', ' ')} answer, got {finding.kind.replace('_', ' ')}"]
    out: list[str] = []
    if isinstance(finding, Number):
        lo, hi = item.minimum, item.maximum
        if lo is not None and hi is not None and not lo <= finding.value <= hi:
            unit = f" {item.unit}" if item.unit else ""
            out.append(f"{item.label} must be between {lo:g} and {hi:g}{unit} (got {finding.value:g})")
        if item.integer and finding.value != int(finding.value):
            out.append(f"{item.label} must be a whole number (got {finding.value:g})")
    options = {o.value for o in item.options}
    if isinstance(finding, Choice) and finding.value not in options:
        out.append(f"{item.label}: '{finding.value}' is not one of the choices ({', '.join(sorted(options))})")
    if isinstance(finding, MultiChoice):
        for v in finding.values:
            if v not in options:
                out.append(f"{item.label}: '{v}' is not one of the choices ({', '.join(sorted(options))})")
    if isinstance(finding, SidedTest):
        known = {cr.value for cr in item.criteria}
        for side in ("left", "right"):
            for crit in getattr(finding, side).criteria:
                if crit not in known:
                    allowed = ", ".join(sorted(known)) or "none defined"
                    out.append(f"{item.label} ({side}): '{crit}' is not a criterion of this test ({allowed})")
    if isinstance(finding, Text) and len(finding.value) > item.max_length:
        out.append(f"{item.label}: text is {len(finding.value)} characters; the limit is {item.max_length}")
    return out


def library_problems(encounter: Encounter, library: Library, source: str = "encounter") -> list[Problem]:
    problems: list[Problem] = []
    for item_id, finding in encounter.findings.items():
        item = library.items.get(item_id)
        if item is None:
            problems.append(Problem("ENC_002", source, f"finding for unknown item id '{item_id}'; no loaded protocol defines it",
                                    f"findings.{item_id}"))
            continue
        for message in finding_problems(item, finding):
            problems.append(Problem("ENC_003", source, message, f"findings.{item_id}"))
    return problems


def schema_problems(data: Any, source: str) -> tuple[Encounter | None, list[Problem]]:
    try:
        return Encounter.model_validate(data), []
    except ValidationError as exc:
        out = []
        for err in exc.errors():
            loc = ".".join(str(p) for p in err["loc"])
            msg = str(err["msg"]).removeprefix("Value error, ")
            out.append(Problem("ENC_001", source, msg, loc))
        return None, out


def encounter_problems(data: Any, library: Library, source: str = "encounter") -> tuple[Encounter | None, list[Problem]]:
    """Every check an encounter passes before it is accepted, in order: structure (depth, NaN,
    control characters, sizes), schema, dates, then the loaded library (item ids, ranges, options).

    The one definition of "valid" for ``encounter validate``, ``encounters save``, the app and
    the store.
    """
    problems = structure_problems(data, source)
    if problems:
        return None, problems
    encounter, problems = schema_problems(data, source)
    if encounter is None:
        return None, problems
    return encounter, date_problems(encounter, source) + library_problems(encounter, library, source)


def read_encounter_text(path: Path) -> str:
    """The file's text, refusing anything but a regular file under the size limit (no FIFO hang)."""
    if not path.is_file():  # checked before open(): opening a FIFO would block
        raise OSError(errno.EINVAL, "not a regular file")
    with path.open("rb") as handle:
        raw = handle.read(MAX_ENCOUNTER_BYTES + 1)
    if len(raw) > MAX_ENCOUNTER_BYTES:
        raise InputRefused(Problem("ENC_005", str(path), f"the file is over the {MAX_ENCOUNTER_BYTES:,}-byte limit"))
    return raw.decode("utf-8")


def load_encounter(path: Path, library: Library) -> tuple[Encounter | None, list[Problem]]:
    """Read, parse and check an encounter JSON file; problems instead of exceptions."""
    source = str(path)
    try:
        data = parse_json(read_encounter_text(path), source)
    except InputRefused as exc:
        return None, [exc.problem]
    except OSError as exc:
        return None, [Problem("ENC_001", source, f"could not be read: {exc.strerror or exc}")]
    except UnicodeDecodeError:
        return None, [Problem("ENC_001", source, "not UTF-8 text")]
    except json.JSONDecodeError as exc:
        return None, [Problem("ENC_001", source, f"not valid JSON: {exc.msg}", line=exc.lineno)]
    return encounter_problems(data, library, source)
