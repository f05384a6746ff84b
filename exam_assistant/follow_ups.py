"""Follow-up questions (progressive disclosure): which are shown, where, and what a change clears.

No Streamlit here. A follow-up (``Item.follow_up_of``) is asked only while its parent, an earlier
item of the same pack, has one of the answers in ``shown_when`` (the type of cancer after
"cancer: yes"). One invariant keeps the screen and the engine in step: *a follow-up that is not
shown holds no answer*. A change that hides a follow-up clears it in the same save
(:func:`cleared_by`), and a follow-up that holds an answer anyway (a pre-visit form, an import, an
older record) is shown whatever its parent says (:func:`is_shown`), so nothing the engine reads is
ever out of sight.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from exam_assistant.models import Choice, Finding, MultiChoice, SidedTest, YesNo
from exam_assistant.protocol import Item

DEFAULT_SHOWN: dict[str, tuple[str, ...]] = {"yes_no": ("yes",), "sided_test": ("positive",)}
PARENT_ANSWERS = ("yes_no", "choice", "multi_choice", "sided_test")

Items = Mapping[str, Item]
Findings = Mapping[str, Finding]


def shown_when(item: Item, parent: Item) -> tuple[str, ...]:
    """The parent's answers that show ``item``: its own list, else the parent type's default."""
    if item.shown_when:
        return tuple(item.shown_when)
    return DEFAULT_SHOWN.get(parent.answer, ())


def answer_values(finding: Finding | None) -> set[str]:
    """The answer values of a parent's finding (both sides of a sided test)."""
    if isinstance(finding, (YesNo, Choice)):
        return {finding.value}
    if isinstance(finding, MultiChoice):
        return set(finding.values)
    if isinstance(finding, SidedTest):
        return {finding.left.result, finding.right.result}
    return set()


def parent_allows(item: Item, findings: Findings, items: Items) -> bool:
    """Whether the answers above ``item`` ask for it (every ancestor shown and answered so)."""
    if item.follow_up_of is None:
        return True
    parent = items.get(item.follow_up_of)
    if parent is None:
        return True  # the library refuses this; never hide an item for want of its parent
    return bool(answer_values(findings.get(parent.id)) & set(shown_when(item, parent))) and parent_allows(
        parent, findings, items)


def is_shown(item: Item, findings: Findings, items: Items) -> bool:
    """Whether the screen shows ``item``: always an ordinary item or an answered follow-up."""
    return item.follow_up_of is None or item.id in findings or parent_allows(item, findings, items)


def children(parent_id: str, items: Items) -> list[Item]:
    return [i for i in items.values() if i.follow_up_of == parent_id]


def cleared_by(changed: Sequence[str], findings: Findings, items: Items) -> dict[str, Finding | None]:
    """``{follow-up id: None}`` for every follow-up (and follow-up of a follow-up) of the
    ``changed`` items that holds an answer their new answers (in ``findings``) no longer ask
    for: what a change must clear in the same save."""
    current = dict(findings)
    out: dict[str, Finding | None] = {}
    todo = list(changed)
    while todo:
        parent_id = todo.pop(0)
        for child in children(parent_id, items):
            if child.id in current and not parent_allows(child, current, items):
                out[child.id] = None
                current.pop(child.id)
                todo.append(child.id)
    return out


def ask_instead(item_id: str, findings: Findings, items: Items) -> str | None:
    """What to ask to learn ``item_id``: the item itself when it is (or can be) shown; the first
    unanswered ancestor while the chain above it is undecided; None when an answer above rules it
    out (it will never be asked, so it cannot decide anything)."""
    item = items.get(item_id)
    if item is None or item.follow_up_of is None or item_id in findings:
        return item_id
    parent = items.get(item.follow_up_of)
    if parent is None:
        return item_id
    if parent.id not in findings:
        return ask_instead(parent.id, findings, items)
    return item_id if answer_values(findings.get(parent.id)) & set(shown_when(item, parent)) else None


def place(blocks: Sequence[Sequence[str]], items: Items) -> list[tuple[str, ...]]:
    """The item ids of a step's blocks with every follow-up moved to just after its parent (and
    the parent's earlier follow-ups), whichever block the parent is in. A follow-up whose parent
    is not on the step stays where it was; a block left empty comes back empty (one tuple per
    block, in order), for the caller to drop."""
    on_step = {i for block in blocks for i in block}
    kids: dict[str, list[str]] = {}
    for block in blocks:
        for item_id in block:
            parent = items[item_id].follow_up_of if item_id in items else None
            if parent is not None and parent in on_step:
                kids.setdefault(parent, []).append(item_id)
    moved = {k for group in kids.values() for k in group}

    def emit(item_id: str, acc: list[str]) -> None:
        acc.append(item_id)
        for kid in kids.get(item_id, []):
            emit(kid, acc)

    out: list[tuple[str, ...]] = []
    for block in blocks:
        acc: list[str] = []
        for item_id in block:
            if item_id not in moved:
                emit(item_id, acc)
        out.append(tuple(acc))
    return out
