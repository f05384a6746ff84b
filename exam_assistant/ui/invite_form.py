"""'Invite a patient' on the Encounters page: a single-use link to the pre-visit questionnaire."""

from __future__ import annotations

import os

import streamlit as st

from exam_assistant.store.errors import InvalidEncounterError
from exam_assistant.store.invitations import DEFAULT_HOURS, MAX_HOURS, check_request
from exam_assistant.store.invite_cli import DEFAULT_BASE_URL, ENV_BASE_URL, invite_link
from exam_assistant.ui import resources
from exam_assistant.ui.bounded import ANY_DATE_MAX, ANY_DATE_MIN, birth_date_problem, range_problem
from exam_assistant.ui.session import FALLBACK_ACTOR, signed_in_user
from exam_assistant.ui.text import md

_LINK = "_invite_form_link"


def invite_form() -> None:
    """A small form: name, date of birth, hours valid; shows the link once (it is not stored)."""
    with st.expander("Invite a patient to answer before the visit", icon=":material/forward_to_inbox:"):
        with st.form("invite_patient", enter_to_submit=False, border=False):
            a, b, c = st.columns([3, 2, 1])
            name = a.text_input("Patient name", max_chars=300, key="invite_name")
            # no limits in the widgets (the browser would only turn the field red): checked below, with the reason
            born = b.date_input("Date of birth", value=None, min_value=ANY_DATE_MIN, max_value=ANY_DATE_MAX,
                                format="DD/MM/YYYY", key="invite_dob")
            hours = c.number_input("Valid (hours)", value=DEFAULT_HOURS, step=1, key="invite_hours",
                                   help=f"From 1 to {MAX_HOURS} hours (30 days).")
            if st.form_submit_button("Create link"):
                bad = [p for p in (birth_date_problem(born), range_problem("Valid (hours)", hours, 1, MAX_HOURS,
                                                                            integer=True)) if p]
                if bad:
                    st.error("Not created: " + " ".join(md(p) for p in bad))
                    return
                try:
                    request = check_request({"patient": {"name": name, "date_of_birth": born},
                                             "expires_hours": hours})
                except InvalidEncounterError as exc:
                    st.error(f"Not created: {md(exc)}")
                    return
                created = resources.invitations().create(request, signed_in_user() or FALLBACK_ACTOR)
                base = os.environ.get(ENV_BASE_URL, "").strip() or DEFAULT_BASE_URL
                st.session_state[_LINK] = invite_link(base, created.token)
        link = st.session_state.pop(_LINK, None)
        if link:
            st.caption("Send this link to the patient. It is shown once, works once and expires.")
            st.code(link, language=None)
