"""The progress indicator (every step can be revisited) and the Back / Next buttons."""

from __future__ import annotations

import streamlit as st

from exam_assistant.library import Library
from exam_assistant.store import EncounterRepository
from exam_assistant.ui import steps
from exam_assistant.ui.flow.choose import commit_choice
from exam_assistant.ui.session import Flow
from exam_assistant.ui.text import md

MAX_TITLE = 24
# Keyboard entry for the common path. Alt+letter: no browser or text-field meaning on Linux and
# Windows (Ctrl+Enter commits a text area; Alt+Left is the browser's Back).
NEXT_KEY = "Alt+N"
BACK_KEY = "Alt+B"


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


def examine_suggested(prefix: str, store: EncounterRepository, library: Library) -> None:
    """Callback: from the history straight to the first suggested protocol, with every suggested
    protocol chosen (the choice step stays in the progress bar to change it)."""
    flow = Flow(prefix, store, library)
    enc, assessment = flow.encounter, flow.assessment
    if enc is None or assessment is None or flow.read_only:
        return
    suggested = {s.pack for s in steps.suggestions(enc, assessment, library)}
    updated = steps.with_protocols(enc, library, suggested)
    chosen = steps.chosen_packs(updated, library)
    target = steps.EXAM_PREFIX + chosen[0].pack.id if chosen else steps.PROTOCOLS
    if updated.protocols != enc.protocols:
        flow.save(updated, step=target)
    else:
        flow.go(target)


def suggested_titles(flow: Flow) -> list[str]:
    """The protocols the history suggests, while none is chosen yet (else nothing): the history's
    Next button then examines them without a stop at the choice step."""
    enc, assessment = flow.encounter, flow.assessment
    if enc is None or assessment is None or flow.read_only or steps.chosen_packs(enc, flow.library):
        return []
    wanted = {s.pack for s in steps.suggestions(enc, assessment, flow.library)}
    return [short_title(steps.Step(p.pack.id, p.pack.title)) for p in steps.optional_packs(flow.library)
            if p.pack.id in wanted]


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
    back, middle, forward = st.columns([1, 2, 1])
    if index > 0:
        back.button(f"← {short_title(all_steps[index - 1])}", on_click=go_to, args=(*args, "", -1),
                    key=flow.key("back"), width="stretch", shortcut=BACK_KEY)
    if index >= len(all_steps) - 1:
        return
    current = all_steps[index].id
    suggested = suggested_titles(flow) if current == steps.HISTORY else []
    if suggested:
        forward.button(f"Next: examine the {len(suggested)} suggested →" if len(suggested) > 1
                       else f"Next: {suggested[0]} →", type="primary", on_click=examine_suggested, args=args,
                       key=flow.key("next"), width="stretch", shortcut=NEXT_KEY)
        middle.caption("Next examines what the history suggests: " + md("; ".join(suggested))
                       + ". To change the choice, open “3. Protocols” above.")
        return
    nxt = all_steps[index + 1]
    text = "Examine the chosen protocols →" if current == steps.PROTOCOLS else f"Next: {short_title(nxt)} →"
    forward.button(text, type="primary", on_click=go_to, args=(*args, "", 1),
                   key=flow.key("next"), width="stretch", shortcut=NEXT_KEY)
