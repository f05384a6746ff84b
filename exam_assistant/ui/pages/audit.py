"""Page: the audit log for administrators: filter events, check the hash chain, export CSV."""

from datetime import UTC, date, datetime, time, timedelta

import streamlit as st

from exam_assistant.store.audit import EVENTS
from exam_assistant.store.audit_chain import AuditKeyError
from exam_assistant.store.audit_query import AuditFilters, events_csv, search
from exam_assistant.ui import resources
from exam_assistant.ui.access_gate import require_page
from exam_assistant.ui.bounded import ANY_DATE_MAX, ANY_DATE_MIN
from exam_assistant.ui.text import md

require_page("audit")
st.title("Audit log")
st.caption("Who created, changed, viewed, finalised, amended, exported or deleted which record, and when. "
           "The log holds no clinical content. Meant for administrators: restrict it with sign-in and roles.")
store = resources.store()

with st.form("audit_filters", enter_to_submit=False):
    first, second = st.columns(2)
    kinds = first.multiselect("Events", list(EVENTS), placeholder="every event")
    actor = first.text_input("Actor contains", max_chars=100)
    encounter = second.text_input("Encounter id", max_chars=36)
    # any date can be typed (the default limits, ten years back, only turned older dates red)
    days = second.date_input("Between", value=[], min_value=ANY_DATE_MIN, max_value=ANY_DATE_MAX,
                             format="YYYY-MM-DD")
    st.form_submit_button("Filter")

span = list(days) if isinstance(days, (list, tuple)) else [days]
since = datetime.combine(span[0], time.min, tzinfo=UTC) if span else None
until = datetime.combine(span[-1], time.min, tzinfo=UTC) + timedelta(days=1, microseconds=-1) if span else None
filters = AuditFilters(tuple(kinds), actor or None, encounter or None, since, until)
events = search(store.engine, filters)

rows = [{"id": e.id, "at (UTC)": e.at.strftime("%Y-%m-%d %H:%M:%S"), "event": e.event, "actor": e.actor,
         "encounter": e.encounter_id or "", "version": e.version, "detail": e.detail} for e in events]
st.caption(f"{len(rows)} event(s), newest first.")
st.dataframe(rows, hide_index=True, width="stretch")
st.download_button("Export these events (CSV)", data=lambda: events_csv(events),
                   file_name=f"audit-{date.today().isoformat()}.csv", mime="text/csv", on_click="ignore",
                   disabled=not rows)

if st.button("Check that the log is intact"):
    try:
        report = store.verify_audit()
    except AuditKeyError as exc:
        st.error(f"The audit key of this server is not usable: {md(str(exc))}")
        st.stop()
    if report.ok:
        how = (f"checked with this server's audit key ({report.keyed_events} keyed event(s))" if report.keyed else
               "unkeyed links only: this server holds no audit key, so a database owner could have rebuilt them")
        st.success(f"Intact: {report.events} event(s) chained, {how}. Head hash `{report.head or '-'}`: keep a "
                   "copy elsewhere to prove later that nothing was rewritten or removed since.")
    else:
        st.error(f"The audit log was tampered with: {md(str(report.problem))}")
