"""Step 1: the patient and the visit. Creates the encounter (and its URL) on first submit."""

from __future__ import annotations

from typing import Any, get_args

import streamlit as st
from pydantic import ValidationError

from exam_assistant.models import Clinician, Encounter, Patient
from exam_assistant.ui import steps
from exam_assistant.ui.bounded import ANY_DATE_MAX, ANY_DATE_MIN, birth_date_problem, visit_date_problem
from exam_assistant.ui.resources import clinic_profile
from exam_assistant.ui.session import Flow
from exam_assistant.ui.text import ICON_ERROR, md

SEX = {"female": "Female", "male": "Male", "other": "Other", "unknown": "Not recorded"}
SETTINGS = {
    "primary_care": "Primary care", "physiotherapy": "Physiotherapy", "sports": "Sports medicine",
    "spine_clinic": "Spine clinic", "emergency": "Emergency department", "teaching": "Teaching", "other": "Other",
}
assert set(SETTINGS) == set(get_args(Encounter.model_fields["setting"].annotation))


def _errors(exc: ValidationError) -> list[str]:
    out = []
    for err in exc.errors(include_url=False):
        where = " ".join(str(p).replace("_", " ") for p in err["loc"])
        out.append(f"{where}: {str(err['msg']).removeprefix('Value error, ')}")
    return out


def _build(values: dict[str, Any], existing: Encounter | None) -> Encounter:
    patient = Patient(
        name=values["name"], date_of_birth=values["dob"], sex=values["sex"],
        identifier=values["identifier"].strip() or None,
    )
    clinician = (
        Clinician(name=values["clinician"].strip(), role=values["role"].strip() or "clinician",
                  registration_number=values["registration"].strip() or None)
        if values["clinician"].strip() else None
    )
    fields = {"patient": patient, "clinician": clinician, "setting": values["setting"],
              "chief_complaint": values["complaint"]}
    if existing is None:
        return Encounter(**fields)
    return Encounter.model_validate({**existing.model_dump(), **fields})


def patient_step(flow: Flow) -> None:
    enc = flow.encounter
    p = enc.patient if enc else None
    c = enc.clinician if enc else None
    epoch = flow.draft.epoch if flow.draft else 0
    st.subheader("Patient and visit")
    if enc is None:
        st.caption("Nothing is stored until you press **Start the examination**. "
                   "After that, every change is saved as you go.")
    with st.form(key=flow.key(f"patient_form.{epoch}"), enter_to_submit=False, border=True):
        left, right = st.columns(2)
        values: dict[str, Any] = {
            "name": left.text_input("Patient name", value=p.name if p else "", max_chars=300),
            "dob": right.date_input("Date of birth", value=p.date_of_birth if p else None,
                                    min_value=ANY_DATE_MIN, max_value=ANY_DATE_MAX, format="DD/MM/YYYY"),
            "sex": left.selectbox("Sex", list(SEX), index=list(SEX).index(p.sex) if p else 3,
                                  format_func=SEX.__getitem__),
            "identifier": right.text_input("Patient identifier (optional)", value=(p.identifier or "") if p else "",
                                           max_chars=300),
            "setting": left.selectbox("Setting", list(SETTINGS), index=list(SETTINGS).index(enc.setting) if enc else 0,
                                      format_func=SETTINGS.__getitem__),
            "clinician": right.text_input("Clinician name", value=c.name if c else "", max_chars=300),
            "role": left.text_input("Clinician role", value=c.role if c else "", max_chars=300,
                                    placeholder="e.g. GP, physiotherapist"),
            "registration": right.text_input("Registration number (optional)",
                                             value=(c.registration_number or "") if c else "", max_chars=300),
            "complaint": st.text_area("Chief complaint", value=enc.chief_complaint if enc else "", max_chars=2000,
                                      placeholder="In the patient's words, e.g. neck pain with tingling into the right hand"),
        }
        label = "Start the examination" if enc is None else "Save patient details"
        submitted = st.form_submit_button(label, type="primary", disabled=flow.read_only)
    if not submitted:
        return
    # the picker takes any date (ANY_DATE_MIN..MAX): the range is checked here, with the reason
    problems = [] if values["name"].strip() else ["Patient name: missing; enter the patient's name."]
    problems += [p for p in [birth_date_problem(values["dob"])] if p]
    not_done = "Not started" if enc is None else "Not saved"
    if problems:
        st.error(f"{not_done}:\n" + "\n".join(f"- {md(m)}" for m in problems), icon=ICON_ERROR)
        return
    try:
        encounter = _build(values, enc)
    except ValidationError as exc:
        st.error(f"{not_done}:\n" + "\n".join(f"- {md(m)}" for m in _errors(exc)), icon=ICON_ERROR)
        return
    visit = visit_date_problem(encounter)
    if visit:
        st.error(f"{not_done}: {md(visit)}", icon=ICON_ERROR)
        return
    if enc is None:
        encounter = steps.with_protocols(clinic_profile().apply_defaults(encounter), flow.library, set())
        if flow.create(encounter):
            st.rerun()
    elif flow.save(encounter, step=steps.HISTORY):
        st.rerun()
