"""How to perform a test, what counts as positive, and what a result is worth, with sources.

Pack text is shown escaped (a pack can be written locally by a clinic), so it is never read as
markdown or HTML.
"""

from __future__ import annotations

import streamlit as st

from exam_assistant.library import Library
from exam_assistant.protocol import Evidence, Item
from exam_assistant.ui.text import md

POPOVER_LABEL = "How to"  # short; the tooltip names the test
VERIFICATION_TEXT = {
    "primary": "checked in the primary source",
    "secondary": "read in a secondary source only",
    "unverified": "not verified",
}


def reference_line(key: str, library: Library) -> str:
    """'Citation. doi:… / url' for a reference key, escaped; the key itself if unknown."""
    ref = library.references.get(key)
    if ref is None:
        return md(key)
    where = f"https://doi.org/{ref.doi}" if ref.doi else (ref.url or "")
    text = md(ref.citation.strip())
    return f"{text} {md(where)}" if where else text


def evidence_rows(item: Item) -> list[dict[str, str]]:
    """One table row per evidence entry: target, figures, population, verification."""
    rows = []
    for ev in item.evidence:
        rows.append({
            "For": ev.target.replace("_", " "),
            "Sensitivity": ev.sensitivity.text(percent=True) if ev.sensitivity else "—",
            "Specificity": ev.specificity.text(percent=True) if ev.specificity else "—",
            "LR+": ev.lr_positive.text() if ev.lr_positive else "—",
            "LR−": ev.lr_negative.text() if ev.lr_negative else "—",
            "Population": ev.population,
            "Figures": VERIFICATION_TEXT[ev.verification],
        })
    return rows


def evidence_table(item: Item) -> str:
    """The evidence rows as a markdown table (cheaper to draw than a dataframe), escaped."""
    rows = evidence_rows(item)
    header = list(rows[0])
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(md(row[h]) for h in header) + " |" for row in rows]
    return "\n".join(lines)


def _evidence_notes(evidence: list[Evidence], library: Library) -> None:
    for ev in evidence:
        if ev.reference_standard:
            st.caption(f"Reference standard ({md(ev.target.replace('_', ' '))}): {md(ev.reference_standard)}")
        if ev.note:
            st.caption(f"Note: {md(ev.note)}")
        for key in ev.references:
            st.caption(f"Source: {reference_line(key, library)}")


def item_details(item: Item, library: Library) -> None:
    """Technique, positive criterion, recordable criteria, evidence table and sources."""
    if item.prompt:
        st.markdown(f"**Ask:** {md(item.prompt)}")
    if item.technique:
        st.markdown("**How to perform it**")
        st.markdown(md(item.technique.strip()))
    if item.positive_when:
        st.markdown(f"**Positive when:** {md(item.positive_when.strip())}")
    if item.criteria:
        lines = [
            f"- {md(c.label)}" + ("" if c.counts_as_positive else " *(recorded, but does not make the test positive)*")
            for c in item.criteria
        ]
        st.markdown("**What can be recorded as reproduced**\n" + "\n".join(lines))
    if item.evidence:
        st.markdown("**Accuracy**")
        st.markdown(evidence_table(item))
        _evidence_notes(item.evidence, library)
    if item.notes:
        st.caption(md(item.notes.strip()))
    for key in item.references:
        st.caption(f"Source: {reference_line(key, library)}")


def technique_expander(item: Item, library: Library, short: bool = False, key: str | None = None) -> None:
    """A closed expander with :func:`item_details`, for tests that have a technique.

    ``short`` labels it just "How to perform" (for a row that already shows the test's name).
    With a ``key`` the details are drawn only while the expander is open, which keeps a panel of
    twenty tests light to redraw.
    """
    if not (item.technique or item.positive_when or item.evidence):
        return
    label = "How to perform" if short else f"How to perform: {item.label}"
    if key is None:
        with st.expander(label, expanded=False):
            item_details(item, library)
        return
    box = st.expander(label, expanded=False, key=key, on_change="rerun")
    if box.open:
        with box:
            item_details(item, library)


def technique_popover(item: Item, library: Library, key: str) -> None:
    """A small "How to" button beside the test's name opening :func:`item_details` in a popover.

    The details are drawn only while it is open, which keeps a panel of twenty tests light to
    redraw; the tooltip and the accessible name say which test it explains.
    """
    if not (item.technique or item.positive_when or item.evidence):
        return
    box = st.popover(POPOVER_LABEL, icon=":material/info:", type="tertiary", key=key, on_change="rerun",
                     help=f"How to perform it, what counts as positive, and what it is worth: {md(item.label)}")
    if box.open:
        with box:
            st.markdown(f"**{md(item.label)}**")
            item_details(item, library)
