"""Widget values <-> findings, and the "normal" shortcut, for every answer type.

No Streamlit here. A widget set at its default ("not tested", "unknown", blank) means *nothing
recorded*: the finding is removed, so an untouched test stays unknown and never reads as negative.
"""

from __future__ import annotations

from typing import Any

from exam_assistant import follow_ups
from exam_assistant.library import Library
from exam_assistant.models import (
    Choice,
    Finding,
    Mrc,
    MultiChoice,
    Number,
    Reflex,
    Sensation,
    SidedTest,
    SideResult,
    Text,
    YesNo,
)
from exam_assistant.protocol import Item

NOT_TESTED = "not_tested"
UNGRADED = "nt"  # the "not tested" option of an MRC or reflex control
SIDES = (("left", "L"), ("right", "R"))

YES_NO_OPTIONS = ("unknown", "no", "yes")
RESULT_OPTIONS = ("not_tested", "negative", "positive", "could_not_complete")
SENSATION_OPTIONS = ("not_tested", "normal", "reduced", "absent")
MRC_OPTIONS = (UNGRADED, "0", "1", "2", "3", "4", "5")
REFLEX_OPTIONS = (UNGRADED, "0", "1", "2", "3", "4")

OPTION_TEXT: dict[str, str] = {
    "unknown": "Unknown", "no": "No", "yes": "Yes",
    "not_tested": "Not tested", "negative": "Negative", "positive": "Positive",
    "could_not_complete": "Incomplete", "normal": "Normal", "reduced": "Reduced", "absent": "Absent",
    UNGRADED: "–",
}
REFLEX_OPTION_TEXT = {"0": "0", "1": "1+", "2": "2+", "3": "3+", "4": "4+"}

Values = dict[str, Any]


def parts(item: Item) -> tuple[str, ...]:
    """The widget parts of an item: 'v' for one value, 'L'/'R' per side, 'Lc'/'Rc' for criteria."""
    if item.answer == "sided_test":
        return ("L", "R", "Lc", "Rc") if item.criteria else ("L", "R")
    if item.sided:
        return ("L", "R")
    return ("v",)


def _grade(value: int | None) -> str:
    return UNGRADED if value is None else str(value)


def _ungrade(value: Any) -> int | None:
    return None if value in (None, UNGRADED) else int(value)


def widget_values(item: Item, finding: Finding | None) -> Values:
    """The value each widget part shows for ``finding`` (None: nothing recorded)."""
    if item.answer == "sided_test":
        f = finding if isinstance(finding, SidedTest) else SidedTest()
        out: Values = {"L": f.left.result, "R": f.right.result}
        if item.criteria:
            out |= {"Lc": list(f.left.criteria), "Rc": list(f.right.criteria)}
        return out
    if item.answer in ("mrc", "reflex"):
        g = finding if isinstance(finding, (Mrc, Reflex)) else None
        return {"L": _grade(g.left if g else None), "R": _grade(g.right if g else None)}
    if item.answer == "sensation":
        s = finding if isinstance(finding, Sensation) else Sensation()
        return {"L": s.left, "R": s.right}
    if item.answer == "yes_no":
        return {"v": finding.value if isinstance(finding, YesNo) else "unknown"}
    if item.answer == "number":
        if not isinstance(finding, Number):
            return {"v": None}
        return {"v": int(finding.value) if item.integer else finding.value}
    if item.answer == "choice":
        return {"v": finding.value if isinstance(finding, Choice) else None}
    if item.answer == "multi_choice":
        return {"v": list(finding.values) if isinstance(finding, MultiChoice) else []}
    return {"v": finding.value if isinstance(finding, Text) else ""}


def _side(values: Values, side: str) -> SideResult:
    result = values.get(side) or NOT_TESTED
    criteria = list(values.get(f"{side}c") or []) if result == "positive" else []
    return SideResult(result=result, criteria=criteria)


def build_finding(item: Item, values: Values) -> Finding | None:
    """The finding the widgets describe, or None when they describe nothing recorded.

    Raises pydantic's ValidationError for values the model refuses (e.g. text over its limit).
    """
    answer = item.answer
    if answer == "sided_test":
        left, right = _side(values, "L"), _side(values, "R")
        if left.result == NOT_TESTED and right.result == NOT_TESTED:
            return None
        return SidedTest(left=left, right=right)
    if answer in ("mrc", "reflex"):
        lo, ro = _ungrade(values.get("L")), _ungrade(values.get("R"))
        if lo is None and ro is None:
            return None
        return Mrc(left=lo, right=ro) if answer == "mrc" else Reflex(left=lo, right=ro)
    if answer == "sensation":
        ls, rs = values.get("L") or NOT_TESTED, values.get("R") or NOT_TESTED
        return None if ls == rs == NOT_TESTED else Sensation(left=ls, right=rs)
    value = values.get("v")
    if answer == "yes_no":
        return None if value in (None, "unknown") else YesNo(value=value)
    if answer == "number":
        return None if value is None else Number(value=float(value), unit=item.unit)
    if answer == "choice":
        return None if value is None else Choice(value=value)
    if answer == "multi_choice":
        return MultiChoice(values=list(value)) if value else None
    text = str(value or "")
    return Text(value=text) if text.strip() else None


