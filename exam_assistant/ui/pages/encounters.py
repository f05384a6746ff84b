"""Page: find encounters, open one, start a follow-up, chart outcome scores, export CSV.

A reviewer (sign-in mode) gets the same page reading the clinic's final notes only: no invitation,
export, open-for-editing or follow-up, and no outcome chart (it reads drafts too)."""

from datetime import UTC, date, datetime, time

import pandas as pd
import streamlit as st

from exam_assistant.store import ConflictError, EncounterFilters, EncounterRepository
from exam_assistant.store.export import encounters_frame
from exam_assistant.ui import resources
from exam_assistant.ui.access_gate import require_page
from exam_assistant.ui.bounded import ANY_DATE_MAX, ANY_DATE_MIN, shown_date
from exam_assistant.ui.invite_form import invite_form
from exam_assistant.ui.nav import open_in_exam
from exam_assistant.ui.paging import keyset_page, paging_buttons
from exam_assistant.ui.session import signed_in_user
from exam_assistant.ui.text import ICON_WARNING, md

STATUS = {"any": "Any", "draft": "Draft", "final": "Final"}
clock = resources.clinic_profile().clock()  # the clinic's time zone and date format
SCORES = {"nprs": "Pain now (NPRS 0-10)", "ndi_percent": "Neck Disability Index (%)", "quickdash": "QuickDASH (0-100)"}

user = require_page("review")  # every run: a role without it sees nothing below
may_change = user is None or user.can("records")  # a reviewer reads final notes only
st.title("Encounters")
if may_change:
    invite_form()
store = resources.store()
library = resources.library()

with st.form("encounter_search", enter_to_submit=False, border=True):
    a, b, c = st.columns([2, 2, 1])
    patient = a.text_input("Patient name or identifier", max_chars=300)
    clinician = b.text_input("Clinician", max_chars=300)
    status = c.selectbox("Status", list(STATUS), format_func=STATUS.__getitem__)
    d, e = st.columns(2)
    # any date can be typed (the default limits, ten years either side, only turned older dates red)
    since = d.date_input("Visits from", value=None, format="DD/MM/YYYY", min_value=ANY_DATE_MIN,
                         max_value=ANY_DATE_MAX)
    until = e.date_input("Visits until", value=None, format="DD/MM/YYYY", min_value=ANY_DATE_MIN,
                         max_value=ANY_DATE_MAX)
    st.form_submit_button("Search", type="primary")
if isinstance(since, date) and isinstance(until, date) and since > until:
    st.warning(f"Visits from ({shown_date(since)}) is after Visits until ({shown_date(until)}), so no visit "
               "can match: swap the two dates.", icon=ICON_WARNING)

filters = EncounterFilters(
    patient=patient or None, clinician=clinician or None,
    status=None if status == "any" else status,  # type: ignore[arg-type]
    since=datetime.combine(since, time.min, UTC) if isinstance(since, date) else None,
    until=datetime.combine(until, time.max, UTC) if isinstance(until, date) else None,
)
total = store.count(filters)
found = keyset_page("encounters.page", repr(filters), lambda after, limit: store.list(filters, limit, after=after))
st.caption(f"{total} encounter(s) found, newest visit first" + ("" if may_change else " (final notes only)"))


if found:
    st.dataframe(
        pd.DataFrame([{
            "Visit": clock.when(s.created_at), "Patient": s.patient_name,
            "Born": clock.day(s.date_of_birth), "Identifier": s.patient_identifier or "",
            "Status": s.status, "Clinician": s.clinician_name or "", "Last saved by": s.updated_by,
            "Follow-up": "yes" if s.previous_encounter_id else "", "Amendment": "yes" if s.amends_id else "",
        } for s in found]),
        hide_index=True, width="stretch",
    )
paging_buttons("encounters.page", found)


def _csv(repo: EncounterRepository, chosen: EncounterFilters, notes: bool, actor: str) -> bytes:
    """Built on click: every matching encounter, one row each (free text only when asked)."""
    stored = list(repo.iter_encounters(chosen))
    for s in stored:
        repo.record_export(s.id, actor, "csv")
    return encounters_frame(stored, include_notes=notes).to_csv(index=False).encode("utf-8")


left, right = st.columns([3, 2], vertical_alignment="bottom")
if may_change:
    with right:
        notes = st.checkbox("Include free text (complaint, notes) in the CSV", value=False)
        st.download_button(
            "Export these encounters (CSV)",
            data=lambda: _csv(store, filters, notes, signed_in_user() or "clinic user"),
            file_name=f"encounters-{date.today().isoformat()}.csv", mime="text/csv", on_click="ignore",
            disabled=not found,
        )
with left:
    labels = {s.id: f"{s.patient_name} · visit {clock.day(clock.local_day(s.created_at))} · {s.status}" for s in found}
    chosen_id = st.selectbox("Encounter", list(labels), index=None, format_func=labels.__getitem__,
                             placeholder="Choose an encounter to open", disabled=not found)
    chosen = next((s for s in found if s.id == chosen_id), None)

if chosen is not None:
    if st.session_state.get("_encounters_viewed") != chosen.id:  # log a view once, not every rerun
        record = store.view(chosen.id, signed_in_user() or "clinic user")
        st.session_state["_encounters_viewed"] = chosen.id
    else:
        record = store.get(chosen.id)
    enc = record.encounter
    with st.container(border=True):
        # user text goes through st.text: never read as markdown, never turned into a link
        st.text(f"{enc.patient.name}, {enc.age} y · visit {clock.day(clock.local_day(enc.created_at))} · "
                f"{record.status} · version {record.version}")
        if enc.chief_complaint:
            st.text(enc.chief_complaint)
        if not may_change:
            st.stop()  # a reviewer: the record is shown read-only, nothing to open or start
        open_col, follow_col = st.columns(2)
        if open_col.button("Open", type="primary", width="stretch"):
            open_in_exam(chosen.id)
        if follow_col.button("Start a follow-up visit", width="stretch",
                             help="A new draft carrying over the patient, clinician and history answers"):
            try:
                new = store.start_follow_up(chosen.id, signed_in_user() or (enc.clinician.name if enc.clinician
                                                                              else "clinic user"))
            except ConflictError as exc:
                st.error(md(str(exc)))
            else:
                open_in_exam(new.id)
    series = store.outcome_series(enc.patient, library)
    st.markdown("##### Outcome scores over visits")
    shown = {k: v for k, v in SCORES.items() if k in series and series[k].notna().any()}
    if series.empty or not shown:
        st.caption("No outcome score recorded for this patient yet (NPRS, NDI or QuickDASH).")
    else:
        chart = series.assign(visit=pd.to_datetime(series["visit_date"])).set_index("visit")[list(shown)]
        st.line_chart(chart.rename(columns=shown), x_label="Visit", y_label="Score")
        st.dataframe(series[["visit_date", "status", *shown]].rename(columns=shown), hide_index=True)
