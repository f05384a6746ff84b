"""The clinician's decisions on the summary step: accept, change or decline each suggestion with
one click, add their own (prescription, imaging request, referral, advice, follow-up date) and
record the shared decision. Decisions are saved apart from the findings; the assessment never
reads them. Declining a suggestion while a red flag is raised asks for a reason first.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st
from pydantic import ValidationError

from exam_assistant.decision_models import Decisions, ImagingRequest, Prescription, Referral
from exam_assistant.engine.assessment import Assessment
from exam_assistant.library import Library
from exam_assistant.store import EncounterRepository
from exam_assistant.suggestions import Suggestion, decide, red_flag_raised, suggestions
from exam_assistant.ui.bounded import ANY_DATE_MAX, ANY_DATE_MIN, follow_up_problem
from exam_assistant.ui.resources import clinic_profile
from exam_assistant.ui.session import Flow, Notice
from exam_assistant.ui.text import md

DATE_INPUT_FORMATS = {"dd/mm/yyyy": "DD/MM/YYYY", "mm/dd/yyyy": "MM/DD/YYYY", "yyyy-mm-dd": "YYYY-MM-DD",
                      "dd.mm.yyyy": "DD.MM.YYYY"}  # the clinic's date format, in Streamlit's spelling
STATUS_LABELS = {"accepted": "Accept", "changed": "Change", "declined": "Decline"}
URGENCIES = ["routine", "soon", "urgent", "emergency"]


def done_protocols(flow: Flow) -> frozenset[str]:
    enc = flow.encounter
    recorded = set(enc.findings) if enc else set()
    return frozenset(
        pid for pid, loaded in flow.library.packs.items() if any(i.id in recorded for i in loaded.pack.items())
    )


def _save(flow: Flow, decisions: Decisions) -> None:
    flow.update(decisions=decisions.model_dump(mode="json"))


def _suggestion(flow: Flow, suggestion_id: str) -> tuple[Suggestion, Assessment] | None:
    assessment = flow.assessment
    if assessment is None:
        return None
    found = next((s for s in suggestions(assessment, done_protocols(flow)) if s.id == suggestion_id), None)
    return (found, assessment) if found else None


def on_decision(prefix: str, store: EncounterRepository, library: Library, suggestion_id: str) -> None:
    """A click on Accept, Change or Decline (or clearing it): saved at once when complete."""
    flow = Flow(prefix, store, library)
    enc, pair = flow.encounter, _suggestion(flow, suggestion_id)
    if enc is None or pair is None:
        return
    sug, assessment = pair
    status = st.session_state.get(flow.key(f"decision.{sug.id}"))
    reason = str(st.session_state.get(flow.key(f"decision.{sug.id}.reason"), "") or "")
    change = str(st.session_state.get(flow.key(f"decision.{sug.id}.change"), "") or "")
    if status == "declined" and red_flag_raised(assessment) and not reason.strip():
        return  # kept pending on screen until the reason is typed
    if status == "changed" and not change.strip():
        return  # kept pending until what was done instead is typed
    try:
        _save(flow, decide(enc.decisions, sug, status, assessment, reason=reason, change=change))
    except ValidationError as exc:
        flow.notify(Notice("error", "; ".join(e["msg"].removeprefix("Value error, ") for e in exc.errors())))


def _decision_row(flow: Flow, sug: Suggestion, decisions: Decisions, red_flag: bool) -> None:
    args = (flow.prefix, flow.store, flow.library, sug.id)
    key = flow.key(f"decision.{sug.id}")
    current = decisions.about(sug.id)
    if key not in st.session_state:
        st.session_state[key] = current.status if current else None
        st.session_state[f"{key}.reason"] = (current.reason or "") if current else ""
        st.session_state[f"{key}.change"] = (current.change or "") if current else ""
    left, right = st.columns([3, 2])
    left.markdown(f"**{md(sug.title)}**  \n{md(sug.text)}")
    right.segmented_control(
        "Decision", list(STATUS_LABELS), format_func=STATUS_LABELS.__getitem__, key=key,
        on_change=on_decision, args=args, disabled=flow.read_only, label_visibility="collapsed",
    )
    status = st.session_state.get(key)
    if status == "changed":
        right.text_input("What was done instead", key=f"{key}.change", max_chars=1000, on_change=on_decision,
                         args=args, disabled=flow.read_only)
    if status == "declined":
        label = "Reason (required: a red flag is raised)" if red_flag else "Reason (optional)"
        right.text_input(label, key=f"{key}.reason", max_chars=1000, on_change=on_decision, args=args,
                         disabled=flow.read_only)
        if red_flag and not str(st.session_state.get(f"{key}.reason", "")).strip():
            right.warning("Not recorded yet: give the reason for declining beside a red flag.")


def _add(prefix: str, store: EncounterRepository, library: Library, kind: str) -> None:
    flow = Flow(prefix, store, library)
    enc = flow.encounter
    if enc is None:
        return
    values: dict[str, Any] = {
        name.rsplit(".", 1)[1]: st.session_state.get(name)
        for name in list(st.session_state.keys())
        if isinstance(name, str) and name.startswith(flow.key(f"add.{kind}."))
    }
    d = enc.decisions
    try:
        if kind == "rx":
            d = d.model_copy(update={"prescriptions": [*d.prescriptions, Prescription.model_validate(values)]})
        elif kind == "imaging":
            d = d.model_copy(update={"imaging_requests": [*d.imaging_requests, ImagingRequest.model_validate(
                {**values, "reason": values.get("reason") or None})]})
        elif kind == "referral":
            d = d.model_copy(update={"referrals": [*d.referrals, Referral.model_validate(
                {**values, "reason": values.get("reason") or None})]})
        elif kind == "advice":
            d = d.model_copy(update={"advice": [*d.advice, str(values.get("text") or "")]})
        d = Decisions.model_validate(d.model_dump())
    except ValidationError as exc:
        where = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        flow.notify(Notice("error", f"Not added: {where}"))
        return
    _save(flow, d)


def _remove(prefix: str, store: EncounterRepository, library: Library, field: str, index: int) -> None:
    flow = Flow(prefix, store, library)
    enc = flow.encounter
    if enc is None:
        return
    items = list(getattr(enc.decisions, field))
    if 0 <= index < len(items):
        items.pop(index)
        _save(flow, enc.decisions.model_copy(update={field: items}))


def on_follow_up(prefix: str, store: EncounterRepository, library: Library) -> None:
    flow = Flow(prefix, store, library)
    enc = flow.encounter
    if enc is not None:
        value = st.session_state.get(flow.key("decisions.follow_up"))
        chosen = value if isinstance(value, date) else None
        problem = follow_up_problem(chosen, enc.visit_date)
        flow.set_field_error("decisions.follow_up", problem)
        if problem is None:  # a refused date stays in the field beside its message, unsaved
            _save(flow, enc.decisions.model_copy(update={"follow_up": chosen}))


def on_shared(prefix: str, store: EncounterRepository, library: Library) -> None:
    flow = Flow(prefix, store, library)
    enc = flow.encounter
    if enc is not None:
        text = str(st.session_state.get(flow.key("decisions.shared"), "") or "")
        _save(flow, enc.decisions.model_copy(update={"shared_decision": text}))


def _additions(flow: Flow, d: Decisions) -> None:
    args = (flow.prefix, flow.store, flow.library)
    from reports.decided import rx_line  # one wording for the screen and the note

    listed = [("prescriptions", f"Prescribed: {rx_line(rx)}") for rx in d.prescriptions]
    listed += [("imaging_requests", f"Imaging requested: {r.study} ({r.urgency})") for r in d.imaging_requests]
    listed += [("referrals", f"Referred to {r.to} ({r.urgency})") for r in d.referrals]
    listed += [("advice", f"Advice given: {a}") for a in d.advice]
    counters: dict[str, int] = {}
    for field, text in listed:
        n = counters.get(field, 0)
        counters[field] = n + 1
        row = st.columns([5, 1])
        row[0].markdown(md(text))
        row[1].button("Remove", key=flow.key(f"remove.{field}.{n}"), on_click=_remove, args=(*args, field, n),
                      disabled=flow.read_only)
    if flow.read_only:
        return
    with st.expander("Add a prescription, imaging request, referral or advice"):
        kind = st.radio("Add", ["rx", "imaging", "referral", "advice"], horizontal=True, key=flow.key("add.kind"),
                        format_func={"rx": "Prescription", "imaging": "Imaging request", "referral": "Referral",
                                     "advice": "Advice given"}.__getitem__)
        fields = {
            "rx": [("drug", "Drug"), ("dose", "Dose"), ("route", "Route"), ("frequency", "Frequency"),
                   ("duration", "Duration")],
            "imaging": [("study", "Study"), ("reason", "Reason (optional)")],
            "referral": [("to", "Referred to"), ("reason", "Reason (optional)")],
            "advice": [("text", "Advice given")],
        }[kind]
        for name, label in fields:
            st.text_input(label, key=flow.key(f"add.{kind}.{name}"), max_chars=300)
        if kind in ("imaging", "referral"):
            st.selectbox("Urgency", URGENCIES, key=flow.key(f"add.{kind}.urgency"))
        st.button("Add to the plan", key=flow.key("add.submit"), on_click=_add, args=(*args, kind))


def decisions_panel(flow: Flow) -> None:
    """What the clinician decided, under the assessment on the summary step."""
    enc, assessment = flow.encounter, flow.assessment
    if enc is None or assessment is None:
        return
    st.subheader("Decisions")
    st.caption("Accept, change or decline each suggestion; add your own. Saved with the note, apart from the "
               "findings; the note's Plan shows what was decided and, in one line each, what was not taken.")
    red_flag = red_flag_raised(assessment)
    for sug in suggestions(assessment, done_protocols(flow)):
        _decision_row(flow, sug, enc.decisions, red_flag)
    _additions(flow, enc.decisions)
    args = (flow.prefix, flow.store, flow.library)
    key = flow.key("decisions.follow_up")
    if key not in st.session_state:
        st.session_state[key] = enc.decisions.follow_up
    # no widget limits (they refuse silently, decision 39): follow_up_problem names the range
    st.date_input("Follow-up date", key=key, on_change=on_follow_up, args=args, disabled=flow.read_only,
                  min_value=ANY_DATE_MIN, max_value=ANY_DATE_MAX,
                  format=DATE_INPUT_FORMATS[clinic_profile().clock().date_format])
    problem = flow.field_error("decisions.follow_up")
    if problem:
        st.error(f"Not saved: {md(problem)}")
    shared = flow.key("decisions.shared")
    if shared not in st.session_state:
        st.session_state[shared] = enc.decisions.shared_decision
    st.text_area("Shared decision (discussed options, what the patient chose)", key=shared, max_chars=4000,
                 on_change=on_shared, args=args, disabled=flow.read_only, height=80)
