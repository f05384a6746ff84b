"""``exam_flow``: the whole guided examination, embeddable in any Streamlit app."""

from __future__ import annotations

from typing import Any

import streamlit as st

from exam_assistant.library import Library
from exam_assistant.store import EncounterRepository
from exam_assistant.ui import resources, steps
from exam_assistant.ui.access_gate import require_page
from exam_assistant.ui.flow.choose import choose_step
from exam_assistant.ui.flow.examine import panel_step
from exam_assistant.ui.flow.history import history_step
from exam_assistant.ui.flow.patient import SEX, patient_step
from exam_assistant.ui.flow.progress import nav_buttons, progress
from exam_assistant.ui.flow.summary import finish_step, start_new_version, summary_step
from exam_assistant.ui.session import DEFAULT_PREFIX, Flow
from exam_assistant.ui.text import ICON_DONE, ICON_ERROR, ICON_WARNING, md
from exam_assistant.ui.widgets.ask_next import possible_emergency
from exam_assistant.ui.widgets.banner import red_flag_banner
from exam_assistant.ui.widgets.live_panel import live_panel
from exam_assistant.ui.widgets.save_status import save_status, status_words
from exam_assistant.ui.widgets.urgency import emergency_dialog, scroll_to_top_on_step_change, urgency_bar


def _reload(prefix: str, store: EncounterRepository, library: Library) -> None:
    Flow(prefix, store, library).reload()


def _notices(flow: Flow) -> None:
    notice = flow.notice
    if notice is not None:
        box = {"error": st.error, "warning": st.warning, "success": st.success}[notice.kind]
        box(md(notice.text), icon={"error": ICON_ERROR, "warning": ICON_WARNING, "success": ICON_DONE}[notice.kind])
        if notice.reload:
            st.button("Load the latest saved version (your unsaved change is discarded)", key=flow.key("reload"),
                      on_click=_reload, args=(flow.prefix, flow.store, flow.library))
        elif notice.kind == "success":
            flow.notify(None)  # shown once
    if flow.library.problems:
        st.warning(f"{len(flow.library.problems)} problem(s) while loading the protocol packs: "
                   "some packs may be missing. See the Protocol library page for details.", icon=ICON_WARNING)


def _patient_line(flow: Flow) -> None:
    enc = flow.encounter
    if enc is None:
        return
    p = enc.patient
    ident = f" · {md(p.identifier)}" if p.identifier else ""
    status = " · **final note (read-only)**" if enc.status == "final" else f" · {status_words(flow)}"
    sex = "sex not recorded" if p.sex == "unknown" else SEX[p.sex].lower()
    clock = resources.clinic_profile().clock()  # the clinic's time zone and date format
    st.markdown(f"**{md(p.name)}**, {enc.age} y, {sex}{ident} · visit "
                f"{md(clock.day(clock.local_day(enc.created_at)))}{status}")
    if enc.status == "final":
        st.button("Amend this note", key=flow.key("amend_top"), on_click=start_new_version,
                  args=(flow.prefix, flow.store, flow.library, "amend"))


def _body(flow: Flow, step: steps.Step) -> None:
    if step.id == steps.PATIENT:
        patient_step(flow)
    elif step.id == steps.HISTORY:
        history_step(flow)
    elif step.id == steps.PROTOCOLS:
        choose_step(flow)
    elif step.pack is not None:
        panel_step(flow, step.pack)
    elif step.id == steps.SUMMARY:
        summary_step(flow)
    else:
        finish_step(flow)


def exam_flow(
    container: Any = None,
    store: EncounterRepository | None = None,
    library: Library | None = None,
    key_prefix: str = DEFAULT_PREFIX,
) -> None:
    """Draw the guided examination in ``container`` (default: the page), with the live
    assessment in the sidebar.

    ``store`` and ``library`` default to the app's cached ones. ``key_prefix`` keeps this flow's
    session state, widget keys and URL parameter apart from the host app's (the encounter id is
    in ``?encounter=`` for the default prefix, ``?<prefix>_encounter=`` otherwise).
    """
    require_page("records")  # every run, before any record is read (no-op without sign-in)
    flow = Flow(key_prefix, store or resources.store(), library or resources.library())
    flow.start_full_run()
    flow.sync_with_url()
    with container if container is not None else st.container():
        scroll_to_top_on_step_change(flow)
        urgency_bar(flow)
        red_flag_banner(flow.assessment, flow.encounter)
        possible_emergency(flow.assessment)
        _notices(flow)
        save_status(flow)
        _patient_line(flow)
        all_steps = steps.steps_for(flow.encounter, flow.library)
        index = steps.step_index(all_steps, flow.step) if flow.encounter else 0
        if flow.encounter is not None:
            progress(flow, all_steps, index)
        _body(flow, all_steps[index])
        if flow.encounter is not None:
            st.divider()
            nav_buttons(flow, all_steps, index)
    with st.sidebar:
        live_panel(flow.encounter, flow.assessment)
    emergency_dialog(flow)
