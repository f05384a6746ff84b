"""Links between pages: open an encounter in the examination page."""

from __future__ import annotations

import streamlit as st

from exam_assistant.ui.session import DEFAULT_PREFIX, query_param_for

EXAM_PAGE = "exam_assistant/ui/pages/examination.py"


def open_in_exam(encounter_id: str) -> None:
    """Switch to the examination page with ``encounter_id`` in the URL (stops this run)."""
    st.switch_page(EXAM_PAGE, query_params={query_param_for(DEFAULT_PREFIX): encounter_id})
