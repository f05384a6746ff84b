"""The only process-wide objects of the app: the protocol library and the database store.

Both are ``st.cache_resource`` so every session shares one read-only library and one
connection pool. Nothing patient-related is cached here or kept in module globals; each
session's encounter lives in its own ``st.session_state``.
"""

from __future__ import annotations

import gc
import os

import streamlit as st

from exam_assistant.access import User
from exam_assistant.library import PATH_ENV, Library, cached_library
from exam_assistant.store import EncounterRepository, default_database_url, open_store
from exam_assistant.store.acting import RoleCheckedInvitations, RoleCheckedRepository
from exam_assistant.store.audit_chain import AuditKeyError, audit_key
from exam_assistant.store.invitations import InvitationDoor, InvitationStore
from exam_assistant.ui.clinic_settings import load_profile, settings_path
from reports.options import ClinicProfile


@st.cache_resource(show_spinner=False)
def _library(protocol_path: str) -> Library:
    loaded = cached_library()
    # The library is hundreds of thousands of long-lived objects; left in the collector's care,
    # every full collection walks them all (a few hundred ms with the GIL held, in the middle of
    # a click). Frozen, they are never scanned again: they live as long as the server anyway.
    gc.freeze()
    return loaded


def library() -> Library:
    """The protocol library, loaded once per value of EXAM_ASSISTANT_PROTOCOL_PATH."""
    return _library(os.environ.get(PATH_ENV, ""))


@st.cache_resource(show_spinner="Opening the encounter database…")
def _store(url: str) -> EncounterRepository:
    return open_store(url)


def store() -> EncounterRepository:
    """The encounter store for the configured database URL (EXAM_ASSISTANT_DATABASE_URL).

    In sign-in mode it is the signed-in person's view of it: every call checks their roles and
    is audited under their name (``store/acting.py``). An audit key that is configured but not
    usable stops the page with one line: writing unkeyed events would break the keyed chain.
    """
    try:
        audit_key()
    except AuditKeyError as exc:
        st.error(f"The audit key of this server is not usable, so nothing can be recorded: {exc}")
        st.stop()
    repo = _store(default_database_url())
    user = st.session_state.get("_access_user")  # set by access_gate once someone is signed in
    return RoleCheckedRepository(repo, user) if isinstance(user, User) else repo


def invitations() -> InvitationStore:
    """The clinic's side of the pre-visit invitations; in sign-in mode role-checked like ``store()``."""
    repo = _store(default_database_url())
    plain = InvitationStore(repo.engine)
    user = st.session_state.get("_access_user")
    return RoleCheckedInvitations(plain, user) if isinstance(user, User) else plain


def patient_door() -> InvitationDoor:
    """All the patient's page may reach: one invitation by its token (no list, no id, no records)."""
    return InvitationDoor(_store(default_database_url()).engine)


def clinic_profile() -> ClinicProfile:
    """The clinic profile as saved on the Settings page (read fresh: it is small and may change)."""
    return load_profile(settings_path(default_database_url()))
