"""Practice attempts autosave like drafts: stored when started, saved after every question,
test and hint, resumed from the page's URL (``?attempt=<id>``) after a refresh.

The URL holds only the attempt's random id (a practice attempt holds no patient data). A save
that fails leaves the attempt in the session and says so; the next action saves it again.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from exam_assistant.practice.attempt import Attempt
from exam_assistant.store import PracticeRepository, StoreError
from exam_assistant.ui import resources
from exam_assistant.ui.session import FALLBACK_ACTOR, signed_in_user

KEY = "practice"
ATTEMPT = f"{KEY}.attempt"
VERSION = f"{KEY}.version"
SAVE_ERROR = f"{KEY}.save_error"
QUERY = "attempt"


def _repo() -> PracticeRepository:
    return PracticeRepository(resources.store().engine)


def _actor(attempt: Attempt) -> str:
    return signed_in_user() or attempt.student or FALLBACK_ACTOR


def keep(attempt: Attempt) -> None:
    st.session_state[ATTEMPT] = attempt.model_dump(mode="json")


def current() -> Attempt | None:
    data = st.session_state.get(ATTEMPT)
    return Attempt.model_validate(data) if data else None


def _failed(exc: StoreError) -> None:
    st.session_state[SAVE_ERROR] = str(exc)


def begin(attempt: Attempt) -> None:
    """Keep a new attempt and store it; its id goes into the URL so a refresh finds it."""
    keep(attempt)
    try:
        stored = _repo().start_attempt(attempt.model_dump(mode="json"), _actor(attempt))
    except StoreError as exc:
        _failed(exc)
        return
    st.session_state[VERSION] = stored.version
    st.session_state.pop(SAVE_ERROR, None)
    st.query_params[QUERY] = stored.id


def autosave(attempt: Attempt, score: dict[str, Any] | None = None) -> bool:
    """Keep ``attempt`` and save it (committed when ``score`` is given); False when not saved."""
    keep(attempt)
    version = st.session_state.get(VERSION)
    repo = _repo()
    try:
        if version is None:  # starting it failed earlier: store it now, then save
            version = repo.start_attempt({**attempt.model_dump(mode="json"), "finished_at": None},
                                         _actor(attempt)).version
            st.query_params[QUERY] = str(attempt.id)
        stored = repo.update_attempt(attempt.model_dump(mode="json"), version, _actor(attempt), score)
    except StoreError as exc:
        _failed(exc)
        return False
    st.session_state[VERSION] = stored.version
    st.session_state.pop(SAVE_ERROR, None)
    return True


def save_problem() -> str | None:
    """Why the last save failed (None when everything shown is saved)."""
    problem = st.session_state.get(SAVE_ERROR)
    return str(problem) if problem else None


def resume() -> None:
    """After a refresh (a new session): load the unfinished attempt the URL names."""
    wanted = st.query_params.get(QUERY)
    if not wanted or st.session_state.get(ATTEMPT):
        return
    try:
        stored = _repo().get_attempt(wanted)
    except StoreError:
        del st.query_params[QUERY]  # gone, or not an attempt id: start afresh
        return
    if stored.progress is None:  # committed already: nothing to resume
        del st.query_params[QUERY]
        return
    keep(Attempt.model_validate(stored.progress))
    st.session_state[VERSION] = stored.version


def forget() -> None:
    """Leave the attempt (abandoned, or done with its feedback): the URL no longer names it."""
    for key in (ATTEMPT, VERSION, SAVE_ERROR):
        st.session_state.pop(key, None)
    if QUERY in st.query_params:
        del st.query_params[QUERY]
