"""The progress indicator (every step can be revisited) and the Back / Next buttons."""

from __future__ import annotations

import streamlit as st

from exam_assistant.library import Library
from exam_assistant.store import EncounterRepository
from exam_assistant.ui import steps
from exam_assistant.ui.flow.choose import commit_choice
from exam_assistant.ui.session import Flow

MAX_TITLE = 24


def short_title(step: steps.Step) -> str:
    """A step title short enough for the progress bar: 'Thoracic outlet syndrome tests' ->
    'Thoracic outlet syndrome'; 'Neurological screen of the upper limbs (C4-T1)' -> 'Neurological screen'."""
    title = step.title.split(" (")[0].removesuffix(" tests").removesuffix(" test")
    if len(title) > MAX_TITLE:
        title = " ".join(title.split()[:2])
    return title if len(title) <= MAX_TITLE else title[: MAX_TITLE - 1].rstrip() + "…"


def _progress_key(flow: Flow) -> str:
    return flow.key("progress")


def on_progress(prefix: str, store: EncounterRepository, library: Library) -> None:
    flow = Flow(prefix, store, library)
    wanted = st.session_state.get(_progress_key(flow))
    if wanted:
        go_to(prefix, store, library, str(wanted))


def go_to(prefix: str, store: EncounterRepository, library: Library, step_id: str, offset: int = 0) -> None:
    """Callback: leave the current step (storing a protocol choice) and open ``step_id``, or the
    step ``offset`` places from the current one in the steps as they are after the choice."""
    if Flow(prefix, store, library).step == steps.PROTOCOLS:
        commit_choice(prefix, store, library)
    flow = Flow(prefix, store, library)  # read after the choice was stored
    if offset:
        all_steps = steps.steps_for(flow.encounter, library)
        index = steps.step_index(all_steps, flow.step) + offset
        step_id = all_steps[max(0, min(index, len(all_steps) - 1))].id
    flow.go(step_id)


def progress(flow: Flow, all_steps: list[steps.Step], index: int) -> None:
    """A segmented control of every step, the current one selected."""
    titles = {s.id: f"{n}. {short_title(s)}" for n, s in enumerate(all_steps, 1)}
    st.session_state[_progress_key(flow)] = all_steps[index].id
    st.segmented_control(
        "Examination step", list(titles), format_func=titles.__getitem__, key=_progress_key(flow),
        on_change=on_progress, args=(flow.prefix, flow.store, flow.library), label_visibility="collapsed",
        required=True,
    )


def nav_buttons(flow: Flow, all_steps: list[steps.Step], index: int) -> None:
    args = (flow.prefix, flow.store, flow.library)
    back, _, forward = st.columns([1, 2, 1])
    if index > 0:
        back.button(f"← {short_title(all_steps[index - 1])}", on_click=go_to, args=(*args, "", -1),
                    key=flow.key("back"), width="stretch")
    if index < len(all_steps) - 1:
        nxt = all_steps[index + 1]
        text = "Examine the chosen protocols →" if all_steps[index].id == steps.PROTOCOLS else f"Next: {short_title(nxt)} →"
        forward.button(text, type="primary", on_click=go_to, args=(*args, "", 1),
                       key=flow.key("next"), width="stretch")
