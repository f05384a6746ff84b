"""A host Streamlit app embedding the Exam Assistant examination flow.

Run with ``streamlit run examples/embed_app.py``. The host keeps its own page, title and
sidebar; the flow draws into the container it is given, keeps its state under its own key
prefix and puts its encounter id in ``?clinic_encounter=``.
"""

import streamlit as st

from exam_assistant.ui import exam_flow

st.set_page_config(page_title="Clinic portal", layout="wide")
st.title("Clinic portal")
st.caption("The host app's own content sits around the embedded examination.")

with st.sidebar:
    st.markdown("**Clinic portal**")
    st.caption("Host app navigation would go here.")

exam_flow(container=st.container(border=True), key_prefix="clinic")
