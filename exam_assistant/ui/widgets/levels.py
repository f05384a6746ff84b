"""The neuro screen by root level (C4-T1): sensation, power and reflex of each root together,
a "normal" shortcut per level, a normal level folded to one line, and the dermatome chart
updating as the screen is filled."""

from __future__ import annotations

import streamlit as st

from exam_assistant.library import Library
from exam_assistant.protocol import LEVELS, Item
from exam_assistant.store import EncounterRepository
from exam_assistant.ui.dermatome import dermatome_summary, dermatome_svg
from exam_assistant.ui.session import Flow
from exam_assistant.ui.widgets.panel import (
    Block,
    block_clear,
    draw_items,
    fold_button,
    folded_line,
    is_open,
    shortcut_button,
)
from reports.figure import figure_svg

MODALITY_ORDER = {"sensation": 0, "power": 1, "reflex": 2}


def levelled(items: list[Item]) -> dict[str, list[Item]]:
    """Items with a root level, grouped by level in C4 -> T1 order (sensation, power, reflex)."""
    groups: dict[str, list[Item]] = {}
    for level in LEVELS:
        found = [i for i in items if i.level == level and i.modality is not None]
        if found:
            groups[level] = sorted(found, key=lambda i: MODALITY_ORDER.get(i.modality or "", 9))
    return groups


def figure(flow: Flow) -> str:
    """The dermatome and myotome figure as SVG: the PDF's own figure (reports.figure_svg), kept
    per session until a neuro finding changes; this package's schematic if that cannot be drawn."""
    enc = flow.encounter
    if enc is None:
        return dermatome_svg(None, flow.library.items)
    neuro = tuple(sorted((k, v.model_dump_json()) for k, v in enc.findings.items()
                         if k in flow.library.items and flow.library.items[k].level))
    cached = st.session_state.get(flow.key("figure"))
    if isinstance(cached, tuple) and cached[0] == neuro:
        return str(cached[1])
    try:
        svg = figure_svg(enc, flow.library)
    except Exception:  # the schematic is better than no figure at the bedside
        svg = dermatome_svg(enc, flow.library.items)
    st.session_state[flow.key("figure")] = (neuro, svg)
    return svg


def draw_figure(flow: Flow) -> None:
    with st.container(key=f"{flow.prefix}-dermatome"):
        st.image(figure(flow), width="stretch")
        st.caption(dermatome_summary(flow.encounter, flow.library.items))


@st.fragment
def levels_fragment(prefix: str, store: EncounterRepository, library: Library, item_ids: tuple[str, ...]) -> None:
    """One bordered row group per root level, with the dermatome chart beside them."""
    flow = Flow(prefix, store, library)
    flow.rerun_app_if_requested()
    groups = levelled([library.items[i] for i in item_ids if i in library.items])
    st.markdown("#### Root levels C4–T1")
    draw_figure(flow)
    for level, items in groups.items():
        block = Block(f"level.{level}", level, tuple(i.id for i in items))
        with st.container(border=True, key=f"{prefix}-level-{level}"):
            clear = block_clear(flow, block.item_ids)
            if clear is not None and not is_open(flow, block.id):
                folded_line(flow, block.id, level, clear)  # a normal level is one line
                continue
            head, button = st.columns([3, 1], vertical_alignment="center")
            head.markdown(f"**{level}**")
            with button:
                shortcut_button(flow, block, label=f"{level} normal")
                if clear is not None:
                    fold_button(flow, block.id, level)
            draw_items(flow, items)
