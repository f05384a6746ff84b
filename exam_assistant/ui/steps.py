"""The steps of the guided examination, worked out from the library and the encounter.

No Streamlit here. Steps: patient and visit -> history (red-flag screen first) -> choice of
protocols -> one panel per chosen protocol (trauma first, by pack order) -> summary -> finish.
"""

from __future__ import annotations

from dataclasses import dataclass

from exam_assistant import conditions as cond
from exam_assistant.engine.assessment import Assessment
from exam_assistant.engine.evaluate import Facts, evaluate
from exam_assistant.library import Library, LoadedPack
from exam_assistant.models import Encounter, ProtocolUse
from exam_assistant.protocol import Item, RedFlagEffect, Section

PATIENT = "patient"
HISTORY = "history"
PROTOCOLS = "protocols"
SUMMARY = "summary"
FINISH = "finish"
EXAM_PREFIX = "exam."
ALWAYS_KINDS = ("history", "screening")


@dataclass(frozen=True)
class Step:
    id: str
    title: str
    pack: str | None = None


def history_packs(lib: Library) -> list[LoadedPack]:
    """Packs asked of every patient in the history step (history and screening packs that no
    condition has to suggest), lowest ``order`` first, so the red-flag screen comes first."""
    return [
        p for p in lib.ordered_packs()
        if p.pack.kind in ALWAYS_KINDS and p.pack.suggested_when is None and p.pack.sections
    ]


def optional_packs(lib: Library) -> list[LoadedPack]:
    """Packs with sections that the clinician chooses (examination, scores, trauma ...)."""
    always = {p.pack.id for p in history_packs(lib)}
    return [
        p for p in lib.ordered_packs()
        if p.pack.sections and p.pack.kind != "cases" and p.pack.id not in always
    ]


def _red_flag_item_ids(lib: Library) -> set[str]:
    """Every item a red-flag rule reads, following {rule: ...} references to other rules."""
    seen_rules: set[str] = set()
    items: set[str] = set()
    todo = [r.id for r in lib.rules.values() if isinstance(r.effect, RedFlagEffect)]
    while todo:
        rule_id = todo.pop()
        if rule_id in seen_rules or rule_id not in lib.rules:
            continue
        seen_rules.add(rule_id)
        rule = lib.rules[rule_id]
        items |= cond.item_ids(rule.when)
        todo.extend(cond.rule_ids(rule.when))
    return items


_RED_FLAG_ITEMS: dict[int, tuple[Library, frozenset[str]]] = {}


def red_flag_item_ids(lib: Library) -> frozenset[str]:
    """:func:`_red_flag_item_ids`, worked out once per library (a library is read-only once built)."""
    cached = _RED_FLAG_ITEMS.get(id(lib))
    if cached is None or cached[0] is not lib:
        if len(_RED_FLAG_ITEMS) > 8:
            _RED_FLAG_ITEMS.clear()
        cached = _RED_FLAG_ITEMS[id(lib)] = (lib, frozenset(_red_flag_item_ids(lib)))
    return cached[1]


def red_flag_screen(lib: Library) -> list[Item]:
    """The red-flag screen asked first: the history-step items that any red-flag rule reads, in
    pack order (bedside red-flag checks, then the history questions)."""
    wanted = red_flag_item_ids(lib)
    return [item for p in history_packs(lib) for item in p.pack.items() if item.id in wanted]


def history_sections(lib: Library) -> list[tuple[Section, list[Item]]]:
    """The rest of the history step: each section with the items not already in the red-flag
    screen (sections left empty are dropped)."""
    screened = {item.id for item in red_flag_screen(lib)}
    out: list[tuple[Section, list[Item]]] = []
    for p in history_packs(lib):
        for section in p.pack.sections:
            rest = [item for item in section.items if item.id not in screened]
            if rest:
                out.append((section, rest))
    return out


def chosen_packs(encounter: Encounter, lib: Library) -> list[LoadedPack]:
    """The optional packs the encounter uses, in examination order (lowest ``order`` first)."""
    used = {p.id for p in encounter.protocols}
    return [p for p in optional_packs(lib) if p.pack.id in used]


def steps_for(encounter: Encounter | None, lib: Library) -> list[Step]:
    steps = [Step(PATIENT, "Patient")]
    if encounter is None:
        return steps
    steps += [Step(HISTORY, "History"), Step(PROTOCOLS, "Protocols")]
    steps += [Step(EXAM_PREFIX + p.pack.id, p.pack.title, p.pack.id) for p in chosen_packs(encounter, lib)]
    steps += [Step(SUMMARY, "Summary"), Step(FINISH, "Finish")]
    return steps


def protocol_use(loaded: LoadedPack) -> ProtocolUse:
    return ProtocolUse(id=loaded.pack.id, version=loaded.pack.version, content_hash=loaded.content_hash)


def with_protocols(encounter: Encounter, lib: Library, chosen: set[str]) -> Encounter:
    """The encounter recording every pack it uses: the always-on ones and the ``chosen`` optional ones."""
    optional = {p.pack.id for p in optional_packs(lib)}
    uses = [
        protocol_use(p) for p in lib.ordered_packs()
        if p.pack.kind != "cases" and (p.pack.id not in optional or p.pack.id in chosen)
    ]
    return encounter.model_copy(update={"protocols": uses})


@dataclass(frozen=True)
class Suggestion:
    pack: str
    reasons: tuple[str, ...]


def suggestions(encounter: Encounter, assessment: Assessment, lib: Library) -> list[Suggestion]:
    """Optional packs suggested by the assessment's rules or by the pack's own ``suggested_when``,
    in examination order (so trauma comes before anything else)."""
    reasons: dict[str, list[str]] = {}
    for s in assessment.suggested_protocols:
        reasons.setdefault(s.protocol, []).append(s.why)
    facts = Facts(encounter, lib.items)
    for p in optional_packs(lib):
        when = p.pack.suggested_when
        if p.pack.id not in reasons and when is not None and evaluate(when, facts) is True:
            reasons[p.pack.id] = ["Suggested by the history recorded so far."]
    return [
        Suggestion(p.pack.id, tuple(dict.fromkeys(reasons[p.pack.id])))
        for p in optional_packs(lib) if p.pack.id in reasons
    ]


def step_index(steps: list[Step], step_id: str | None) -> int:
    """Position of ``step_id`` in ``steps``; an unknown or vanished step falls back to history
    (or to the patient step before the encounter exists)."""
    ids = [s.id for s in steps]
    if step_id in ids:
        return ids.index(step_id)
    return ids.index(HISTORY) if HISTORY in ids else 0
