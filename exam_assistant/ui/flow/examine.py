"""Step 4..n: one panel per chosen protocol, drawn from the pack's sections and items."""

from __future__ import annotations

import streamlit as st

from exam_assistant import follow_ups
from exam_assistant.ui.session import Flow
from exam_assistant.ui.text import ICON_BLOCKED, md
from exam_assistant.ui.widgets.levels import levelled, levels_fragment
from exam_assistant.ui.widgets.panel import Block, block_fragment, contraindicated, shortcut_button


def panel_step(flow: Flow, pack_id: str) -> None:
    loaded = flow.library.packs.get(pack_id)
    if loaded is None:
        st.error(f"The protocol {md(pack_id)} is no longer loaded; its findings are kept but cannot be edited here.")
        return
    pack = loaded.pack
    st.subheader(md(pack.title))
    st.caption(md(pack.description.strip()))
    items = pack.items()
    blocked = contraindicated(flow)
    stopped = [i.label for i in items if i.id in blocked]
    if stopped:
        st.warning(
            f"{ICON_BLOCKED} Not to be performed now: " + "; ".join(md(s) for s in stopped)
            + ". They are disabled below, each with the reason.",
        )
    shortcut_button(flow, Block(pack.id, pack.title, tuple(i.id for i in items)),
                    label="Mark the whole screen normal (everything not yet tested)")
    by_level = levelled(items)
    in_levels = {i.id for group in by_level.values() for i in group}
    if by_level:
        levels_fragment(flow.prefix, flow.store, flow.library, tuple(sorted(in_levels)))
    # a follow-up sits just under its parent; a section that is all normal folds to one line
    rests = follow_ups.place([tuple(i.id for i in s.items if i.id not in in_levels) for s in pack.sections],
                             flow.library.items)
    for section, rest in zip(pack.sections, rests, strict=True):
        if rest:
            block = Block(section.id, section.title, rest, section.description, "normal")
            block_fragment(flow.prefix, flow.store, flow.library, block)
