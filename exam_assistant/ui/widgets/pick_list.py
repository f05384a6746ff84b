"""A searchable list where one click acts: practice mode's questions and tests.

Each section of the packs is one row of pills; a filter box (shared by the lists on the page)
narrows them. Clicking a pill runs ``on_pick`` with the widget's key at once (no separate
"Ask" button), and the pill is cleared again by that callback.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import streamlit as st

from exam_assistant.practice.run import MenuEntry
from exam_assistant.ui.text import md


def matches(entry: MenuEntry, query: str) -> bool:
    """Every word of ``query`` occurs in the entry's label or section (case and accents as typed)."""
    words = query.casefold().split()
    text = f"{entry.label} {entry.group}".casefold()
    return all(w in text for w in words)


def filtered(entries: Sequence[MenuEntry], query: str) -> dict[str, list[MenuEntry]]:
    """The entries matching ``query``, by section in examination order."""
    groups: dict[str, list[MenuEntry]] = {}
    for entry in entries:
        if matches(entry, query):
            groups.setdefault(entry.group, []).append(entry)
    return groups


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.casefold()).strip("_") or "section"


def pick_list(
    entries: Sequence[MenuEntry],
    query: str,
    key: str,
    on_pick: Callable[[str], None],
    disabled: bool,
    nothing: str,
) -> None:
    """One row of pills per section; ``on_pick(widget_key)`` runs when one is clicked."""
    groups = filtered(entries, query)
    if not groups:
        st.caption(f"{md(nothing)} matches “{md(query.strip())}”." if query.strip() else md(nothing) + " left.")
        return
    for group, items in groups.items():
        labels = {e.item_id: md(e.label) for e in items}
        widget_key = f"{key}.{_slug(group)}"
        st.pills(md(group), list(labels), format_func=labels.__getitem__, selection_mode="single",
                 key=widget_key, on_change=on_pick, args=(widget_key,), disabled=disabled)
