"""Sign-in mode: who is signed in, which pages they get, and the sign-in and no-role screens.

Sign-in mode is on when ``secrets.toml`` has an ``[auth]`` section (Streamlit's ``st.login``,
OpenID Connect). Without it the app is a single-user install bound to 127.0.0.1 (``tasks.py
run``) and every page is shown. Pages a person's roles do not allow are left out of
``st.navigation``, so their URLs lead nowhere; and every page also calls :func:`require_page`
first on each run, which works out the person's roles again from the ID token and the role
mapping and stops the page, showing nothing else, when they do not allow it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import streamlit as st

from exam_assistant.access import (
    ACTION_WORDS,
    AccessConfigError,
    AccessDenied,
    Action,
    User,
    load_role_map,
    roles_path,
    user_from_claims,
)
from exam_assistant.ui import resources
from exam_assistant.ui.text import md

PAGE_ACTIONS: dict[str, Action] = {
    "": "records", "continue": "records", "encounters": "review", "conditions": "library",
    "library": "library", "practice": "practice", "settings": "settings", "audit": "audit",
}
_LOGGED = "_access_signed_in_logged"
_REFUSED = "_access_page_refused"  # pages whose refusal was logged in this session
ACTING_USER = "_access_user"  # read by resources.store(): every store call checks this user's roles


def sign_in_mode() -> bool:
    """True when ``st.login`` is configured (an ``[auth]`` section in secrets.toml)."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all: single-user mode
        return False


def _claims() -> dict[str, Any]:
    return {key: st.user.get(key) for key in st.user}


def _user_now() -> User:
    """The signed-in person as the ID token and the role mapping say now (stops the script at the
    sign-in screen, or with one plain line when the mapping or the token is not usable)."""
    if not st.user.is_logged_in:
        st.session_state.pop(ACTING_USER, None)
        st.title("Exam Assistant")
        st.write("Sign in with your clinic account to continue.")
        st.button("Sign in", type="primary", on_click=st.login)
        st.stop()
    try:
        user = user_from_claims(_claims(), load_role_map(roles_path()))
    except (AccessConfigError, AccessDenied) as exc:
        st.session_state.pop(ACTING_USER, None)
        st.error(f"Sign-in is configured but cannot be used: {exc}")
        st.stop()
    st.session_state[ACTING_USER] = user
    return user


def require_page(action: Action) -> User | None:
    """Each page's first call, on every run: None in single-user mode; otherwise the signed-in
    person when their roles allow ``action``. A person they do not allow (a student who typed a
    patient page's address, a role removed since sign-in) sees one refusal line and nothing else
    of the page; the first refusal per page and session is an ``access_denied`` event."""
    if not sign_in_mode():
        return None
    user = _user_now()
    if user.can(action):
        return user
    refused: set[str] = st.session_state.setdefault(_REFUSED, set())
    if action not in refused:
        refused.add(action)
        resources.store().record_access("access_denied", user.label, detail=f"page {action}")
    st.error(f"This page is not available to you: your role does not allow you to {ACTION_WORDS[action]}.")
    st.stop()


def current_user() -> User | None:
    """The signed-in person in sign-in mode (stopping the script at the sign-in or no-role
    screen when there is none yet); None in single-user mode."""
    if not sign_in_mode():
        return None
    user = _user_now()
    if not st.session_state.get(_LOGGED):
        store = resources.store()
        if user.roles:
            store.record_access("signed_in", user.label, detail=" ".join(sorted(user.roles)))
        else:
            store.record_access("access_denied", user.label, detail="no_role")
        st.session_state[_LOGGED] = True
    with st.sidebar:
        # the label comes from the identity provider: shown as typed, never as markdown or a link
        st.caption(f"Signed in as {md(user.label)} ({', '.join(sorted(user.roles)) or 'no role'})")
        st.button("Sign out", on_click=st.logout)
    if not user.roles:
        st.title("No access yet")
        st.markdown(f"You are signed in as {md(user.label)}, but no role is assigned to you. "
                    "Ask your administrator.")
        st.stop()
    return user


def allowed_pages(pages: Sequence[Any], user: User | None) -> list[Any]:
    """The pages ``user`` may open (every page in single-user mode)."""
    if user is None:
        return list(pages)
    return [p for p in pages if user.can(PAGE_ACTIONS.get(str(p.url_path), "settings"))]