def normal_finding(item: Item, existing: Finding | None) -> Finding | None:
    """``existing`` with whatever was not recorded filled in as normal (a test negative, a
    question answered no, power 5/5, reflex 2+, sensation normal). What was recorded is kept.
    None when the item has no normal value (numbers, choices, text)."""
    answer = item.answer
    if answer == "sided_test":
        f = existing if isinstance(existing, SidedTest) else SidedTest()
        fill = SideResult(result="negative")
        return SidedTest(
            left=f.left if f.left.result != NOT_TESTED else fill,
            right=f.right if f.right.result != NOT_TESTED else fill,
        )
    if answer == "mrc":
        m = existing if isinstance(existing, Mrc) else Mrc()
        return Mrc(left=5 if m.left is None else m.left, right=5 if m.right is None else m.right)
    if answer == "reflex":
        r = existing if isinstance(existing, Reflex) else Reflex()
        return Reflex(left=2 if r.left is None else r.left, right=2 if r.right is None else r.right)
    if answer == "sensation":
        s = existing if isinstance(existing, Sensation) else Sensation()
        return Sensation(
            left="normal" if s.left == NOT_TESTED else s.left,
            right="normal" if s.right == NOT_TESTED else s.right,
        )
    if answer == "yes_no":
        # a bulk "no" is marked, so the note can say "no (all-negative screen)" instead of "denied"
        if isinstance(existing, YesNo) and existing.value != "unknown":
            return existing
        return YesNo(value=item.normal_answer, screen=True) if item.normal_answer else existing
    return existing


def has_normal(item: Item, include_questions: bool = False) -> bool:
    """Whether a bulk shortcut may fill ``item``.

    The "no" button (``include_questions``) answers only yes/no questions the *patient* answers:
    never a bedside sign, a laboratory result or a clinician's judgement nobody checked. The
    "normal" button fills examination findings only (tests, grades and signs), never questions.
    """
    if include_questions:
        return item.answer == "yes_no" and item.source == "patient" and item.normal_answer is not None
    if item.source != "examination":
        return False
    if item.answer in ("sided_test", "mrc", "reflex", "sensation"):
        return True
    return item.answer == "yes_no" and item.kind != "question" and item.normal_answer is not None


def is_normal(item: Item, finding: Finding | None) -> bool | None:
    """Whether ``finding`` is the normal answer of ``item`` (a "no", both sides negative, 5/5,
    2+, normal sensation); False when unrecorded or abnormal; None when the item has no normal
    answer (numbers, choices, text, a yes/no without ``normal_answer``)."""
    answer = item.answer
    if answer == "yes_no":
        if item.normal_answer is None:
            return None
        return isinstance(finding, YesNo) and finding.value == item.normal_answer
    if answer == "sided_test":
        return isinstance(finding, SidedTest) and finding.left.result == finding.right.result == "negative"
    if answer == "mrc":
        return isinstance(finding, Mrc) and finding.left == finding.right == 5
    if answer == "reflex":
        return isinstance(finding, Reflex) and finding.left == finding.right == 2
    if answer == "sensation":
        return isinstance(finding, Sensation) and finding.left == finding.right == "normal"
    return None


def option_text(item: Item, value: str) -> str:
    """Words for a widget option of ``item``."""
    if item.answer == "reflex" and value in REFLEX_OPTION_TEXT:
        return REFLEX_OPTION_TEXT[value]
    if value in OPTION_TEXT:
        return OPTION_TEXT[value]
    for option in item.options:
        if option.value == value:
            return option.label
    for criterion in item.criteria:
        if criterion.value == value:
            return criterion.label
    return value.replace("_", " ")


def normal_changes(findings: dict[str, Finding], item_ids: tuple[str, ...], library: Library,
                   blocked: dict[str, str], include_questions: bool) -> dict[str, Finding]:
    """What the shortcut records: every unrecorded item (or side) of ``item_ids`` as normal (or
    "no"). Recorded findings are kept; contraindicated tests, follow-ups their parent does not ask
    for, and parents whose follow-ups hold an answer are left alone."""
    changes: dict[str, Finding] = {}
    current = dict(findings)
    for item_id in item_ids:  # parents before their follow-ups
        item = library.items.get(item_id)
        if item is None or item_id in blocked or not has_normal(item, include_questions):
            continue
        if not follow_ups.is_shown(item, current, library.items):
            continue  # a follow-up its parent does not ask for is never answered
        existing = current.get(item_id)
        filled = normal_finding(item, existing)
        if filled is None or filled == existing:
            continue
        if follow_ups.cleared_by([item_id], {**current, item_id: filled}, library.items):
            continue  # an answered follow-up says the parent is "yes": never filled with "no" over it
        changes[item_id] = filled
        current[item_id] = filled
    return changes
