"""Sorting an encounter's findings into the parts of the note, in protocol order.

Nothing recorded is left out: a finding whose item no loaded protocol defines is listed
under "other findings" with its id.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from exam_assistant.engine.describe import RESULT_TEXT
from exam_assistant.library import Library
from exam_assistant.models import Encounter, Finding, SidedTest, SideResult, YesNo
from exam_assistant.previsit.confirm import marked, pending
from exam_assistant.protocol import LEVELS, Item


@dataclass
class Sorted:
    history: list[tuple[str, Item | None, Finding]] = field(default_factory=list)
    tests: list[tuple[str, Item | None, SidedTest]] = field(default_factory=list)
    neuro: dict[tuple[str, str], list[tuple[Item, Finding | None]]] = field(default_factory=dict)
    other: list[tuple[str, Item | None, Finding]] = field(default_factory=list)


def item_order(library: Library) -> dict[str, int]:
    """Item id -> position, following the packs' order in the examination flow."""
    order: dict[str, int] = {}
    for loaded in library.ordered_packs():
        for item in loaded.pack.items():
            order.setdefault(item.id, len(order))
    return order


def sort_findings(encounter: Encounter, library: Library) -> Sorted:
    order = item_order(library)
    scored = {i for s in library.scores.values() for i in s.items}
    out = Sorted()
    for item in sorted((i for i in library.items.values() if i.level and i.modality), key=lambda i: order[i.id]):
        assert item.level is not None and item.modality is not None
        out.neuro.setdefault((item.level, item.modality), []).append((item, encounter.findings.get(item.id)))
    ids = sorted(encounter.findings, key=lambda i: (i not in order, order.get(i, 0), i))
    for item_id in ids:
        finding = encounter.findings[item_id]
        known = library.items.get(item_id)
        if known is not None and known.level and known.modality:
            continue
        if known is not None and known.id in scored:
            continue
        if isinstance(finding, SidedTest):
            out.tests.append((item_id, known, finding))
        elif known is not None and known.kind == "question":
            out.history.append((item_id, known, finding))
        else:
            out.other.append((item_id, known, finding))
    return out


def score_label(encounter: Encounter, library: Library, score_id: str, title: str) -> str:
    """A score's title, marked patient-reported while any of its answers waits for the clinician."""
    score = library.scores.get(score_id)
    items = score.items if score is not None else []
    return f"{title} (patient-reported)" if pending(encounter, items) else title


def neuro_levels(s: Sorted) -> list[str]:
    return [lv for lv in LEVELS if any(key[0] == lv for key in s.neuro)]


def yes_no_groups(rows: list[tuple[str, Item | None, Finding]]) -> dict[str, list[str]]:
    """Labels by answer; "screen" holds the "no" answers given by the all-negative screen button."""
    groups: dict[str, list[str]] = {"yes": [], "no": [], "screen": [], "unknown": []}
    for item_id, item, finding in rows:
        if isinstance(finding, YesNo):
            key = "screen" if finding.screen and finding.value == "no" else finding.value
            groups[key].append(marked(item.label if item else item_id, finding))
    return groups


def counts_positive(side: SideResult, item: Item | None) -> bool:
    """The engine's rule: positive, and no criterion recorded or one that counts as positive."""
    if side.result != "positive":
        return False
    if not side.criteria:
        return True
    counting = {c.value for c in item.criteria if c.counts_as_positive} if item else set(side.criteria)
    return any(c in counting for c in side.criteria)


def side_cell(side: SideResult) -> str:
    text = RESULT_TEXT[side.result]
    if side.seconds is not None:
        text += f" at {side.seconds:g} s"
    return text


def criteria_cell(test: SidedTest, item: Item | None) -> str:
    """The positive criterion used, per positive side."""
    labels = {c.value: c for c in item.criteria} if item else {}
    parts: list[str] = []
    for name, side in (("L", test.left), ("R", test.right)):
        if side.result != "positive":
            continue
        if side.criteria:
            words = []
            for value in side.criteria:
                crit = labels.get(value)
                label = crit.label if crit else value.replace("_", " ")
                words.append(
                    label if crit is None or crit.counts_as_positive else f"{label} (does not count as positive)"
                )
            parts.append(f"{name}: {', '.join(words)}")
        else:
            parts.append(f"{name}: as defined" + (f" ({item.positive_when})" if item and item.positive_when else ""))
    notes = [f"{n}: {s.note}" for n, s in (("L", test.left), ("R", test.right)) if s.note]
    return "; ".join(parts + notes)


def interpretation(test: SidedTest, item: Item | None) -> str:
    left, right = counts_positive(test.left, item), counts_positive(test.right, item)
    if left and right:
        return "Positive both sides"
    if left or right:
        return f"Positive {'left' if left else 'right'}"
    recorded = [s for s in (test.left, test.right) if s.result == "positive"]
    if recorded:
        return "Not counted as positive: the criterion recorded does not count"
    unable = [n for n, s in (("left", test.left), ("right", test.right)) if s.result == "could_not_complete"]
    if unable:
        return f"Could not be completed ({' and '.join(unable)})"
    results = {test.left.result, test.right.result}
    if results == {"not_tested"}:
        return "Not tested"
    if "not_tested" in results:
        return f"Negative {'left' if test.left.result == 'negative' else 'right'}; other side not tested"
    return "Negative"
