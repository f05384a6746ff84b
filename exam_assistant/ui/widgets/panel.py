"""A block of items (a pack section, the red-flag screen) drawn generically, in its own fragment.

Each block reruns on its own when one of its widgets changes, so typing in one section does not
redraw the page; when the change alters anything drawn outside the block (the banner, the live
panel, a disabled test) the session asks for a whole-page rerun instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import streamlit as st

from exam_assistant import follow_ups
from exam_assistant.library import Library
from exam_assistant.protocol import Item
from exam_assistant.store import EncounterRepository
from exam_assistant.ui import findings as fx
from exam_assistant.ui import steps
from exam_assistant.ui.all_clear import Clear, all_clear, flagged_items
from exam_assistant.ui.session import Flow
from exam_assistant.ui.text import md
from exam_assistant.ui.widgets.confirm import confirm_all_button
from exam_assistant.ui.widgets.items import ROW, item_widget

Shortcut = Literal["none", "normal", "no"]
COMPACT = ("yes_no", "number")
PER_ROW = 3  # short questions side by side


@dataclass(frozen=True)
class Block:
    """Items drawn together under one heading, with an optional "all normal" shortcut.

    A block that is all clear (:mod:`exam_assistant.ui.all_clear`) folds to one line with an
    "Edit" button, unless ``folds`` is off; ``heading`` is the markdown heading of its title and
    ``border`` draws it in a box of its own.
    """

    id: str
    title: str
    item_ids: tuple[str, ...]
    description: str | None = None
    shortcut: Shortcut = "normal"
    folds: bool = True
    heading: str = "####"
    border: bool = True


def contraindicated(flow: Flow) -> dict[str, str]:
    """Item id -> why it must not be performed, from the current assessment."""
    assessment = flow.assessment
    if assessment is None:
        return {}
    out: dict[str, str] = {}
    for c in assessment.contraindications:
        out.setdefault(c.item, f"{c.why} (rule {c.id})")
    return out


def fill_normal(prefix: str, store: EncounterRepository, library: Library,
                item_ids: tuple[str, ...], include_questions: bool) -> None:
    """Callback: record every unrecorded item of the block as normal (or "no") and autosave."""
    flow = Flow(prefix, store, library)
    enc = flow.encounter
    if enc is None:
        return
    changes = fx.normal_changes(dict(enc.findings), item_ids, library, contraindicated(flow), include_questions)
    if changes and flow.set_findings(dict(changes)):
        for item_id, finding in changes.items():
            for part, value in fx.widget_values(library.items[item_id], finding).items():
                st.session_state[flow.wkey(item_id, part)] = value
        flow.request_app_rerun()


def fillable(flow: Flow, item_ids: tuple[str, ...], include_questions: bool) -> bool:
    """Whether the shortcut would record anything (no button that does nothing)."""
    enc = flow.encounter
    return enc is not None and bool(
        fx.normal_changes(dict(enc.findings), item_ids, flow.library, contraindicated(flow), include_questions))


def shortcut_button(flow: Flow, block: Block, label: str | None = None) -> None:
    if block.shortcut == "none" or flow.read_only:
        return
    if not fillable(flow, block.item_ids, block.shortcut == "no"):
        return
    questions = block.shortcut == "no"
    text = label or ("Answer “No” to every unanswered question" if questions else "Mark everything not yet tested as normal")
    st.button(
        text, key=flow.key(f"fill.{block.id}"), on_click=fill_normal,
        args=(flow.prefix, flow.store, flow.library, block.item_ids, questions),
        help="Fills only what is still unrecorded; findings already entered are kept. "
             "Tests that must not be performed are skipped.",
    )


def sided_header() -> None:
    _, left, right = st.columns(ROW)
    left.markdown("**Left**")
    right.markdown("**Right**")


def follow_up_row(flow: Flow, item: Item, blocked: dict[str, str]) -> None:
    """A follow-up on a row of its own just under its parent, indented and marked as following it."""
    mark, body = st.columns([1, 30], gap="small")
    mark.markdown("↳")
    with body:
        item_widget(flow, item, blocked)


def draw_items(flow: Flow, items: list[Item]) -> None:
    """Items in order: short questions three to a row, sided tests one row each under a
    Left / Right header, a follow-up just under its parent (and only while it is asked)."""
    blocked = contraindicated(flow)
    enc = flow.encounter
    findings = enc.findings if enc is not None else {}
    items = [i for i in items if follow_ups.is_shown(i, findings, flow.library.items)]
    here = {i.id for i in items}
    run: list[Item] = []
    previous_sided = False

    def flush() -> None:
        for start in range(0, len(run), PER_ROW):
            cols = st.columns(PER_ROW)
            for col, item in zip(cols, run[start:start + PER_ROW], strict=False):
                with col:
                    item_widget(flow, item, blocked)
        run.clear()

    for item in items:
        if item.follow_up_of is not None and item.follow_up_of in here:
            flush()
            follow_up_row(flow, item, blocked)
            previous_sided = False
            continue
        if item.answer in COMPACT:
            run.append(item)
            previous_sided = False
            continue
        flush()
        if item.sided and not previous_sided:
            sided_header()
        previous_sided = item.sided
        item_widget(flow, item, blocked)
    flush()


def _set_open(key: str, value: bool) -> None:
    st.session_state[key] = value


def block_clear(flow: Flow, item_ids: tuple[str, ...]) -> Clear | None:
    """The folded line of the items shown of ``item_ids``, or None when they must stay open."""
    enc = flow.encounter
    if enc is None:
        return None
    items = flow.library.items
    shown = [items[i] for i in item_ids if i in items and follow_ups.is_shown(items[i], enc.findings, items)]
    return all_clear(shown, enc.findings, flagged_items(flow.assessment), steps.red_flag_item_ids(flow.library))


def is_open(flow: Flow, block_id: str) -> bool:
    """Whether the clinician opened this all-clear block with "Edit" (it stays open until "Fold")."""
    return bool(st.session_state.get(flow.key(f"open.{block_id}")))


def folded_line(flow: Flow, block_id: str, title: str, clear: Clear) -> None:
    """The one line an all-clear block folds to, with "Edit" to open it."""
    line, button = st.columns([7, 1], vertical_alignment="center")
    line.markdown(f":material/check_circle: **{md(title)}**: {md(clear.words())}")
    button.button("Edit", key=flow.key(f"edit.{block_id}"), icon=":material/edit:", type="tertiary",
                  on_click=_set_open, args=(flow.key(f"open.{block_id}"), True),
                  help=f"Show every answer of {md(title)} to change one")


def fold_button(flow: Flow, block_id: str, title: str) -> None:
    st.button("Fold", key=flow.key(f"fold.{block_id}"), icon=":material/unfold_less:", type="tertiary",
              on_click=_set_open, args=(flow.key(f"open.{block_id}"), False),
              help=f"Show {md(title)} as one line again")


def block_heading(flow: Flow, block_id: str, level: str, title: str, clear: Clear | None) -> None:
    """The heading, with "Fold" beside it when the block is all clear but opened."""
    if clear is None:
        st.markdown(f"{level} {md(title)}")
        return
    head, button = st.columns([7, 1], vertical_alignment="center")
    head.markdown(f"{level} {md(title)}")
    with button:
        fold_button(flow, block_id, title)


def draw_block(flow: Flow, block: Block) -> None:
    clear = block_clear(flow, block.item_ids) if block.folds else None
    if clear is not None and not is_open(flow, block.id):
        folded_line(flow, block.id, block.title, clear)
        return
    block_heading(flow, block.id, block.heading, block.title, clear)
    if block.description:
        st.caption(md(block.description.strip()))
    shortcut_button(flow, block)
    confirm_all_button(flow, block.id, block.item_ids)
    draw_items(flow, [flow.library.items[i] for i in block.item_ids if i in flow.library.items])


@st.fragment
def block_fragment(prefix: str, store: EncounterRepository, library: Library, block: Block) -> None:
    """:func:`draw_block` in a fragment of its own."""
    flow = Flow(prefix, store, library)
    flow.rerun_app_if_requested()
    with st.container(border=block.border, key=f"{prefix}-block-{block.id.replace('.', '-')}"):
        draw_block(flow, block)
