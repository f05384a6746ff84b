"""Discovery and validation of practice cases.

Cases live in ``<folder>/cases/*.yaml`` for every folder the protocol library reads
(``exam_assistant.library.pack_folders()``), so a teacher's folder on
``EXAM_ASSISTANT_PROTOCOL_PATH`` adds cases. A broken case is reported with its file, line
and path and left out; the others still load. A case is checked against the loaded library:
item ids and finding kinds, diagnosis and red-flag rule ids, and reference keys.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from exam_assistant.errors import CODES, Problem
from exam_assistant.library import Library
from exam_assistant.pack_reader import (  # the pack loader's located-error helpers, reused as is
    Loc,
    YamlCodes,
    line_of,
    loc_text,
    read_yaml_model,
)
from exam_assistant.pack_sources import PackSource, pack_folders
from exam_assistant.practice.case import (
    AskedCheck,
    AvoidedCheck,
    Case,
    PerformedCheck,
    matches,
)
from exam_assistant.practice.evidence import derived_effect, interpretation_target
from exam_assistant.protocol import RedFlagEffect
from exam_assistant.validation import finding_problems

CASES_FOLDER = "cases"

CASE_CODES: dict[str, str] = {k: v for k, v in CODES.items() if k.startswith("CASE_")}

INTERPRETABLE = ("sided_test", "yes_no", "mrc", "reflex", "sensation")


@dataclass(frozen=True)
class LoadedCase:
    case: Case
    source: str


@dataclass
class CaseLibrary:
    """Every valid case, by id, and every problem found on the way."""

    cases: dict[str, LoadedCase] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def ordered(self) -> list[LoadedCase]:
        rank = {"foundation": 0, "intermediate": 1, "advanced": 2}
        return sorted(self.cases.values(), key=lambda c: (rank[c.case.level], c.case.title))

    def get(self, case_id: str) -> Case | None:
        loaded = self.cases.get(case_id)
        return loaded.case if loaded else None


def case_files(source: PackSource) -> list[Path]:
    """The case files of one library folder: ``<folder>/cases/*.yaml`` (none for a single pack file)."""
    folder = source.path / CASES_FOLDER
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


@dataclass
class _Parsed:
    case: Case
    source: str
    node: yaml.Node | None


CASE_YAML = YamlCodes(read="CASE_008", syntax="CASE_001", schema="CASE_002", what="a case",
                     schema_hint="the case schema")


def read_case(path: Path, problems: list[Problem]) -> _Parsed | None:
    """Parse one case file against the schema; located problems instead of exceptions."""
    read = read_yaml_model(path, Case, problems, CASE_YAML)
    if read is None:
        return None
    case, node, _raw = read
    return _Parsed(case, str(path), node)


# ------------------------------------------------------------------ checks against the library


def _item_refs(case: Case) -> Iterator[tuple[Loc, str]]:
    ka = case.key_actions
    for i, item_id in enumerate(ka.must_ask):
        yield ("key_actions", "must_ask", i), item_id
    for i, item_id in enumerate(ka.must_do):
        yield ("key_actions", "must_do", i), item_id
    for i, unsafe in enumerate(ka.unsafe):
        yield ("key_actions", "unsafe", i, "item"), unsafe.item
    for i, entry in enumerate(case.marking.checklist):
        chk = entry.check
        if isinstance(chk, (AskedCheck, PerformedCheck, AvoidedCheck)):
            for j, item_id in enumerate(chk.items):
                yield ("marking", "checklist", i, "check", "items", j), item_id
    for key in case.responses:
        yield ("responses", key), key


def case_problems(case: Case, lib: Library, source: str, node: yaml.Node | None = None) -> list[Problem]:
    """Everything in a schema-valid case that the loaded library cannot support."""
    out: list[Problem] = []

    def problem(code: str, loc: Loc, message: str) -> None:
        out.append(Problem(code, source, message, loc_text(loc), line_of(node, loc)))

    for item_id, finding in case.findings.items():
        item = lib.items.get(item_id)
        if item is None:
            problem("CASE_003", ("findings", item_id), f"finding for item '{item_id}', which no loaded pack defines")
            continue
        for message in finding_problems(item, finding):
            problem("CASE_004", ("findings", item_id), message)
    for loc, item_id in _item_refs(case):
        if item_id not in lib.items:
            problem("CASE_003", loc, f"names item '{item_id}', which no loaded pack defines")
    for i, pattern in enumerate(case.key_actions.reasonable):
        if not any(matches(pattern, item_id) for item_id in lib.items):
            problem("CASE_003", ("key_actions", "reasonable", i), f"'{pattern}' matches no item of the loaded packs")

    exp = case.expected
    named: list[tuple[Loc, str]] = [(("expected", "diagnosis"), exp.diagnosis)]
    named += [(("expected", "differential", i), d) for i, d in enumerate(exp.differential)]
    for where, dx in named:
        if dx not in lib.diagnoses:
            problem("CASE_003", where, f"diagnosis '{dx}' is not defined by any loaded pack")
    for i, rule_id in enumerate(exp.red_flags):
        rule = lib.rules.get(rule_id)
        if rule is None:
            problem("CASE_003", ("expected", "red_flags", i), f"red-flag rule '{rule_id}' is not defined by any loaded pack")
        elif not isinstance(rule.effect, RedFlagEffect):
            problem("CASE_007", ("expected", "red_flags", i), f"rule '{rule_id}' is a {rule.effect.type} rule, not a red flag")
    for i, interp in enumerate(exp.interpretations):
        loc = ("expected", "interpretations", i)
        item = lib.items.get(interp.item)
        if item is None:
            problem("CASE_003", (*loc, "item"), f"item '{interp.item}' is not defined by any loaded pack")
            continue
        if item.answer not in INTERPRETABLE:
            problem("CASE_007", (*loc, "item"), f"'{interp.item}' is a {item.answer} item; only tests and signs can be interpreted")
        if interp.item not in case.findings:
            problem("CASE_007", (*loc, "item"), f"'{interp.item}' is interpreted but the case gives no finding for it")
        target = interpretation_target(interp, item, exp.diagnosis)
        if target not in lib.diagnoses:
            problem("CASE_003", (*loc, "target"), f"diagnosis '{target}' is not defined by any loaded pack")
        if interp.effect is None and derived_effect(item, target, case.findings.get(interp.item),
                                                    interp.side or _side_of(case)) is None:
            problem("CASE_007", loc, f"the library has no likelihood figure for '{interp.item}' and {target}; "
                                     "give 'effect' in the case")

    for loc, key in _cited_keys(case):
        if key not in lib.references:
            problem("CASE_005", loc, f"cites reference '{key}', which no loaded pack defines")
    return out


def _side_of(case: Case) -> str:
    side = case.expected.side
    return side if side in ("left", "right") else "any"


def _cited_keys(case: Case) -> Iterator[tuple[Loc, str]]:
    for i, key in enumerate(case.references):
        yield ("references", i), key
    for i, entry in enumerate(case.marking.checklist):
        for key in entry.references:
            yield ("marking", "checklist", i, "references"), key


# ------------------------------------------------------------------ discovery


def build_cases(sources: Sequence[PackSource], lib: Library) -> CaseLibrary:
    """Read, validate and index the cases of every folder; a duplicate id keeps the first."""
    result = CaseLibrary()
    owners: dict[str, str] = {}
    for source in sources:
        if not source.path.is_dir():
            continue  # the library already reports a missing folder
        for path in case_files(source):
            parsed = read_case(path, result.problems)
            if parsed is None:
                continue
            found = case_problems(parsed.case, lib, parsed.source, parsed.node)
            if found:
                result.problems.extend(found)
                continue
            if parsed.case.id in owners:
                result.problems.append(Problem("CASE_006", parsed.source,
                                               f"case id '{parsed.case.id}' is already used by {owners[parsed.case.id]}",
                                               "id", line_of(parsed.node, ("id",))))
                continue
            owners[parsed.case.id] = parsed.source
            result.cases[parsed.case.id] = LoadedCase(parsed.case, parsed.source)
    return result


def load_cases(lib: Library, extra: Sequence[Path] = ()) -> CaseLibrary:
    """Every case found next to the packs the library reads (built-in, entry points, path folders)."""
    return build_cases(pack_folders(extra), lib)
