"""Exam Assistant: page set-up and navigation (run with ``streamlit run streamlit_app.py``)."""

from pathlib import Path

import streamlit as st

from exam_assistant.ui.access_gate import allowed_pages, current_user

PAGES = Path(__file__).resolve().parent / "exam_assistant" / "ui" / "pages"

st.set_page_config(page_title="Exam Assistant", page_icon="🩺", layout="wide")

pages = [
    st.Page(PAGES / "examination.py", title="New examination", icon=":material/stethoscope:", default=True),
    st.Page(PAGES / "continue_drafts.py", title="Continue", icon=":material/edit_note:", url_path="continue"),
    st.Page(PAGES / "encounters.py", title="Encounters", icon=":material/folder_open:", url_path="encounters"),
    st.Page(PAGES / "conditions.py", title="Conditions", icon=":material/local_library:", url_path="conditions"),
    st.Page(PAGES / "library.py", title="Protocol library", icon=":material/menu_book:", url_path="library"),
    st.Page(PAGES / "settings.py", title="Settings", icon=":material/settings:", url_path="settings"),
    st.Page(PAGES / "audit.py", title="Audit log", icon=":material/policy:", url_path="audit"),
]
if (PAGES / "practice.py").exists():
    pages.insert(4, st.Page(PAGES / "practice.py", title="Practice", icon=":material/school:", url_path="practice"))

if "invite" in st.query_params:  # the patient's page is a separate door: no sign-in, no navigation
    from exam_assistant.ui.patient_page import run as patient_page

    patient_page(st.query_params["invite"])
    st.stop()

user = current_user()  # sign-in mode: stops at the sign-in screen until someone is signed in
st.navigation(allowed_pages(pages, user)).run()
