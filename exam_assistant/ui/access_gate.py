"""Sign-in mode: who is signed in, which pages they get, and the sign-in and no-role screens.

Sign-in mode is on when ``secrets.toml`` has an ``[auth]`` section (Streamlit's ``st.login``,
OpenID Connect). Without it the app is a single-user install bound to 127.0.0.1 (``tasks.py
run``) and every page is shown. Pages a person's roles do not allow are left out of
``st.navigation``, so their URLs lead nowhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import streamlit as st

from exam_assistant.access import AccessConfigError, Action, User, load_role_map, roles_path, user_from_claims
from exam_assistant.ui import resources

PAGE_ACTIONS: dict[str, Action] = {
    "": "records", "continue": "records", "encounters": "records", "conditions": "library",
    "library": "library", "practice": "practice", "settings": "settings", "audit": "audit",
}
_LOGGED = "_access_signed_in_logged"
ACTING_USER = "_access_user"  # read by resources.store(): every store call checks this user's roles


def sign_in_mode() -> bool:
    """True when ``st.login`` is configured (an ``[auth]`` section in secrets.toml)."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all: single-user mode
        return False


def _claims() -> dict[str, Any]:
    return {key: st.user.get(key) for key in st.user}


def current_user() -> User | None:
    """The signed-in person in sign-in mode (stopping the script at the sign-in or no-role
    screen when there is none yet); None in single-user mode."""
    if not sign_in_mode():
        return None
    if not st.user.is_logged_in:
        st.title("Exam Assistant")
        st.write("Sign in with your clinic account to continue.")
        st.button("Sign in", type="primary", on_click=st.login)
        st.stop()
    try:
        user = user_from_claims(_claims(), load_role_map(roles_path()))
    except AccessConfigError as exc:
        st.error(f"Sign-in is configured but the role mapping is not usable: {exc}")
        st.stop()
    st.session_state[ACTING_USER] = user
    if not st.session_state.get(_LOGGED):
        store = resources.store()
        if user.roles:
            store.record_access("signed_in", user.label, detail=" ".join(sorted(user.roles)))
        else:
            store.record_access("access_denied", user.label, detail="no_role")
        st.session_state[_LOGGED] = True
    with st.sidebar:
        st.caption(f"Signed in as {user.label} ({', '.join(sorted(user.roles)) or 'no role'})")
        st.button("Sign out", on_click=st.logout)
    if not user.roles:
        st.title("No access yet")
        st.write(f"You are signed in as {user.label}, but no role is assigned to you. Ask your administrator.")
        st.stop()
    return user


def allowed_pages(pages: Sequence[Any], user: User | None) -> list[Any]:
    """The pages ``user`` may open (every page in single-user mode)."""
    if user is None:
        return list(pages)
    return [p for p in pages if user.can(PAGE_ACTIONS.get(str(p.url_path), "settings"))]
