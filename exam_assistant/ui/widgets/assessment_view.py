"""The full assessment, each entry with its rule, its reason and its sources ("why?"), in the
order a clinician acts on it (see :func:`assessment_view`)."""

from __future__ import annotations

import streamlit as st

from exam_assistant.engine.assessment import Assessment, ClusterResult, DifferentialEntry, ImagingSuggestion
from exam_assistant.engine.policy import do_not_holders, held_back_lines
from exam_assistant.library import Library
from exam_assistant.protocol import TIER_ORDER
from exam_assistant.ui.text import ICON_BLOCKED, humanise, md, percent, tier_label
from exam_assistant.ui.widgets.condition_view import condition_link
from exam_assistant.ui.widgets.live_panel import imaging_line
from exam_assistant.ui.widgets.technique import reference_line


def _why(rule_id: str, reason: str, refs: list[str], library: Library) -> None:
    with st.expander(f"Why? (rule {rule_id})"):
        st.markdown(md(reason))
        for key in refs:
            st.caption(reference_line(key, library))


def _sources(reason: str, refs: list[str], library: Library) -> None:
    """A rule's reason and sources, for use inside an expander (expanders do not nest)."""
    st.markdown(md(reason))
    for key in refs:
        st.caption(reference_line(key, library))


def _cluster_line(c: ClusterResult) -> str:
    line = (f"**{md(c.title)}** ({md(humanise(c.target))}): {c.positive} positive · {c.negative} negative · "
            f"{c.not_tested} not tested of {c.total}")
    if c.band:
        line += f" · **{md(c.band)}**"
    if c.posttest_probability is not None and (c.lr_positive is not None or c.lr_negative is not None):
        line += f" · post-test {percent(c.posttest_probability)}"
    return line


def _cluster_details(c: ClusterResult, library: Library) -> None:
    st.markdown(md(c.interpretation))
    if c.lr_positive is not None or c.lr_negative is not None:
        lr = c.lr_positive if c.lr_positive is not None else c.lr_negative
        st.markdown(
            f"Likelihood ratio {lr:g}; pre-test {percent(c.pretest_probability)} → "
            f"post-test **{percent(c.posttest_probability)}**"
            + (f" (pre-test from {md(c.pretest_source)})" if c.pretest_source else "")
        )
    if c.verification != "primary":
        st.caption(f"Figure {md(c.verification)}: check against the primary source.")
    if c.caveat:
        st.warning(f"Caveat: {md(c.caveat)}")
    _sources(c.reason, c.references, library)


def _imaging(i: ImagingSuggestion, library: Library) -> None:
    st.markdown(f"**{md(i.title)}**: {imaging_line(i)}")
    if i.first is not None and i.first.why:
        st.caption(md(i.first.why))
    for alt in i.alternatives:
        st.markdown(f"- Alternative: {md(alt.study)} ({md(alt.appropriateness)})")
    for no in i.not_appropriate:
        st.markdown(f"- Not appropriate: {md(no.study)}" + (f": {md(no.why)}" if no.why else ""))
    if i.acr_topic:
        st.caption(f"ACR Appropriateness Criteria: {md(i.acr_topic)} {md(i.acr_version or '')}")
    _why(i.id, i.reason, i.references, library)


def _urgency(a: Assessment, library: Library) -> None:
    """Urgency, red flags, what not to do and the tests not to perform: first, never folded."""
    st.markdown(f"**Urgency:** {tier_label(a.urgency)}  \n{md(a.headline)}")
    for flag in a.red_flags:
        st.markdown(f"**{tier_label(flag.tier)}: {md(flag.title)}** — {md(flag.action)}")
        _why(flag.id, flag.reason, flag.references, library)
        for dx_id in flag.suggests:
            condition_link(dx_id, library)
    do_not(a)
    if a.contraindications:
        st.markdown("##### Tests not to be performed")
        by_reason: dict[str, list[str]] = {}  # one line per reason: a dozen neck tests share one
        for ci in a.contraindications:
            label = library.items[ci.item].label if ci.item in library.items else ci.item
            named = by_reason.setdefault(ci.why, [])
            if label not in named:
                named.append(label)
        for why, labels in by_reason.items():
            st.markdown(f"- {ICON_BLOCKED} {md(why)} **Not to be performed:** {md('; '.join(labels))}")


def _diagnosis(entry: DifferentialEntry, n: int, library: Library) -> None:
    st.markdown(f"{n}. **{md(entry.name)}** ({tier_label(entry.tier)})")
    st.caption("For: " + md("; ".join(e.finding for e in entry.for_))
               + ("  \nAgainst: " + md("; ".join(e.finding for e in entry.against)) if entry.against else ""))
    condition_link(entry.id, library)


