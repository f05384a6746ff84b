"""Where protocol packs come from: the built-in folder, plugins' entry points, and the folders
named in ``EXAM_ASSISTANT_PROTOCOL_PATH`` (decision 2)."""

from __future__ import annotations

import importlib.metadata
import importlib.resources
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from exam_assistant.errors import Problem

PATH_ENV = "EXAM_ASSISTANT_PROTOCOL_PATH"
ENTRY_POINT_GROUP = "exam_assistant.protocols"


def builtin_protocol_dir() -> Path:
    """The built-in packs: ``protocols/`` in a checkout, ``exam_assistant/_protocols`` in a wheel."""
    checkout = Path(__file__).resolve().parent.parent / "protocols"
    if (checkout / "protocol.schema.json").exists():
        return checkout
    return Path(str(importlib.resources.files("exam_assistant") / "_protocols"))


@dataclass(frozen=True)
class PackSource:
    path: Path
    origin: str  # "builtin", "entry point NAME", or "EXAM_ASSISTANT_PROTOCOL_PATH"

def _entry_point_dirs(problems: list[Problem]) -> Iterator[PackSource]:
    for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        try:
            target: Any = ep.load()
            if callable(target) and not isinstance(target, ModuleType):
                target = target()
            if isinstance(target, ModuleType):
                target = Path(str(importlib.resources.files(target)))
            yield PackSource(Path(target), f"entry point {ep.name}")
        except Exception as exc:  # a broken plugin must not take the app down
            problems.append(Problem("PACK_009", f"entry point {ep.name}", f"could not be loaded: {exc}"))


def pack_folders(extra: Sequence[Path] = (), problems: list[Problem] | None = None) -> list[PackSource]:
    """Folders (or single files) to read packs from, built-in first."""
    problems = problems if problems is not None else []
    found = [PackSource(builtin_protocol_dir(), "builtin")]
    found.extend(_entry_point_dirs(problems))
    for part in os.environ.get(PATH_ENV, "").split(os.pathsep):
        if part.strip():
            found.append(PackSource(Path(part.strip()), PATH_ENV))
    found.extend(PackSource(Path(p), "argument") for p in extra)
    return found


def pack_files(source: PackSource) -> list[Path]:
    if source.path.is_file():
        return [source.path]
    if not source.path.is_dir():
        return []
    return sorted(p for p in source.path.glob("*.y*ml") if p.suffix in (".yaml", ".yml"))


