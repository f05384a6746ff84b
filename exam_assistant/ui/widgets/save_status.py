"""The save status in the header: "saved automatically" only after the store confirmed.

While changes are kept in the session unsaved (the database was busy or away), the header says
so in words and colour, and a timer fragment offers them to the store again (with the pause
of :class:`~exam_assistant.ui.autosave.RetrySchedule`) until it confirms, without a click.
"""

from __future__ import annotations

import streamlit as st

from exam_assistant.library import Library
from exam_assistant.store import EncounterRepository
from exam_assistant.ui.session import Flow
from exam_assistant.ui.text import ICON_ERROR, md

TICK_S = 2.0


def status_words(flow: Flow) -> str:
    """The header's words for the draft's save state (markdown)."""
    n = flow.unsaved
    if n:
        return f":red[**{n} change{'s' if n > 1 else ''} NOT saved, retrying**]"
    return "draft, saved automatically"


def _in_full_run_key(flow: Flow) -> str:
    return flow.key("in_full_run")


@st.fragment(run_every=TICK_S)
def _retry_timer(prefix: str, store: EncounterRepository, library: Library) -> None:
    flow = Flow(prefix, store, library)
    on_timer = not st.session_state.get(_in_full_run_key(flow))
    if on_timer and flow.retry_unsaved(on_timer=True):
        st.rerun(scope="app")  # the header says "saved" now
    if flow.unsaved:
        schedule = flow.retry_schedule
        st.error(
            f"Not saved yet: {md(schedule.last_error or 'the database did not answer')}. Your "
            f"change{'s are' if flow.unsaved > 1 else ' is'} kept on this page and will be stored as soon "
            "as the database answers. Do not close or refresh this page until the header says saved.",
            icon=ICON_ERROR,
        )


def save_status(flow: Flow) -> None:
    """Retry on this whole-page run, then draw the retry timer while anything is unsaved."""
    if flow.encounter is None or flow.read_only:
        return
    flow.retry_unsaved()
    if not flow.unsaved:
        return
    # the sidebar is always in view, wherever the clinician has scrolled
    st.sidebar.error(f"**{flow.unsaved} change{'s' if flow.unsaved > 1 else ''} NOT saved, retrying**", icon=ICON_ERROR)
    st.session_state[_in_full_run_key(flow)] = True
    try:
        _retry_timer(flow.prefix, flow.store, flow.library)
    finally:
        st.session_state[_in_full_run_key(flow)] = False
