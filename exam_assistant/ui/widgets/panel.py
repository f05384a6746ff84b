"""A block of items (a pack section, the red-flag screen) drawn generically, in its own fragment.

Each block reruns on its own when one of its widgets changes, so typing in one section does not
redraw the page; when the change alters anything drawn outside the block (the banner, the live
panel, a disabled test) the session asks for a whole-page rerun instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import streamlit as st

from exam_assistant.library import Library
from exam_assistant.protocol import Item
from exam_assistant.store import EncounterRepository
from exam_assistant.ui import findings as fx
from exam_assistant.ui.session import Flow
from exam_assistant.ui.text import md
from exam_assistant.ui.widgets.confirm import confirm_all_button
from exam_assistant.ui.widgets.items import ROW, item_widget

Shortcut = Literal["none", "normal", "no"]
COMPACT = ("yes_no", "number")
PER_ROW = 3  # short questions side by side


@dataclass(frozen=True)
class Block:
    """Items drawn together under one heading, with an optional "all normal" shortcut."""

    id: str
    title: str
    item_ids: tuple[str, ...]
    description: str | None = None
    shortcut: Shortcut = "normal"


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
    """Callback: record every unrecorded item of the block as normal (or "no") and autosave.

    Recorded findings are kept; contraindicated tests are left alone.
    """
    flow = Flow(prefix, store, library)
    enc = flow.encounter
    if enc is None:
        return
    blocked = contraindicated(flow)
    changes = {}
    for item_id in item_ids:
        item = library.items[item_id]
        if item_id in blocked or not fx.has_normal(item, include_questions):
            continue
        existing = enc.findings.get(item_id)
        filled = fx.normal_finding(item, existing)
        if filled != existing:
            changes[item_id] = filled
    if changes and flow.set_findings(changes):
        for item_id, finding in changes.items():
            for part, value in fx.widget_values(library.items[item_id], finding).items():
                st.session_state[flow.wkey(item_id, part)] = value
        flow.request_app_rerun()


def shortcut_button(flow: Flow, block: Block, label: str | None = None) -> None:
    if block.shortcut == "none" or flow.read_only:
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


def draw_items(flow: Flow, items: list[Item]) -> None:
    """Items in order: short questions three to a row, sided tests one row each under a
    Left / Right header."""
    blocked = contraindicated(flow)
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


def draw_block(flow: Flow, block: Block) -> None:
    st.markdown(f"#### {md(block.title)}")
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
    with st.container(border=True, key=f"{prefix}-block-{block.id.replace('.', '-')}"):
        draw_block(flow, block)
