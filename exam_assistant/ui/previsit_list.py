"""The clinic's list of patients' pre-visit answers: flagged submissions first, one click to start."""

from __future__ import annotations

import streamlit as st

from exam_assistant.previsit.importing import start_encounter
from exam_assistant.store.invitations import can_start
from exam_assistant.ui import resources
from exam_assistant.ui.nav import open_in_exam
from exam_assistant.ui.session import FALLBACK_ACTOR, signed_in_user
from exam_assistant.ui.text import md, tier_label

ADVICE_SHOWN = {"EMERGENCY": "told to call an ambulance now", "SAME_DAY": "told to go to the emergency department today"}


def show_submitted() -> None:
    """Submitted answers not yet opened, EMERGENCY then SAME_DAY then the rest; 'Start' opens a draft."""
    repo = resources.store()
    invitations = resources.invitations()
    # answers saved on a link that expired before they were sent are offered too: they may hold a flag
    waiting = [i for i in invitations.list(states=("submitted", "expired")) if can_start(i)]
    if not waiting:
        return
    st.subheader("Answers sent by patients before their visit")
    clock = resources.clinic_profile().clock()
    for inv in waiting:
        with st.container(border=True):
            info, action = st.columns([4, 1], vertical_alignment="center")
            if inv.urgency:
                info.error(f"{tier_label(inv.urgency)}: the patient was {ADVICE_SHOWN[inv.urgency]}")
            info.markdown(f"**{md(inv.patient_name)}** · born {md(clock.day(inv.date_of_birth))}")
            sent = "" if inv.state == "submitted" else " · not sent: the link expired while the patient was answering"
            info.caption(f"{len(inv.answers)} answers · patient-reported · link sent {md(clock.when(inv.created_at))}"
                         f"{sent}")
            if action.button("Start from these answers", key=f"previsit.{inv.id}", type="primary", width="stretch"):
                stored = start_encounter(invitations, repo, inv.id, signed_in_user() or FALLBACK_ACTOR)
                open_in_exam(str(stored.encounter.id))
