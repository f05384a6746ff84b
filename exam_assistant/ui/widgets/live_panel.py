"""The live assessment panel: urgency, clusters, level, top of the differential, first imaging."""

from __future__ import annotations

import streamlit as st

from exam_assistant.engine.assessment import Assessment, ClusterResult, ImagingSuggestion
from exam_assistant.engine.policy import do_not_holders
from exam_assistant.models import Encounter
from exam_assistant.ui.text import TIER_ICON, TIER_WORD, md, percent, tier_label
from exam_assistant.ui.widgets.ask_next import ask_next_text

TOP_DIFFERENTIAL = 3
# colour repeats what the word and the icon already say (never colour alone)
TIER_COLOUR = {"EMERGENCY": "red", "SAME_DAY": "red", "URGENT": "orange", "ROUTINE": "green"}


def cluster_line(c: ClusterResult) -> str:
    count = f"{c.positive} of {c.total} positive" + (f", {c.not_tested} not tested" if c.not_tested else "")
    band = f" · {md(c.band)}" if c.band and c.band != count else ""  # "3 of 4 positive" only once
    post = f" · post-test {percent(c.posttest_probability)}" if c.posttest_probability is not None else ""
    return f"**{md(c.title)}**: {md(count)}{band}{post}"


def imaging_line(i: ImagingSuggestion) -> str:
    if i.first is None:
        weeks = f"; review in {i.review_in_weeks} weeks" if i.review_in_weeks is not None else ""
        return f"No imaging now{md(weeks)} ({md(i.scenario)})"
    return f"{md(i.first.study)} ({md(i.scenario)})"


Line = tuple[str, str]  # (how it is drawn: "markdown", "caption" or a badge tier, the text)


def live_lines(encounter: Encounter | None, assessment: Assessment | None) -> list[Line]:
    """What the panel shows, as plain data: the panel draws exactly these, and a fragment run
    compares them (:func:`exam_assistant.ui.outside.outside_view`) to know whether the panel
    would change."""
    if encounter is None or assessment is None:
        return [("caption", "Starts once the patient is entered.")]
    lines: list[Line] = [("markdown", f"**Patient:** {md(encounter.patient.name)}, {encounter.age} y")]
    if encounter.status == "final":
        lines.append(("markdown", "**Status:** final note (read-only)"))
    lines.append(("badge", assessment.urgency))
    lines += [("markdown", f"- {tier_label(flag.tier)}: {md(flag.title)}") for flag in assessment.red_flags]
    asking = ask_next_text(assessment) if encounter.status != "final" else None  # a signed note takes no answers
    if asking:
        lines.append(("markdown", asking))
    if assessment.clusters:
        lines.append(("markdown", "**Clusters**\n" + "\n".join(f"- {cluster_line(c)}" for c in assessment.clusters)))
    if assessment.level is not None:
        lv = assessment.level
        lines.append(("markdown", f"**Level:** {md(lv.level)} {md(lv.side)} ({md(lv.confidence)})"))
    top = assessment.differential[:TOP_DIFFERENTIAL]
    if top:
        # names in rank order only: the counts behind them move on nearly every answer, and each
        # change of this panel costs a whole-page run (the summary explains every entry)
        many = len(assessment.differential)
        head = f"**Differential (top {TOP_DIFFERENTIAL} of {many})**" if many > TOP_DIFFERENTIAL else "**Differential**"
        lines.append(("markdown", head + "\n" + "\n".join(
            f"{n}. {md(d.name)}" for n, d in enumerate(top, 1))))
    if assessment.imaging:
        lines.append(("markdown", f"**Imaging:** {imaging_line(assessment.imaging[0])}"))
    elif any(h.kind == "imaging" for h in assessment.held_back):
        lines.append(("markdown", "**Imaging:** held back by the red flag"))
    lines += [("markdown", f"**Do not** {md(d.label)} ({md(do_not_holders(d))})") for d in assessment.do_not]
    if not (assessment.clusters or top or assessment.imaging or assessment.level):
        lines.append(("caption", "Nothing to show yet: record the history and tests."))
    return lines


def live_panel(encounter: Encounter | None, assessment: Assessment | None) -> None:
    """The panel, for the sidebar: always reflects the last saved findings."""
    with st.container(key="live_assessment"):
        st.markdown("#### Live assessment")
        for kind, text in live_lines(encounter, assessment):
            if kind == "caption":
                st.caption(text)
            elif kind == "badge":
                st.badge(f"Urgency: {TIER_WORD[text]}", icon=TIER_ICON[text], color=TIER_COLOUR[text])  # type: ignore[arg-type]
            else:
                st.markdown(text)
