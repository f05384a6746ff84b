"""Page: the drafts not yet finalised, newest first, each one click from where it was left."""

import streamlit as st

from exam_assistant.store import EncounterFilters
from exam_assistant.ui import resources, steps
from exam_assistant.ui.access_gate import require_page
from exam_assistant.ui.nav import open_in_exam
from exam_assistant.ui.paging import keyset_page, paging_buttons
from exam_assistant.ui.previsit_list import show_submitted
from exam_assistant.ui.text import md

require_page("records")  # on every run: nothing below is drawn for a role without records
st.title("Continue an examination")
show_submitted()  # patients' pre-visit answers, flagged ones first
store = resources.store()
clock = resources.clinic_profile().clock()  # the clinic's time zone and date format
drafts = keyset_page("continue.page", "drafts",
                     lambda after, limit: store.list(EncounterFilters(status="draft"), limit, after=after))
if not drafts:
    st.info("No draft examinations. Start one from **New examination**.")
for draft in drafts:
    with st.container(border=True):
        info, action = st.columns([4, 1], vertical_alignment="center")
        step = (draft.ui_step or steps.HISTORY).removeprefix(steps.EXAM_PREFIX).replace("_", " ")
        info.markdown(
            f"**{md(draft.patient_name)}** · born {md(clock.day(draft.date_of_birth))}"
            + (f" · {md(draft.patient_identifier)}" if draft.patient_identifier else "")
        )
        info.caption(
            f"Visit {md(clock.when(draft.created_at))} · last saved "
            f"{md(clock.when(draft.updated_at))} by {md(draft.updated_by)} · at step: {md(step)}"
            + (" · amendment of a final note" if draft.amends_id else "")
            + (" · follow-up visit" if draft.previous_encounter_id else "")
        )
        if action.button("Continue", key=f"continue.{draft.id}", type="primary", width="stretch"):
            open_in_exam(draft.id)
paging_buttons("continue.page", drafts)
