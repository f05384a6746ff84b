"""The patient's page: a separate door reached with ``?invite=TOKEN``, no account, one invitation.

It shows that invitation's questions only, saves every answer at once (resume on the same link),
and when the answers raise an EMERGENCY or SAME_DAY flag it says what to do now, above everything
and in a dialog. It never shows an assessment, a differential or a flag's title. A wrong, used,
expired or revoked token gets one plain message and nothing else. A link that expires or is
revoked while the form is open: the next save or submit says so plainly, the session forgets every
answer it held (nothing is left on screen for whoever picks up the phone next), and the answers
saved before stay in the database for the clinic.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from exam_assistant.previsit.questionnaire import (
    ADVICE,
    BODY_CHART,
    PAIN_SCALES,
    PatientQuestion,
    patient_questions,
    progress,
    urgency,
)
from exam_assistant.store.errors import InvalidEncounterError
from exam_assistant.store.invitations import UNAVAILABLE, Invitation, InvitationDoor, InvitationUnavailable
from exam_assistant.ui import resources
from exam_assistant.ui.bounded import range_problem
from exam_assistant.ui.text import md

_ANSWERS = "_previsit_answers"
_SHOWN = "_previsit_advice_shown"
_DONE = "_previsit_submitted"
_CLOSED = "_previsit_closed"
LINK_CLOSED = (
    "This link has stopped working: it expired or the clinic withdrew it, so nothing more can be saved or sent. "
    "The answers you saved before have been kept for the clinic. Please contact the clinic."
)
YES_NO = {"yes": "Yes", "no": "No", "unknown": "Not sure"}
NPRS = list(range(11))


def _store() -> InvitationDoor:
    return resources.patient_door()


def _close(token: str) -> None:
    """The link stopped working mid-form: forget every answer this session holds."""
    for key in [k for k in st.session_state if str(k).startswith(("pv_", "_previsit_"))]:
        del st.session_state[key]
    st.session_state[_CLOSED] = token


def _answers() -> dict[str, Any]:
    found: dict[str, Any] = st.session_state[_ANSWERS]
    return found


def _finding(q: PatientQuestion, value: Any) -> dict[str, Any] | None:
    if value is None or value == [] or value == "":
        return None
    if q.answer == "multi_choice":
        return {"kind": "multi_choice", "values": list(value)}
    if q.answer == "number":
        return {"kind": "number", "value": float(value)}
    return {"kind": q.answer, "value": str(value)}


def _save(token: str, invitation: Invitation, item_id: str, finding: dict[str, Any] | None) -> None:
    answers = dict(_answers())
    if finding is None:
        answers.pop(item_id, None)
    else:
        answers[item_id] = finding
    level = urgency(answers, invitation.date_of_birth, resources.library())
    try:
        _store().save_answers(token, answers, level)
    except InvalidEncounterError:
        st.session_state["_previsit_error"] = "That answer could not be saved. Please try again."
        return
    except InvitationUnavailable:
        _close(token)
        return
    st.session_state[_ANSWERS] = answers


def _on_change(token: str, invitation: Invitation, q: PatientQuestion, key: str) -> None:
    value = st.session_state.get(key)
    if q.answer == "number" and q.item_id not in PAIN_SCALES:
        problem = range_problem("This answer", value, q.minimum, q.maximum)
        if problem:  # kept in the field, not saved, with what is allowed under it
            st.session_state[f"{key}.problem"] = problem
            return
        st.session_state.pop(f"{key}.problem", None)
    _save(token, invitation, q.item_id, _finding(q, value))


def _on_region(token: str, invitation: Invitation, q: PatientQuestion) -> None:
    chosen = [value for value, _ in q.options if st.session_state.get(f"pv_{q.item_id}_{value}")]
    _save(token, invitation, q.item_id, _finding(q, chosen))


def _current(q: PatientQuestion) -> Any:
    found = _answers().get(q.item_id)
    if found is None:
        return [] if q.answer == "multi_choice" else None
    return found.get("values", found.get("value"))


def _question(token: str, invitation: Invitation, q: PatientQuestion) -> None:
    key = f"pv_{q.item_id}"
    args = (token, invitation, q, key)
    current = _current(q)
    if key not in st.session_state:
        st.session_state[key] = int(current) if q.item_id in PAIN_SCALES and current is not None else current
    # The question is drawn as escaped markdown; the widget keeps the plain words as its (hidden,
    # accessible) label, so a screen reader reads the question without markdown escapes.
    st.markdown(f"**{md(q.text)}**")
    hidden: dict[str, Any] = {"label_visibility": "collapsed"}
    if q.item_id in BODY_CHART:
        cols = st.columns(2)
        for i, (value, text) in enumerate(q.options):
            toggle_key = f"pv_{q.item_id}_{value}"
            if toggle_key not in st.session_state:
                st.session_state[toggle_key] = value in (current or [])
            cols[i % 2].toggle(md(text), key=toggle_key, on_change=_on_region, args=(token, invitation, q))
    elif q.item_id in PAIN_SCALES:
        st.pills(q.text, NPRS, key=key, on_change=_on_change, args=args, **hidden)
    elif q.answer == "yes_no":
        st.radio(q.text, list(YES_NO), format_func=YES_NO.__getitem__, index=None, key=key, horizontal=True,
                 on_change=_on_change, args=args, **hidden)
    elif q.answer == "choice":
        names = dict(q.options)
        st.radio(q.text, list(names), format_func=lambda v: md(names[v]), index=None, key=key,
                 on_change=_on_change, args=args, **hidden)
    elif q.answer == "multi_choice":
        names = dict(q.options)
        st.multiselect(q.text, list(names), format_func=names.__getitem__, key=key, on_change=_on_change, args=args,
                       placeholder="Choose all that apply", **hidden)
    else:
        # no min/max: the browser would only turn an out-of-range number red; _on_change says what is allowed
        st.number_input(q.text, value=None, key=key, on_change=_on_change, args=args, **hidden)
        if problem := st.session_state.get(f"{key}.problem"):
            st.warning(f"{md(problem)} It was not saved.", icon=":material/warning:")


@st.dialog("Please act now")
def _advice_dialog(text: str) -> None:
    st.error(md(text), icon=":material/emergency:")


def _advice(level: str | None) -> None:
    if level is None:
        return
    st.error(f"**{md(ADVICE[level])}**", icon=":material/emergency:")
    if st.session_state.get(_SHOWN) != level:
        st.session_state[_SHOWN] = level
        _advice_dialog(ADVICE[level])


def run(token: str) -> None:
    """Draw the patient's questionnaire for ``token`` (or the one plain message)."""
    st.title("Before your visit")
    if st.session_state.get(_DONE):
        st.success("Thank you. Your answers have been sent to the clinic.")
        return
    if st.session_state.get(_CLOSED) == token:
        st.info(LINK_CLOSED)
        return
    try:
        invitation = _store().open(token)
    except InvitationUnavailable:
        if _ANSWERS in st.session_state:  # the form was open in this session: it closed under the patient
            _close(token)
            st.info(LINK_CLOSED)
        else:
            st.info(UNAVAILABLE)
        return
    if _ANSWERS not in st.session_state:
        st.session_state[_ANSWERS] = dict(invitation.answers)
    _advice(invitation.urgency)
    questions = patient_questions(resources.library())
    st.caption("Your answers are saved as you go. You can close this page and come back with the same link.")
    st.progress(progress(_answers(), questions), text="How far you are")
    if error := st.session_state.pop("_previsit_error", None):
        st.warning(error)
    flagged = [q for q in questions if q.red_flag]
    body = [q for q in questions if q.item_id in BODY_CHART or q.item_id in PAIN_SCALES]
    rest = [q for q in questions if not q.red_flag and q not in body]
    st.subheader("First, some safety questions")
    for q in flagged:
        _question(token, invitation, q)
    st.subheader("Your pain")
    for q in body:
        _question(token, invitation, q)
    st.subheader("More about your problem")
    for q in rest:
        _question(token, invitation, q)
    if st.button("Send my answers to the clinic", type="primary", use_container_width=True):
        try:
            _store().submit(token)
        except InvitationUnavailable:
            _close(token)
            st.rerun()
        st.session_state[_DONE] = True
        st.rerun()
