""""Ask next": the unanswered questions that could raise a red flag, most urgent first, and the
warning when an EMERGENCY diagnosis leads the differential while its red flag is undecided."""

from __future__ import annotations

import streamlit as st

from exam_assistant.engine.assess import lead_above_urgency, leading_above_urgency
from exam_assistant.engine.assessment import Assessment, OpenQuestion
from exam_assistant.ui.text import ICON_WARNING, md, tier_label

TOP_QUESTIONS = 3
TOP_ITEMS = 4


def _items(q: OpenQuestion) -> str:
    labels = [md(i.label) for i in q.items[:TOP_ITEMS]]
    more = f" (+{len(q.items) - TOP_ITEMS} more)" if len(q.items) > TOP_ITEMS else ""
    return "; ".join(labels) + more


def ask_next_text(assessment: Assessment | None) -> str | None:
    """Markdown lines for the most urgent undecided red flags (None when none is open)."""
    if assessment is None or not assessment.open_questions:
        return None
    lines = [f"- {tier_label(q.tier)} {md(q.title)}: {_items(q)}" for q in assessment.open_questions[:TOP_QUESTIONS]]
    return "**Ask next** (could raise a red flag)\n" + "\n".join(lines)


def ask_next(assessment: Assessment | None) -> None:
    text = ask_next_text(assessment)
    if text:
        with st.container(key="ask_next"):
            st.markdown(text)


def possible_emergency_text(assessment: Assessment | None) -> str | None:
    """Never a bare lower tier beside a more urgent leading diagnosis (the engine's test, as the
    headline uses): what decides its flag, or the headline's sentence that no flag for it is met."""
    if assessment is None:
        return None
    lead = leading_above_urgency(assessment.differential, assessment.urgency)
    if lead is None:
        return None
    for q in assessment.open_questions:
        if lead.id in q.suggests:
            return f"**Possible {md(lead.name.lower())}: answer these to decide.** {_items(q)}"
    return f"**{md(lead_above_urgency(assessment.differential, assessment.urgency, assessment.open_questions).strip())}**"


def possible_emergency(assessment: Assessment | None) -> None:
    text = possible_emergency_text(assessment)
    if text:
        st.warning(text, icon=ICON_WARNING)
