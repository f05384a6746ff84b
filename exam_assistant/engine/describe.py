"""Plain-words text for findings, shared by the screen, the PDF and the assessment's triggers."""

from __future__ import annotations

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

RESULT_TEXT = {
    "positive": "positive",
    "negative": "negative",
    "not_tested": "not tested",
    "could_not_complete": "could not complete",
}
REFLEX_TEXT = {0: "0 absent", 1: "1+ reduced", 2: "2+ normal", 3: "3+ brisk", 4: "4+ with clonus"}


def _option_label(item: Item | None, value: str) -> str:
    if item is not None:
        for option in item.options:
            if option.value == value:
                return option.label
    return value.replace("_", " ")


def _criterion_label(item: Item | None, value: str) -> str:
    if item is not None:
        for criterion in item.criteria:
            if criterion.value == value:
                return criterion.label
    return value.replace("_", " ")


def side_text(side: SideResult, item: Item | None) -> str:
    text = RESULT_TEXT[side.result]
    extras = [_criterion_label(item, c) for c in side.criteria]
    if side.seconds is not None:
        extras.append(f"at {side.seconds:g} s")
    if extras:
        text += " (" + ", ".join(extras) + ")"
    return text


def graded_text(kind: str, grade: int | None) -> str:
    if grade is None:
        return "not tested"
    return f"{grade}/5" if kind == "mrc" else REFLEX_TEXT[grade]


def finding_text(finding: Finding, item: Item | None = None) -> str:
    """One line a clinician reads, e.g. 'L positive (arm pain) · R negative'."""
    if isinstance(finding, YesNo):
        # a bulk "no" was not asked one by one, and the record says so
        return "no (all-negative screen)" if finding.screen and finding.value == "no" else finding.value
    if isinstance(finding, SidedTest):
        return f"L {side_text(finding.left, item)} · R {side_text(finding.right, item)}"
    if isinstance(finding, (Mrc, Reflex)):
        return f"L {graded_text(finding.kind, finding.left)} · R {graded_text(finding.kind, finding.right)}"
    if isinstance(finding, Sensation):
        return f"L {finding.left.replace('_', ' ')} · R {finding.right.replace('_', ' ')}"
    if isinstance(finding, Number):
        unit = finding.unit or (item.unit if item else None) or ""
        return f"{finding.value:g}{(' ' + unit) if unit else ''}"
    if isinstance(finding, Choice):
        return _option_label(item, finding.value)
    if isinstance(finding, MultiChoice):
        return ", ".join(_option_label(item, v) for v in finding.values) or "none"
    if isinstance(finding, Text):
        return finding.value
    return ""