def _working_diagnosis(a: Assessment, library: Library) -> None:
    """The leading diagnosis and the root level; any other diagnosis above ROUTINE is named at
    once (its details follow the plan with the rest of the differential)."""
    if not a.differential and a.level is None:
        return
    st.markdown("##### Working diagnosis")
    if a.differential:
        _diagnosis(a.differential[0], 1, library)
    if a.level is not None:
        lv = a.level
        st.markdown(f"Root level: **{md(lv.level)} {md(lv.side)}** ({md(lv.confidence)}): "
                    + md("; ".join(f"{f.label} {f.value}" for f in lv.supporting)))
        for la in lv.lookalikes:
            st.caption(f"Look-alike: {md(la.condition)}: {md(la.distinguish)}")
        _why(lv.id, lv.reason, lv.references, library)
    pressing = [(n, e) for n, e in enumerate(a.differential[1:], 2) if TIER_ORDER[e.tier] > TIER_ORDER["ROUTINE"]]
    if pressing:
        st.markdown("Also to rule out: " + "; ".join(f"{n}. **{md(e.name)}** ({tier_label(e.tier)})"
                                                      for n, e in pressing))


def _rest_of_differential(a: Assessment, library: Library) -> None:
    if len(a.differential) > 1:
        st.markdown("##### Also in the differential")
        for n, entry in enumerate(a.differential[1:], 2):
            _diagnosis(entry, n, library)


def _plan(a: Assessment, library: Library) -> None:
    if a.imaging:
        st.markdown("##### Imaging")
        for i in a.imaging:
            _imaging(i, library)
    if a.treatment:
        st.markdown("##### Management")
        for t in a.treatment:
            st.markdown(f"**{md(t.title)}** ({md(t.pathway)})")
            for step in t.steps:
                review = f" (review in {step.review_in_weeks} weeks)" if step.review_in_weeks else ""
                st.markdown(f"- *{md(humanise(step.stage))}*: {md(step.text)}{md(review)}")
                for caution in step.cautions:
                    st.caption(f"Caution: {md(caution)}")
            _why(t.id, t.reason, t.references, library)
    held_back(a)


def _supporting(a: Assessment, library: Library) -> None:
    """Decision rules, test clusters and scores: one line each, how each was reached (caveats,
    likelihood ratios, reasons and sources) folded under it."""
    if not (a.decisions or a.clusters or a.scores):
        return
    st.markdown("##### Decision rules, test clusters and scores")
    for d in a.decisions:
        outcome = d.outcome or "incomplete: more findings needed"
        score = f" (score {d.score:g})" if d.score is not None else ""
        st.markdown(f"**{md(d.title)}**{score}: {md(outcome)}")
        if d.missing:
            st.caption("Still needed: " + md(", ".join(d.missing)))
        with st.expander(f"How it was reached (rule {d.id})"):
            _sources(d.reason, d.references, library)
    for c in a.clusters:
        st.markdown(_cluster_line(c))
        with st.expander(f"Interpretation, caveat and sources (rule {c.id})"):
            _cluster_details(c, library)
    for s in a.scores:
        value = "—" if s.value is None else f"{s.value:g} / {s.maximum:g}"
        st.markdown(f"**{md(s.title)}**: {value}" + (f" ({md(s.band)})" if s.band else "")
                    + f" · {s.answered} of {s.total} answered")
        st.caption(md(s.note))


def assessment_view(a: Assessment, library: Library) -> None:
    """The assessment in the order a clinician acts on it: urgency and red flags (with what not
    to do and the tests not to perform), the working diagnosis (naming any other diagnosis above
    ROUTINE), imaging and the plan; then the rest of the differential, and the rules, clusters
    and scores behind them, one line each with their long explanations folded. Red flags and
    "Do not" lines are never folded."""
    _urgency(a, library)
    _working_diagnosis(a, library)
    _plan(a, library)
    _rest_of_differential(a, library)
    _supporting(a, library)


def do_not(a: Assessment) -> None:
    """'Do not' lines sit with the red flags, never below the plan they forbid."""
    if not a.do_not:
        return
    with st.container(border=True, key="do-not"):
        st.markdown("##### Do not")
        for d in a.do_not:
            withheld = f" (withheld: {md(', '.join(d.withheld))})" if d.withheld else ""
            st.markdown(f"- {ICON_BLOCKED} **Do not {md(d.label)}** — {md(d.why)} *({md(do_not_holders(d))})*{withheld}")


def held_back(a: Assessment) -> None:
    suppressed = [h for h in a.held_back if not h.forbidden]
    if not suppressed:
        return
    st.markdown("##### Held back")
    for line in held_back_lines(suppressed):
        st.markdown(f"- {md(line[:1].upper() + line[1:])}")  # the heading already says "held back"
