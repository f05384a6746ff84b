"""The summary step (the full assessment, notes, pre-test probabilities) and the finish step
(finalise, PDF, amend, follow-up)."""

from __future__ import annotations

import importlib
from collections.abc import Callable

import streamlit as st

from exam_assistant.library import Library
from exam_assistant.store import ConflictError, EncounterRepository
from exam_assistant.ui.resources import clinic_profile
from exam_assistant.ui.session import Flow, Notice
from exam_assistant.ui.widgets.assessment_view import assessment_view


def on_notes(prefix: str, store: EncounterRepository, library: Library) -> None:
    flow = Flow(prefix, store, library)
    flow.update(notes=str(st.session_state.get(flow.key("notes_input"), "")))


def on_pretest(prefix: str, store: EncounterRepository, library: Library, rule_id: str) -> None:
    flow = Flow(prefix, store, library)
    enc = flow.encounter
    if enc is None:
        return
    value = st.session_state.get(flow.key(f"pretest.{rule_id}"))
    probabilities = dict(enc.pretest_probabilities)
    if value is None:
        probabilities.pop(rule_id, None)
    else:
        probabilities[rule_id] = float(value) / 100
    flow.update(pretest_probabilities=probabilities)


@st.fragment
def notes_fragment(prefix: str, store: EncounterRepository, library: Library) -> None:
    flow = Flow(prefix, store, library)
    flow.rerun_app_if_requested()
    enc = flow.encounter
    key = flow.key("notes_input")
    if key not in st.session_state and enc is not None:
        st.session_state[key] = enc.notes
    st.text_area("Clinical notes (printed on the note)", key=key, max_chars=20_000, height=150,
                 on_change=on_notes, args=(prefix, store, library), disabled=flow.read_only)


def summary_step(flow: Flow) -> None:
    enc, assessment = flow.encounter, flow.assessment
    if enc is None or assessment is None:
        return
    st.subheader("Summary and assessment")
    assessment_view(assessment, flow.library)
    clusters = [c for c in assessment.clusters if c.lr_positive is not None or c.lr_negative is not None]
    if clusters and not flow.read_only:
        with st.expander("Adjust the pre-test probability of a cluster"):
            for c in clusters:
                key = flow.key(f"pretest.{c.id}")
                if key not in st.session_state:
                    current = enc.pretest_probabilities.get(c.id, c.pretest_probability)
                    st.session_state[key] = round(current * 100, 1) if current else None
                st.number_input(f"Pre-test probability (%) for {c.title}", min_value=0.5, max_value=99.5,
                                step=1.0, key=key, on_change=on_pretest, args=(flow.prefix, flow.store, flow.library, c.id))
    notes_fragment(flow.prefix, flow.store, flow.library)


def pdf_builder(flow: Flow) -> Callable[[], bytes] | None:
    """A zero-argument function building the PDF note when the button is clicked (None when the
    PDF module is not installed). It also records the export in the audit log."""
    reports = importlib.import_module("reports")
    render = getattr(reports, "render_note", None)
    options_type = getattr(reports, "NoteOptions", None)
    enc, assessment = flow.encounter, flow.assessment
    if render is None or options_type is None or enc is None or assessment is None:
        return None
    library, profile, store, actor = flow.library, clinic_profile(), flow.store, flow.actor()

    def build() -> bytes:
        data: bytes = render(enc, assessment, library, profile, options_type())
        store.record_export(str(enc.id), actor, "pdf")
        return data

    return build


def finalise(prefix: str, store: EncounterRepository, library: Library) -> None:
    flow = Flow(prefix, store, library)
    draft = flow.draft
    if draft is None:
        return
    try:
        stored = store.finalise(str(draft.encounter.id), draft.version, flow.actor())
    except ConflictError as exc:
        flow.notify(Notice("error", str(exc), reload=True))
        return
    flow.open(stored)
    flow.notify(Notice("success", "The note is final. It can no longer change; amend it to correct it."))


def start_new_version(prefix: str, store: EncounterRepository, library: Library, kind: str) -> None:
    flow = Flow(prefix, store, library)
    enc = flow.encounter
    if enc is None:
        return
    try:
        if kind == "amend":
            stored = store.amend(str(enc.id), flow.actor())
        else:
            stored = store.start_follow_up(str(enc.id), flow.actor())
    except ConflictError as exc:
        flow.notify(Notice("error", str(exc)))
        return
    flow.open(stored)
    flow.notify(Notice("success", "Amendment started: a new draft of the note." if kind == "amend"
                       else "Follow-up visit started from the previous one."))


def finish_step(flow: Flow) -> None:
    enc = flow.encounter
    if enc is None:
        return
    st.subheader("Finish")
    args = (flow.prefix, flow.store, flow.library)
    if enc.status == "draft":
        st.markdown("Check the summary, then finalise. A final note can no longer change; "
                    "a correction is made as an amendment, and both are kept.")
        sure = st.checkbox("I have reviewed the findings and the assessment", key=flow.key(f"review.{enc.id}"))
        st.button("Finalise the note", type="primary", disabled=not sure, on_click=finalise, args=args,
                  key=flow.key("finalise"))
    else:
        when = enc.finalised_at.strftime("%d/%m/%Y %H:%M UTC") if enc.finalised_at else ""
        st.success(f"Final note, finalised {when}.", icon="✅")
    build = pdf_builder(flow)
    name = f"exam-note-{enc.visit_date.isoformat()}-{str(enc.id)[:8]}{'' if enc.status == 'final' else '-draft'}.pdf"
    if build is None:
        st.info("The PDF note is not available in this installation.")
    else:
        st.download_button("Download the note (PDF)" if enc.status == "final" else "Download a draft PDF",
                           data=build, file_name=name, mime="application/pdf", on_click="ignore",
                           type="primary" if enc.status == "final" else "secondary", key=flow.key("pdf"))
    if enc.status == "final":
        left, right = st.columns(2)
        left.button("Amend this note", on_click=start_new_version, args=(*args, "amend"), key=flow.key("amend"))
        right.button("Start a follow-up visit", on_click=start_new_version, args=(*args, "follow_up"),
                     key=flow.key("follow_up"))
