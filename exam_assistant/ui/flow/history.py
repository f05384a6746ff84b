"""Step 2: the history, with the red-flag screen asked first.

The red-flag screen holds every history question a red-flag rule reads, grouped by the pack's
sections, with one "No to every unanswered question" for all of it; the other questions follow
under "Further history". A follow-up question sits just under its parent and is shown only while
the parent's answer asks for it; a group that is all clear folds to one line.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from exam_assistant import follow_ups
from exam_assistant.library import Library
from exam_assistant.ui import steps
from exam_assistant.ui.session import Flow
from exam_assistant.ui.widgets.ask_next import ask_next
from exam_assistant.ui.widgets.panel import Block, block_fragment, shortcut_button

SCREEN_ID = "red_flag_screen"
RED_FLAG_INTRO = (
    "Ask these first. Each answer is checked against the red-flag rules as you go; the banner at "
    "the top appears the moment a flag is raised. Unanswered questions stay unknown and never count as “no”: "
    "answer the positives, then “No” to the rest in one click. A group with every answer normal folds to one line."
)
FURTHER_INTRO = "Questions no red-flag rule reads: for the differential and the plan."


def history_blocks(lib: Library) -> tuple[list[Block], list[Block]]:
    """The red-flag screen's groups and the further history's sections, in pack order, each
    follow-up moved to just under its parent."""
    screened = {i.id for i in steps.red_flag_screen(lib)}
    screen: list[Block] = []
    further: list[Block] = []
    for loaded in steps.history_packs(lib):
        for section in loaded.pack.sections:
            asked = tuple(i.id for i in section.items if i.id in screened)
            rest = tuple(i.id for i in section.items if i.id not in screened)
            if asked:
                screen.append(Block(f"screen.{section.id}", section.title, asked, section.description, "none",
                                    heading="#####", border=False))
            if rest:
                further.append(Block(section.id, section.title, rest, section.description, "none", heading="#####"))
    blocks = screen + further
    placed = follow_ups.place([b.item_ids for b in blocks], lib.items)
    kept = [replace(b, item_ids=ids) for b, ids in zip(blocks, placed, strict=True)]
    return [b for b in kept[:len(screen)] if b.item_ids], [b for b in kept[len(screen):] if b.item_ids]


def history_step(flow: Flow) -> None:
    st.subheader("History")
    ask_next(flow.assessment)
    screen, further = history_blocks(flow.library)
    if not screen and not further:
        st.warning("No history pack is loaded; see the Protocol library for load errors.")
    if screen:
        with st.container(border=True, key=f"{flow.prefix}-red-flag-screen"):
            st.markdown("#### Red-flag screen")
            st.caption(RED_FLAG_INTRO)
            every = tuple(i for b in screen for i in b.item_ids)
            shortcut_button(flow, Block(SCREEN_ID, "Red-flag screen", every, shortcut="no"))
            for block in screen:
                block_fragment(flow.prefix, flow.store, flow.library, block)
    if further:
        st.markdown("#### Further history")
        st.caption(FURTHER_INTRO)
        for block in further:
            block_fragment(flow.prefix, flow.store, flow.library, block)
