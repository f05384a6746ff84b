"""The protocol library: every valid pack, indexed, and every problem found on the way.

Packs are found by ``pack_sources``, read by ``pack_reader`` and cross-checked by
``pack_checks``; a broken pack is reported with its file, line and path and left out, and a
problem inside one rule leaves out that rule only. The others still load.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from exam_assistant.advice_policy import TierDefault
from exam_assistant.condition_guide import ConditionGuideEntry, entry_problems
from exam_assistant.errors import Problem
from exam_assistant.exercises import Exercise, exercise_problems
from exam_assistant.pack_checks import check_pack, order_rules
from exam_assistant.pack_reader import Loc, ParsedPack, line_of, loc_text, read_pack
from exam_assistant.pack_sources import PATH_ENV, PackSource, builtin_protocol_dir, pack_files, pack_folders
from exam_assistant.protocol import (
    Diagnosis,
    Item,
    Lookalike,
    ProtocolPack,
    Reference,
    Rule,
    ScoreDefinition,
)

__all__ = ["PATH_ENV", "Library", "LoadedPack", "PackSource", "build_library", "builtin_protocol_dir",
           "cached_library", "load_library", "pack_folders"]


@dataclass(frozen=True)
class LoadedPack:
    pack: ProtocolPack
    source: str
    content_hash: str


@dataclass
class Library:
    """Every valid pack, indexed; and every problem found on the way. Read-only once built."""

    packs: dict[str, LoadedPack] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    items: dict[str, Item] = field(default_factory=dict)
    item_pack: dict[str, str] = field(default_factory=dict)
    rules: dict[str, Rule] = field(default_factory=dict)
    rule_order: list[str] = field(default_factory=list)
    references: dict[str, Reference] = field(default_factory=dict)
    diagnoses: dict[str, Diagnosis] = field(default_factory=dict)
    scores: dict[str, ScoreDefinition] = field(default_factory=dict)
    lookalikes: list[Lookalike] = field(default_factory=list)
    tier_defaults: list[TierDefault] = field(default_factory=list)
    conditions: dict[str, ConditionGuideEntry] = field(default_factory=dict)
    exercises: dict[str, Exercise] = field(default_factory=dict)
    folders: list[PackSource] = field(default_factory=list)

    def ordered_packs(self) -> list[LoadedPack]:
        return sorted(self.packs.values(), key=lambda p: (p.pack.order, p.pack.id))

    def item(self, item_id: str) -> Item:
        return self.items[item_id]


def _index(parsed: Iterable[ParsedPack]) -> tuple[dict[str, Item], set[str], set[str], set[str], set[str]]:
    items: dict[str, Item] = {}
    rules: set[str] = set()
    refs: set[str] = set()
    dxs: set[str] = set()
    pack_ids: set[str] = set()
    for p in parsed:
        pack_ids.add(p.pack.id)
        for item in p.pack.items():
            items[item.id] = item
        rules.update(r.id for r in p.pack.rules)
        refs.update(r.key for r in p.pack.references)
        dxs.update(d.id for d in p.pack.diagnoses)
    return items, rules, refs, dxs, pack_ids


def _duplicates(parsed: list[ParsedPack], problems: list[Problem]) -> list[ParsedPack]:
    """Drop later packs that reuse a pack id, item id, rule id or diagnosis id, naming both sources."""
    owners: dict[str, str] = {}
    kept: list[ParsedPack] = []
    for p in parsed:
        ids = [("pack", p.pack.id)]
        ids += [("item", i.id) for i in p.pack.items()]
        ids += [("rule", r.id) for r in p.pack.rules]
        ids += [("diagnosis", d.id) for d in p.pack.diagnoses]
        ids += [("score", s.id) for s in p.pack.scores]
        local: set[tuple[str, str]] = set()
        clash = None
        for kind, ident in ids:
            key = f"{kind}:{ident}"
            if (kind, ident) in local:
                clash = f"{kind} id '{ident}' is used twice in this pack"
                break
            local.add((kind, ident))
            if key in owners:
                clash = f"{kind} id '{ident}' is already defined by {owners[key]}"
                break
        if clash:
            problems.append(Problem("PACK_004", p.source, clash))
            continue
        for kind, ident in ids:
            owners[f"{kind}:{ident}"] = p.source
        kept.append(p)
    return kept


def _left_out(lib: Library, p: ParsedPack, at: Loc, found: list[tuple[tuple[str | int, ...], str, str]],
              what: str) -> bool:
    """Report each problem of one guide part at its file and line; True when the part is left out."""
    for sub, code, message in found:
        loc: Loc = (*at, *sub)
        lib.problems.append(Problem(code, p.source, f"{message} ({what} is left out)", loc_text(loc),
                                    line_of(p.node, loc)))
    return bool(found)


def _index_exercises(lib: Library, parsed: list[ParsedPack]) -> None:
    """Home exercises, before the guide entries that name them; a bad one is left out alone."""
    for p in parsed:
        for i, exercise in enumerate(p.pack.exercises):
            found = exercise_problems(exercise, references=lib.references)
            if exercise.id in lib.exercises:
                found.append(((), "PACK_004", f"exercise '{exercise.id}' is defined twice"))
            if not _left_out(lib, p, ("exercises", i), found, "this exercise"):
                lib.exercises[exercise.id] = exercise


def _index_conditions(lib: Library, parsed: list[ParsedPack]) -> None:
    """Condition guide entries, checked against what finally loaded; a bad entry is left out alone."""
    _index_exercises(lib, parsed)
    rule_types = {rid: rule.effect.type for rid, rule in lib.rules.items()}
    for p in parsed:
        for i, entry in enumerate(p.pack.conditions):
            found = entry_problems(entry, items=lib.items, rule_types=rule_types, diagnoses=lib.diagnoses,
                                   references=lib.references, exercises=lib.exercises)
            if entry.diagnosis in lib.conditions:
                found.append(((), "PACK_004", f"diagnosis '{entry.diagnosis}' already has a condition guide entry"))
            if not _left_out(lib, p, ("conditions", i), found, "this entry"):
                lib.conditions[entry.diagnosis] = entry


def build_library(sources: Sequence[PackSource]) -> Library:
    problems: list[Problem] = []
    parsed: list[ParsedPack] = []
    for source in sources:
        if not source.path.exists():
            problems.append(Problem("PACK_008", str(source.path), f"folder named by {source.origin} does not exist"))
            continue
        for path in pack_files(source):
            p = read_pack(path, problems)
            if p is not None:
                parsed.append(p)
    parsed = _duplicates(parsed, problems)

    # A problem inside one rule leaves out that rule only, so a typo in one pack cannot silence
    # the red flags of another; any other problem leaves out the pack. Leaving something out can
    # break what relied on it, so check until nothing changes.
    while True:
        index = _index(parsed)
        changed = False
        kept: list[ParsedPack] = []
        for p in parsed:
            found = check_pack(p, *index)
            problems.extend(f.problem for f in found)
            if any(f.rule is None for f in found):
                changed = True
                continue
            bad = {f.rule for f in found}
            if bad:
                changed = True
                keep = [i for i in range(len(p.pack.rules)) if i not in bad]
                p = ParsedPack(p.pack.model_copy(update={"rules": [p.pack.rules[i] for i in keep]}), p.source, p.node,
                            p.content_hash, [p.rule_origin[i] for i in keep])
            kept.append(p)
        parsed = kept
        if not changed:
            break

    lib = Library(problems=problems, folders=list(sources))
    for p in parsed:
        lib.packs[p.pack.id] = LoadedPack(p.pack, p.source, p.content_hash)
        for item in p.pack.items():
            lib.items[item.id] = item
            lib.item_pack[item.id] = p.pack.id
        for rule in p.pack.rules:
            lib.rules[rule.id] = rule
        for ref in p.pack.references:
            lib.references.setdefault(ref.key, ref)
        for dx in p.pack.diagnoses:
            lib.diagnoses[dx.id] = dx
        for score in p.pack.scores:
            lib.scores[score.id] = score
        lib.lookalikes.extend(p.pack.lookalikes)
        if p.pack.hold_back is not None:
            lib.tier_defaults.extend(p.pack.hold_back.tier_defaults)
    order, cycle = order_rules(lib.rules)
    if cycle:
        problems.append(Problem("PACK_006", "library", f"rules refer to each other in a cycle: {', '.join(cycle)}"))
        for rid in cycle:
            del lib.rules[rid]
    lib.rule_order = order
    _index_conditions(lib, parsed)
    return lib


def load_library(extra: Sequence[Path] = ()) -> Library:
    problems: list[Problem] = []
    sources = pack_folders(extra, problems)
    lib = build_library(sources)
    lib.problems[:0] = problems
    return lib


@lru_cache(maxsize=4)
def _cached(env_value: str) -> Library:
    return load_library()


def cached_library() -> Library:
    """The library for this process, loaded once per value of EXAM_ASSISTANT_PROTOCOL_PATH."""
    return _cached(os.environ.get(PATH_ENV, ""))
