"""Step 2: the history, with the red-flag screen asked first."""

from __future__ import annotations

import streamlit as st

from exam_assistant.ui import steps
from exam_assistant.ui.session import Flow
from exam_assistant.ui.widgets.ask_next import ask_next
from exam_assistant.ui.widgets.panel import Block, block_fragment

RED_FLAG_INTRO = (
    "Ask these first. Each answer is checked against the red-flag rules as you go; the banner at "
    "the top appears the moment a flag is raised. Unanswered questions stay unknown and never count as “no”."
)


def history_blocks(flow: Flow) -> list[Block]:
    lib = flow.library
    blocks = []
    screen = steps.red_flag_screen(lib)
    if screen:
        blocks.append(Block("red_flag_screen", "Red-flag screen", tuple(i.id for i in screen), RED_FLAG_INTRO, "no"))
    for section, items in steps.history_sections(lib):
        blocks.append(Block(section.id, section.title, tuple(i.id for i in items), section.description, "none"))
    return blocks


def history_step(flow: Flow) -> None:
    st.subheader("History")
    ask_next(flow.assessment)
    blocks = history_blocks(flow)
    if not blocks:
        st.warning("No history pack is loaded; see the Protocol library for load errors.")
    for block in blocks:
        block_fragment(flow.prefix, flow.store, flow.library, block)
