"""One condition guide entry on screen, and links to it from anywhere in the app.

The Conditions page, the assessment view and practice feedback all use these functions, so a
condition reads the same everywhere. Pack text goes through ``md`` like all other text.
"""

from __future__ import annotations

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from exam_assistant.condition_guide import REGION_TITLES, ConditionGuideEntry, Statement
from exam_assistant.library import Library
from exam_assistant.ui.text import md, tier_label
from exam_assistant.ui.widgets.technique import reference_line

CONDITIONS_PAGE = "exam_assistant/ui/pages/conditions.py"
QUERY_KEY = "condition"
ICON_GUIDE = ":material/menu_book:"


def condition_link(diagnosis_id: str, library: Library, *, label: str | None = None) -> None:
    """A link to the condition's page in the guide; nothing when the guide has no entry for it."""
    if diagnosis_id not in library.conditions or diagnosis_id not in library.diagnoses:
        return
    text = label or f"About {library.diagnoses[diagnosis_id].name}"
    try:
        st.page_link(CONDITIONS_PAGE, label=md(text), icon=ICON_GUIDE, query_params={QUERY_KEY: diagnosis_id})
    except StreamlitPageNotFoundError:
        # an app embedding the exam flow without the Conditions page: show the entry in place
        with st.expander(md(text), icon=ICON_GUIDE):
            condition_view(library.conditions[diagnosis_id], library, patient_text=False)


def guide_link(label: str) -> None:
    """A link to the Conditions page itself (plain text where the app does not register it)."""
    try:
        st.page_link(CONDITIONS_PAGE, label=md(label), icon=ICON_GUIDE)
    except StreamlitPageNotFoundError:
        st.caption(md(label))


def _statements(statements: list[Statement], keys: list[str]) -> None:
    for s in statements:
        numbers = []
        for k in s.references:
            if k not in keys:
                keys.append(k)
            numbers.append(str(keys.index(k) + 1))
        unsure = " *(uncertain)*" if s.uncertain else ""
        st.markdown(f"- {md(s.text)} \\[{', '.join(numbers)}\\]{unsure}")


def _links(entry: ConditionGuideEntry, library: Library) -> None:
    items = [library.items[i].label for i in dict.fromkeys(entry.item_links()) if i in library.items]
    rules = [f"{library.rules[r].title} ({r})" for _, r, _ in entry.rule_links() if r in library.rules]
    if items:
        st.caption("Examination items: " + md("; ".join(items)))
    if rules:
        st.caption("Rules: " + md("; ".join(dict.fromkeys(rules))))


def condition_view(entry: ConditionGuideEntry, library: Library, *, patient_text: bool = True) -> None:
    """Every section of the entry, numbered references at the end; the patient wording in an expander."""
    dx = library.diagnoses[entry.diagnosis]
    st.caption(f"{tier_label(dx.default_tier)} · {md(REGION_TITLES[entry.region])}"
               + (f" · also called {md(', '.join(entry.also_called))}" if entry.also_called else ""))
    keys: list[str] = []
    for heading, statements in entry.sections():
        st.markdown(f"**{md(heading)}**")
        _statements(statements, keys)
    _links(entry, library)
    if patient_text:
        with st.expander("In the patient's words (printed on the handout)"):
            for heading, statements in entry.patient_sections():
                st.markdown(f"**{md(heading)}**")
                _statements(statements, keys)
            for exercise_id in entry.patient.exercises:
                if exercise_id in library.exercises:
                    exercise = library.exercises[exercise_id]
                    st.markdown(f"**Home exercise: {md(exercise.name)}**")
                    _statements([*exercise.steps, *exercise.stop_if], keys)
    with st.expander(f"References ({len(keys)})"):
        for n, key in enumerate(keys, 1):
            st.caption(f"{n}. {reference_line(key, library)}")
