"""The live assessment panel: urgency, clusters, level, top of the differential, first imaging."""

from __future__ import annotations

import streamlit as st

from exam_assistant.engine.assessment import Assessment, ClusterResult, ImagingSuggestion
from exam_assistant.models import Encounter
from exam_assistant.ui.text import TIER_ICON, TIER_WORD, md, percent, tier_label
from exam_assistant.ui.widgets.ask_next import ask_next_text

TOP_DIFFERENTIAL = 3
# colour repeats what the word and the icon already say (never colour alone)
TIER_COLOUR = {"EMERGENCY": "red", "SAME_DAY": "red", "URGENT": "orange", "ROUTINE": "green"}


def cluster_line(c: ClusterResult) -> str:
    count = f"{c.positive} of {c.total} positive" + (f", {c.not_tested} not tested" if c.not_tested else "")
    band = f" · {md(c.band)}" if c.band else ""
    post = f" · post-test {percent(c.posttest_probability)}" if c.posttest_probability is not None else ""
    return f"**{md(c.title)}**: {md(count)}{band}{post}"


def imaging_line(i: ImagingSuggestion) -> str:
    if i.first is None:
        weeks = f"; review in {i.review_in_weeks} weeks" if i.review_in_weeks is not None else ""
        return f"No imaging now{md(weeks)} ({md(i.scenario)})"
    return f"{md(i.first.study)} ({md(i.scenario)})"


def live_panel(encounter: Encounter | None, assessment: Assessment | None) -> None:
    """The panel, for the sidebar: always reflects the last saved findings."""
    with st.container(key="live_assessment"):
        st.markdown("#### Live assessment")
        if encounter is None or assessment is None:
            st.caption("Starts once the patient is entered.")
            return
        st.markdown(f"**Patient:** {md(encounter.patient.name)}, {encounter.age} y")
        if encounter.status == "final":
            st.markdown("**Status:** final note (read-only)")
        urgency = assessment.urgency
        st.badge(f"Urgency: {TIER_WORD[urgency]}", icon=TIER_ICON[urgency], color=TIER_COLOUR[urgency])  # type: ignore[arg-type]
        for flag in assessment.red_flags:
            st.markdown(f"- {tier_label(flag.tier)}: {md(flag.title)}")
        asking = ask_next_text(assessment)
        if asking:
            st.markdown(asking)
        if assessment.clusters:
            st.markdown("**Clusters**\n" + "\n".join(f"- {cluster_line(c)}" for c in assessment.clusters))
        if assessment.level is not None:
            lv = assessment.level
            st.markdown(f"**Level:** {md(lv.level)} {md(lv.side)} ({md(lv.confidence)})")
        top = assessment.differential[:TOP_DIFFERENTIAL]
        if top:
            st.markdown("**Differential (top 3)**\n" + "\n".join(
                f"{n}. {md(d.name)} ({len(d.for_)} for, {len(d.against)} against)" for n, d in enumerate(top, 1)
            ))
        if assessment.imaging:
            st.markdown(f"**Imaging:** {imaging_line(assessment.imaging[0])}")
        elif any(h.kind == "imaging" for h in assessment.held_back):
            st.markdown("**Imaging:** held back by the red flag")
        for d in assessment.do_not:
            st.markdown(f"**Do not** {md(d.label)} ({md(d.holder_title)})")
        if not (assessment.clusters or top or assessment.imaging or assessment.level):
            st.caption("Nothing to show yet: record the history and tests.")
