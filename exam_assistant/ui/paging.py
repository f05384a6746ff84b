"""Keyset paging of encounter lists (Encounters and Continue pages) with Previous and Next.

The store pages by the last row's (visit time, id) (``EncounterRepository.list(after=...)``),
which costs the same on page 1 and page 10,000; OFFSET paging scanned every earlier row. The
page keeps the cursors of the pages it came through in the session, so Previous goes back
exactly; changing the filters starts again at page 1.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import streamlit as st

from exam_assistant.store import EncounterSummary

Cursor = tuple[datetime, str] | None
PAGE_SIZE = 50


def _stack(key: str, identity: str) -> list[Cursor]:
    if st.session_state.get(f"{key}.filters") != identity:  # new filters: back to page 1
        st.session_state[f"{key}.filters"] = identity
        st.session_state[f"{key}.cursors"] = [None]
    stack: list[Cursor] = st.session_state[f"{key}.cursors"]
    return stack


def _next(key: str, cursor: Cursor) -> None:
    st.session_state[f"{key}.cursors"].append(cursor)


def _previous(key: str) -> None:
    if len(st.session_state[f"{key}.cursors"]) > 1:
        st.session_state[f"{key}.cursors"].pop()


def keyset_page(
    key: str, identity: str, fetch: Callable[[Cursor, int], list[EncounterSummary]], size: int = PAGE_SIZE
) -> list[EncounterSummary]:
    """The rows of the current page (``fetch(after, limit)`` reads the store), with Previous and
    Next buttons below the caller's table drawn by :func:`paging_buttons`. ``identity`` names
    the filters (the page starts again at 1 when it changes)."""
    stack = _stack(key, identity)
    rows = fetch(stack[-1], size + 1)  # one more row tells whether a next page exists
    st.session_state[f"{key}.more"] = len(rows) > size
    return rows[:size]


def page_number(key: str) -> int:
    """1 for the first page."""
    return len(st.session_state.get(f"{key}.cursors", [None]))


def paging_buttons(key: str, rows: list[EncounterSummary]) -> None:
    """Previous / Next under a page of ``rows`` (the Next cursor is the last row's visit and id)."""
    more = bool(st.session_state.get(f"{key}.more"))
    number = page_number(key)
    if number == 1 and not more:
        return
    back, where, forward = st.columns([1, 2, 1], vertical_alignment="center")
    back.button("Previous", key=f"{key}.previous", disabled=number == 1, on_click=_previous, args=(key,),
                width="stretch")
    where.caption(f"Page {number}")
    cursor = (rows[-1].created_at, rows[-1].id) if rows else None
    forward.button("Next", key=f"{key}.next", disabled=not more, on_click=_next, args=(key, cursor),
                   width="stretch")
