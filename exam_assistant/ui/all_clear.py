"""Whether a block of items is all clear, so that it can fold to one line, and that line's words.

No Streamlit here. A block is all clear when every question or test in it that has a normal
answer holds that answer (a "no", both sides negative, 5/5, 2+, normal sensation), nothing is
abnormal, none of its answers took part in a raised red flag, and no pre-visit answer still
waits for the clinician's confirmation. An unanswered question or an
untested test keeps the block open (unknown is never "no"), and so does any unanswered item a
red-flag rule reads. Other numbers, choices and free text have no normal answer: they do not keep
a block open, and the folded line shows what they hold and how many are not recorded, so
folding hides no answer that could matter.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass

from exam_assistant.engine.assessment import Assessment
from exam_assistant.engine.describe import finding_text
from exam_assistant.models import Finding
from exam_assistant.protocol import Item
from exam_assistant.ui import findings as fx

TEXT_CUT = 40


@dataclass(frozen=True)
class Clear:
    """What a folded block says: how many normal answers, the other answers, what is missing."""

    normal: int
    all_no: bool  # every normal answer is a "no" (a question screen), else "normal"
    others: tuple[str, ...] = ()
    not_recorded: int = 0
    single: str | None = None  # the label, when only one answer is normal

    def words(self) -> str:
        """'all 9 No · Onset: Gradual · 1 not recorded' ('Night pain: No' for a single answer)."""
        word = "No" if self.all_no else "normal"
        head = f"{self.single}: {word}" if self.single else f"all {self.normal} {word}"
        parts = [head, *self.others]
        if self.not_recorded:
            parts.append(f"{self.not_recorded} not recorded")
        return " · ".join(parts)


def flagged_items(assessment: Assessment | None) -> set[str]:
    """Items whose answers raised a red flag: their block is never folded."""
    if assessment is None:
        return set()
    return {t.item for flag in assessment.red_flags for t in flag.triggered_by}


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= TEXT_CUT else text[: TEXT_CUT - 1] + "…"


def all_clear(items: Iterable[Item], findings: Mapping[str, Finding], flagged: set[str],
              must_answer: Set[str] = frozenset()) -> Clear | None:
    """The folded line of ``items`` (those shown), or None when the block must stay open.

    ``must_answer``: items (those a red-flag rule reads) that keep the block open while unanswered,
    whatever their answer type: a question that could raise a red flag is never folded away."""
    normal = 0
    all_no = True
    last = ""
    others: list[str] = []
    missing = 0
    for item in items:
        finding = findings.get(item.id)
        if finding is not None and item.id in flagged:
            return None
        if getattr(finding, "reported_by", None) == "patient" and not getattr(finding, "confirmed", False):
            return None  # a pre-visit answer still to be confirmed stays in view
        verdict = fx.is_normal(item, finding)
        if verdict is False:
            return None
        if verdict:
            normal += 1
            last = _short(item.label)
            all_no = all_no and item.answer == "yes_no" and item.normal_answer == "no"
            continue
        if item.answer == "yes_no":
            return None  # a yes/no without a normal answer is read one by one
        if finding is None:
            if item.id in must_answer:
                return None
            missing += 1
        else:
            others.append(f"{_short(item.label)}: {_short(finding_text(finding, item))}")
    if not normal:
        return None  # only numbers, choices or text: nothing to call clear
    return Clear(normal, all_no, tuple(others), missing, last if normal == 1 else None)
