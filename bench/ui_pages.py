"""The two pages ``bench/ui.py`` times: the real examination step and its floor.

``EA_BENCH_PAGE=exam``: the app's examination flow on the encounter in the URL (all the logic:
session, store, assessment, contraindications, figure, escaping).
``EA_BENCH_PAGE=floor``: the same widgets, labels, options, texts and figure, replayed from a
spec file written by ``bench/ui.py`` with no logic at all.
Each run stores its script time (ms) in ``st.session_state["bench_ms"]``.
"""

from __future__ import annotations

import json
import os
import time
from typing import Any

import streamlit as st

START = time.perf_counter()
PAGE = os.environ.get("EA_BENCH_PAGE", "exam")


def _floor(spec: dict[str, Any]) -> None:
    from exam_assistant.library import cached_library
    from exam_assistant.ui import findings as fx
    from exam_assistant.ui.widgets.items import ROW

    library = cached_library()
    for box in spec["alerts"]:
        st.error(box)
    for line in spec["header"]:
        st.markdown(line)
    st.segmented_control("Examination step", spec["steps"], default=spec["steps"][0], key="floor.progress",
                         label_visibility="collapsed", required=True)
    st.subheader(spec["title"])
    st.caption(spec["description"])
    st.button(spec["shortcut"], key="floor.shortcut")
    st.image(spec["figure"], width="stretch")
    st.caption(spec["figure_caption"])
    for block in spec["blocks"]:
        with st.container(border=True):
            st.markdown(block["title"])
            st.button(block["button"], key=f"floor.{block['title']}")
            _, left, right = st.columns(ROW)
            left.markdown("**Left**")
            right.markdown("**Right**")
            for item_id, values in block["items"]:
                item = library.items[item_id]
                if item.sided:
                    label_col, left_col, right_col = st.columns(ROW, vertical_alignment="top")
                    with label_col:
                        st.markdown(f"**{item.label}**")
                        if item.technique or item.positive_when or item.evidence:
                            st.expander("How to perform", key=f"floor.how.{item_id}", on_change="rerun")
                    for col, side in ((left_col, "L"), (right_col, "R")):
                        options = list(fx.RESULT_OPTIONS if item.answer == "sided_test" else
                                       fx.SENSATION_OPTIONS if item.answer == "sensation" else
                                       fx.MRC_OPTIONS if item.answer == "mrc" else fx.REFLEX_OPTIONS)
                        labels = {v: fx.option_text(item, v) for v in options}
                        col.segmented_control(f"{item.label}, {side}", options, default=values[side],
                                              format_func=labels.__getitem__, key=f"floor.{item_id}.{side}",
                                              label_visibility="collapsed", required=True)
                else:
                    labels = {v: fx.option_text(item, v) for v in fx.YES_NO_OPTIONS}
                    st.segmented_control(item.label, fx.YES_NO_OPTIONS, default=values["v"],
                                         format_func=labels.__getitem__, key=f"floor.{item_id}.v", required=True)
    st.divider()
    back, _, forward = st.columns([1, 2, 1])
    back.button("← back", key="floor.back", width="stretch")
    forward.button("Next →", type="primary", key="floor.next", width="stretch")
    with st.sidebar:
        for line in spec["sidebar"]:
            st.markdown(line)


if PAGE == "floor":
    with open(os.environ["EA_BENCH_SPEC"], encoding="utf-8") as handle:
        _floor(json.load(handle))
else:
    from exam_assistant.ui import exam_flow

    exam_flow()

st.session_state["bench_ms"] = (time.perf_counter() - START) * 1000
