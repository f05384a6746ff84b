"""Discovery and validation of protocol packs.

Packs come from the built-in ``protocols/`` folder, from Python entry points in the group
``exam_assistant.protocols`` and from the folders in ``EXAM_ASSISTANT_PROTOCOL_PATH``.
A broken pack is reported with its file, line and path and left out; the others still load.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.resources
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from exam_assistant import conditions as cond
from exam_assistant import follow_ups
from exam_assistant.advice_policy import TierDefault
from exam_assistant.condition_guide import ConditionGuideEntry, entry_problems
from exam_assistant.errors import Problem
from exam_assistant.exercises import Exercise, exercise_problems
from exam_assistant.protocol import (
    ClusterEffect,
    ContraindicateEffect,
    DecisionEffect,
    Diagnosis,
    DifferentialEffect,
    Item,
    Lookalike,
    PointsEffect,
    ProtocolPack,
    RedFlagEffect,
    Reference,
    Rule,
    ScoreDefinition,
    SuggestProtocolEffect,
)
from exam_assistant.yaml_source import StrictLoader, read_source_bytes

PATH_ENV = "EXAM_ASSISTANT_PROTOCOL_PATH"
ENTRY_POINT_GROUP = "exam_assistant.protocols"

Loc = tuple[str | int, ...]


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


# ------------------------------------------------------------------ discovery


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


# ------------------------------------------------------------------ reading one file


def line_of(node: yaml.Node | None, loc: Loc) -> int | None:
    """The 1-based line of the YAML node at ``loc``, or of its nearest existing parent."""
    if node is None:
        return None
    line = node.start_mark.line + 1
    for part in loc:
        nxt: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if getattr(k, "value", None) == part:
                    nxt = v
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            nxt = node.value[part]
        if nxt is None:
            break
        node = nxt
        line = node.start_mark.line + 1
    return line


def loc_text(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def plain_message(err: dict[str, Any]) -> str:
    msg = str(err.get("msg", "invalid"))
    kind = err.get("type", "")
    if kind == "extra_forbidden":
        return "unknown field (check the spelling; see protocols/protocol.schema.json for the allowed fields)"
    if kind == "missing":
        return "required field is missing"
    if kind == "string_type":
        got = err.get("input")
        hint = ""
        if isinstance(got, (int, float, bool)):
            hint = f" (YAML read {got!r}; put the value in quotes, e.g. '0123' or 'no')"
        return f"expected text{hint}"
    return msg.removeprefix("Value error, ")


_EFFECT_TYPES = {"red_flag", "cluster", "decision", "points", "differential", "imaging", "treatment",
                 "suggest_protocol", "contraindicate", "flag"}


def clean_loc(loc: tuple[Any, ...]) -> Loc:
    # drop pydantic's union/tag markers so the path reads like the YAML document
    skip = {"all", "any", "not", "count", "item", "patient", "rule"}
    out: list[str | int] = []
    for i, part in enumerate(loc):
        if isinstance(part, str) and part in skip and i > 0 and not isinstance(loc[i - 1], str):
            continue
        if i > 0 and loc[i - 1] == "effect" and part in _EFFECT_TYPES:
            continue
        if isinstance(part, str) and ("[" in part or "function-" in part):
            continue
        if isinstance(part, (str, int)):
            out.append(part)
    return tuple(out)


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _parse(text: str) -> tuple[yaml.Node | None, Any]:
    """One parse giving both the node tree (for line numbers) and the data."""
    loader = StrictLoader(text)  # a duplicate key is an error, not a silent replacement
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return node, data


@dataclass
class _Parsed:
    pack: ProtocolPack
    source: str
    node: yaml.Node | None
    content_hash: str
    rule_origin: list[int] = field(default_factory=list)  # position in the file of each kept rule

    def __post_init__(self) -> None:
        if not self.rule_origin:
            self.rule_origin = list(range(len(self.pack.rules)))


@dataclass(frozen=True)
class _Found:
    problem: Problem
    rule: int | None  # the rule (current position) the problem is confined to, if any


M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class YamlCodes:
    """The error codes a document family uses for: unreadable file, YAML syntax, schema."""

    read: str
    syntax: str
    schema: str
    what: str  # "a protocol pack", "a case"
    schema_hint: str = "protocols/protocol.schema.json"


def read_yaml_model(
    path: Path, model: type[M], problems: list[Problem], codes: YamlCodes
) -> tuple[M, yaml.Node | None, bytes] | None:
    """Read one YAML document into ``model``; located, plain-words problems instead of exceptions."""
    source = str(path)
    try:
        raw = read_source_bytes(path)  # regular files in their folder, under a size limit
    except OSError as exc:
        problems.append(Problem(codes.read, source, f"could not be read: {exc.strerror or exc}"))
        return None
    text = raw.decode("utf-8", errors="replace")
    try:
        node, data = _parse(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        problems.append(Problem(codes.syntax, source, f"YAML syntax error: {problem}", line=line))
        return None
    if not isinstance(data, dict):
        problems.append(Problem(codes.schema, source, f"{codes.what} must be a YAML mapping (key: value)", line=1))
        return None
    try:
        return model.model_validate(data), node, raw
    except ValidationError as exc:
        for err in exc.errors():
            loc = clean_loc(err["loc"])
            message = plain_message(dict(err)).replace("protocols/protocol.schema.json", codes.schema_hint)
            problems.append(Problem(codes.schema, source, message, loc_text(loc), line_of(node, loc)))
        return None


PACK_CODES = YamlCodes(read="PACK_008", syntax="PACK_001", schema="PACK_002", what="a protocol pack")


def read_pack(path: Path, problems: list[Problem]) -> _Parsed | None:
    read = read_yaml_model(path, ProtocolPack, problems, PACK_CODES)
    if read is None:
        return None
    pack, node, raw = read
    source = str(path)
    return _Parsed(pack, source, node, hashlib.sha256(raw).hexdigest())


# ------------------------------------------------------------------ cross-pack checks


_STATUS_FOR: dict[str, set[str]] = {
    "yes_no": {"yes", "no", "unknown", "answered", "not_answered"},
    "sided_test": {"positive", "negative", "tested", "not_tested", "could_not_complete"},
    "number": {"answered", "not_answered"},
    "choice": {"answered", "not_answered"},
    "multi_choice": {"answered", "not_answered"},
    "mrc": {"tested", "not_tested", "normal", "abnormal"},
    "reflex": {"tested", "not_tested", "normal", "abnormal", "reduced", "absent", "brisk"},
    "sensation": {"tested", "not_tested", "normal", "abnormal", "reduced", "absent"},
    "text": {"answered", "not_answered"},
}


def _conditions_of(pack: ProtocolPack) -> Iterator[tuple[Loc, cond.Condition]]:
    if pack.suggested_when is not None:
        yield ("suggested_when",), pack.suggested_when
    for i, rule in enumerate(pack.rules):
        yield ("rules", i, "when"), rule.when
        eff = rule.effect
        if isinstance(eff, ClusterEffect):
            if eff.positive_when is not None:
                yield ("rules", i, "effect", "positive_when"), eff.positive_when
            for j, ci in enumerate(eff.items):
                yield ("rules", i, "effect", "items", j, "when"), ci.when
                if ci.tested is not None:
                    yield ("rules", i, "effect", "items", j, "tested"), ci.tested
        elif isinstance(eff, PointsEffect):
            for j, cat in enumerate(eff.categories):
                yield ("rules", i, "effect", "categories", j, "when"), cat.when
        elif isinstance(eff, DecisionEffect) and eff.applies_when is not None:
            yield ("rules", i, "effect", "applies_when"), eff.applies_when


def _cited_keys(pack: ProtocolPack) -> Iterator[tuple[Loc, str]]:
    for si, section in enumerate(pack.sections):
        for ii, item in enumerate(section.items):
            base: Loc = ("sections", si, "items", ii)
            for key in item.references:
                yield (*base, "references"), key
            for ei, ev in enumerate(item.evidence):
                for key in ev.references:
                    yield (*base, "evidence", ei, "references"), key
    for i, rule in enumerate(pack.rules):
        for key in rule.references:
            yield ("rules", i, "references"), key
    for i, dx in enumerate(pack.diagnoses):
        for key in dx.references:
            yield ("diagnoses", i, "references"), key
    for i, score in enumerate(pack.scores):
        for key in score.references:
            yield ("scores", i, "references"), key
    for i, la in enumerate(pack.lookalikes):
        for key in la.references:
            yield ("lookalikes", i, "references"), key
    if pack.hold_back is not None:
        for key in pack.hold_back.references:
            yield ("hold_back", "references"), key


def _check_condition(
    c: cond.Condition, loc: Loc, items: dict[str, Item], rules: set[str], problem: Any
) -> None:
    for node in cond.walk(c):
        if isinstance(node, cond.RuleCondition) and node.rule not in rules:
            problem("PACK_006", loc, f"refers to rule '{node.rule}', which no loaded pack defines")
        if not isinstance(node, cond.ItemCondition):
            continue
        item = items.get(node.item)
        if item is None:
            problem("PACK_003", loc, f"refers to item '{node.item}', which no loaded pack defines")
            continue
        if node.is_ is not None and node.is_ not in _STATUS_FOR[item.answer]:
            allowed = ", ".join(sorted(_STATUS_FOR[item.answer]))
            problem("PACK_007", loc, f"'is: {node.is_}' does not apply to '{item.id}' ({item.answer}); use one of {allowed}")
        if node.side != "any" and not item.sided:
            problem("PACK_007", loc, f"'side: {node.side}' given for '{item.id}', which has no sides")
        values = {o.value for o in item.options}
        for v in [node.equals, node.contains, *(node.in_ or [])]:
            if v is not None and values and item.answer in ("choice", "multi_choice") and v not in values:
                problem("PACK_007", loc, f"'{v}' is not an option of '{item.id}' (options: {', '.join(sorted(values))})")
        if node.criterion_in:
            known = {cr.value for cr in item.criteria}
            for v in node.criterion_in:
                if v not in known:
                    problem("PACK_007", loc, f"criterion '{v}' is not defined for '{item.id}'")


_PARENT_VALUES: dict[str, set[str]] = {
    "yes_no": {"yes", "no"},
    "sided_test": {"positive", "negative", "could_not_complete"},
}


def _check_follow_ups(pack: ProtocolPack, items: dict[str, Item], problem: Any) -> None:
    """A follow-up names an earlier item of its own pack that can be answered so as to show it."""
    earlier: set[str] = set()
    for si, section in enumerate(pack.sections):
        for ii, item in enumerate(section.items):
            base: Loc = ("sections", si, "items", ii)
            parent_id = item.follow_up_of
            if parent_id is not None:
                parent = items.get(parent_id)
                if parent is None:
                    problem("PACK_003", (*base, "follow_up_of"),
                            f"'{item.id}' is a follow-up of item '{parent_id}', which no loaded pack defines")
                elif parent_id not in earlier:
                    problem("PACK_007", (*base, "follow_up_of"),
                            f"'{item.id}' is a follow-up of '{parent_id}', which is not an earlier item of this pack "
                            "(a follow-up is drawn just after its parent)")
                elif parent.answer not in follow_ups.PARENT_ANSWERS:
                    problem("PACK_007", (*base, "follow_up_of"),
                            f"'{item.id}' follows '{parent_id}' ({parent.answer}); a parent must be a yes/no, choice "
                            "or multi-choice question or a sided test")
                else:
                    allowed = _PARENT_VALUES.get(parent.answer) or {o.value for o in parent.options}
                    wanted = item.shown_when or follow_ups.DEFAULT_SHOWN.get(parent.answer)
                    if not wanted:
                        problem("PACK_007", (*base, "follow_up_of"),
                                f"'{item.id}' needs shown_when: the options of '{parent_id}' that show it")
                    for value in item.shown_when or []:
                        if value not in allowed:
                            problem("PACK_007", (*base, "shown_when"),
                                    f"'{value}' is not an answer of '{parent_id}' (answers: {', '.join(sorted(allowed))})")
            earlier.add(item.id)


def _check_pack(
    parsed: _Parsed,
    items: dict[str, Item],
    rules: set[str],
    refs: set[str],
    diagnoses: set[str],
    pack_ids: set[str],
) -> list[_Found]:
    out: list[_Found] = []
    pack = parsed.pack

    def problem(code: str, loc: Loc, message: str) -> None:
        rule: int | None = None
        if len(loc) > 1 and loc[0] == "rules" and isinstance(loc[1], int):
            rule = loc[1]
            loc = ("rules", parsed.rule_origin[rule], *loc[2:])
            message += " (this rule is left out; the rest of the pack still loads)"
        out.append(_Found(Problem(code, parsed.source, message, loc_text(loc), line_of(parsed.node, loc)), rule))

    for loc, c in _conditions_of(pack):
        _check_condition(c, loc, items, rules, problem)
    _check_follow_ups(pack, items, problem)
    for loc, key in _cited_keys(pack):
        if key not in refs:
            problem("PACK_005", loc, f"cites reference '{key}', which no loaded pack defines")
    for i, rule in enumerate(pack.rules):
        eff = rule.effect
        loc = ("rules", i, "effect")
        if isinstance(eff, ContraindicateEffect):
            for item_id in eff.items:
                if item_id not in items:
                    problem("PACK_003", loc, f"contraindicates item '{item_id}', which no loaded pack defines")
        if isinstance(eff, DifferentialEffect) and eff.diagnosis not in diagnoses:
            problem("PACK_003", loc, f"weights diagnosis '{eff.diagnosis}', which no loaded pack defines")
        if isinstance(eff, RedFlagEffect):
            for dx in eff.suggests:
                if dx not in diagnoses:
                    problem("PACK_003", loc, f"suggests diagnosis '{dx}', which no loaded pack defines")
        if isinstance(eff, ClusterEffect) and eff.target not in diagnoses:
            problem("PACK_003", loc, f"cluster target '{eff.target}' is not a defined diagnosis")
        if isinstance(eff, SuggestProtocolEffect) and eff.protocol not in pack_ids:
            problem("PACK_003", loc, f"suggests protocol '{eff.protocol}', which is not loaded")
    for i, score in enumerate(pack.scores):
        for item_id in score.items:
            if item_id not in items:
                problem("PACK_003", ("scores", i, "items"), f"score uses item '{item_id}', which no loaded pack defines")
    return out


def _rule_order(rules: dict[str, Rule]) -> tuple[list[str], list[str]]:
    """Rules sorted so every rule comes after the rules it refers to; and any left in a cycle."""
    deps = {rid: cond.rule_ids(r.when) & set(rules) for rid, r in rules.items()}
    for rid, r in rules.items():
        eff = r.effect
        if isinstance(eff, ClusterEffect):
            for ci in eff.items:
                deps[rid] |= cond.rule_ids(ci.when) & set(rules)
            if eff.positive_when is not None:
                deps[rid] |= cond.rule_ids(eff.positive_when) & set(rules)
        if isinstance(eff, PointsEffect):
            for cat in eff.categories:
                deps[rid] |= cond.rule_ids(cat.when) & set(rules)
        if isinstance(eff, DecisionEffect) and eff.applies_when is not None:
            deps[rid] |= cond.rule_ids(eff.applies_when) & set(rules)
    order: list[str] = []
    done: set[str] = set()
    pending = dict(deps)
    while pending:
        ready = sorted(rule_id for rule_id, needs in pending.items() if needs <= done)
        if not ready:
            return order, sorted(pending)
        for rule_id in ready:
            order.append(rule_id)
            done.add(rule_id)
            del pending[rule_id]
    return order, []


def _index(parsed: Iterable[_Parsed]) -> tuple[dict[str, Item], set[str], set[str], set[str], set[str]]:
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


def _duplicates(parsed: list[_Parsed], problems: list[Problem]) -> list[_Parsed]:
    """Drop later packs that reuse a pack id, item id, rule id or diagnosis id, naming both sources."""
    owners: dict[str, str] = {}
    kept: list[_Parsed] = []
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


def _left_out(lib: Library, p: _Parsed, at: Loc, found: list[tuple[tuple[str | int, ...], str, str]],
              what: str) -> bool:
    """Report each problem of one guide part at its file and line; True when the part is left out."""
    for sub, code, message in found:
        loc: Loc = (*at, *sub)
        lib.problems.append(Problem(code, p.source, f"{message} ({what} is left out)", loc_text(loc),
                                    line_of(p.node, loc)))
    return bool(found)


def _index_exercises(lib: Library, parsed: list[_Parsed]) -> None:
    """Home exercises, before the guide entries that name them; a bad one is left out alone."""
    for p in parsed:
        for i, exercise in enumerate(p.pack.exercises):
            found = exercise_problems(exercise, references=lib.references)
            if exercise.id in lib.exercises:
                found.append(((), "PACK_004", f"exercise '{exercise.id}' is defined twice"))
            if not _left_out(lib, p, ("exercises", i), found, "this exercise"):
                lib.exercises[exercise.id] = exercise


def _index_conditions(lib: Library, parsed: list[_Parsed]) -> None:
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
    parsed: list[_Parsed] = []
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
        kept: list[_Parsed] = []
        for p in parsed:
            found = _check_pack(p, *index)
            problems.extend(f.problem for f in found)
            if any(f.rule is None for f in found):
                changed = True
                continue
            bad = {f.rule for f in found}
            if bad:
                changed = True
                keep = [i for i in range(len(p.pack.rules)) if i not in bad]
                p = _Parsed(p.pack.model_copy(update={"rules": [p.pack.rules[i] for i in keep]}), p.source, p.node,
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
    order, cycle = _rule_order(lib.rules)
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
