"""One session's examination: the draft, its assessment and autosave, kept in ``st.session_state``.

Every change goes to the store at once (``save_draft`` with the version this session loaded).
A save that finds a newer version stored is refused by the store and reported here; nothing is
overwritten. The encounter id (an opaque UUID) sits in ``st.query_params`` so a refresh, a new
tab or a server restart reloads the draft, at its saved step, from the database.

Nothing here is a module global: a :class:`Flow` is a thin view over one session's state,
created afresh on every run (and in every callback), keyed by ``prefix`` so that several flows
can share a page.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, replace
from typing import Literal

import streamlit as st

from exam_assistant.engine.assess import assess
from exam_assistant.engine.assessment import Assessment
from exam_assistant.library import Library
from exam_assistant.models import Encounter, Finding
from exam_assistant.store import (
    ConflictError,
    EncounterRepository,
    InvalidEncounterError,
    NotFoundError,
    StoredEncounter,
)
from exam_assistant.ui import steps
from exam_assistant.ui.autosave import RetrySchedule, error_words, is_transient, save_with_retry
from exam_assistant.ui.outside import outside_view

DEFAULT_PREFIX = "ea"
FALLBACK_ACTOR = "clinician"


@dataclass(frozen=True)
class Draft:
    """The encounter this session works on, the stored version it is based on, and its step."""

    encounter: Encounter
    version: int
    step: str
    epoch: int = 0  # part of every widget key: bumped when widgets must be re-read from the encounter
    unsaved: int = 0  # changes kept in this session that the store has not confirmed yet


@dataclass(frozen=True)
class Notice:
    kind: Literal["error", "warning", "success"]
    text: str
    reload: bool = False  # offer "load the latest version"


def _plain(encounter: Encounter) -> dict[str, object]:
    """The encounter as JSON data for the store (which validates it again): independent of
    which copy of the model class made it, so a module reloaded in development cannot break a save."""
    return encounter.model_dump(mode="json")


def signed_in_user() -> str | None:
    """The signed-in user's e-mail or name when the app uses ``st.login``; else None."""
    try:
        if st.user.is_logged_in:
            return str(st.user.get("email") or st.user.get("name") or "") or None
    except Exception:  # noqa: S110 - no authentication configured
        pass
    return None


def query_param_for(prefix: str) -> str:
    """The URL parameter holding the encounter id: ``encounter`` for the default prefix."""
    return "encounter" if prefix == DEFAULT_PREFIX else f"{prefix}_encounter"


class Flow:
    """A view over one session's examination state; cheap to create, holds no data itself."""

    def __init__(self, prefix: str, store: EncounterRepository, library: Library) -> None:
        self.prefix = prefix
        self.store = store
        self.library = library
        self._draft: Draft | None = None
        self._draft_read = False  # the draft is read from the session once per Flow, then kept in step
        self._assessed: tuple[tuple[object, ...], Assessment] | None = None

    # ------------------------------------------------------------------ state access

    def key(self, name: str) -> str:
        return f"{self.prefix}.{name}"

    @property
    def query_param(self) -> str:
        return query_param_for(self.prefix)

    @property
    def draft(self) -> Draft | None:
        if not self._draft_read:
            value = st.session_state.get(self.key("draft"))
            self._draft = value if isinstance(value, Draft) else None
            self._draft_read = True
        return self._draft

    def _set_draft(self, draft: Draft | None) -> None:
        if draft is None:
            st.session_state.pop(self.key("draft"), None)
        else:
            st.session_state[self.key("draft")] = draft
        self._draft, self._draft_read = draft, True

    @property
    def encounter(self) -> Encounter | None:
        draft = self.draft
        return draft.encounter if draft else None

    @property
    def read_only(self) -> bool:
        enc = self.encounter
        return enc is not None and enc.status == "final"

    @property
    def step(self) -> str:
        draft = self.draft
        return draft.step if draft else steps.PATIENT

    def wkey(self, item_id: str, part: str) -> str:
        """The widget key of one part of one item, unique to this encounter and epoch."""
        draft = self.draft
        ident = f"{draft.encounter.id}.{draft.epoch}" if draft else "new"
        return f"{self.prefix}.w.{ident}.{item_id}.{part}"

    @property
    def assessment(self) -> Assessment | None:
        """The assessment of the current draft: computed once per saved version and session."""
        draft = self.draft
        if draft is None:
            return None
        cache_key = (str(draft.encounter.id), draft.version, draft.encounter.updated_at, draft.unsaved)
        if self._assessed is not None and self._assessed[0] == cache_key:
            return self._assessed[1]
        cached = st.session_state.get(self.key("assessment"))
        if isinstance(cached, tuple) and cached[0] == cache_key:
            result: Assessment = cached[1]
        else:
            result = assess(draft.encounter, self.library)
            st.session_state[self.key("assessment")] = (cache_key, result)
        self._assessed = (cache_key, result)
        return result

    def actor(self) -> str:
        """Who is saving: the signed-in user, else the clinician named on the encounter."""
        user = signed_in_user()
        if user:
            return user
        enc = self.encounter
        if enc is not None and enc.clinician is not None:
            return enc.clinician.name
        return FALLBACK_ACTOR

    # ------------------------------------------------------------------ notices

    def notify(self, notice: Notice | None) -> None:
        st.session_state[self.key("notice")] = notice

    @property
    def notice(self) -> Notice | None:
        value = st.session_state.get(self.key("notice"))
        return value if isinstance(value, Notice) else None

    def field_error(self, item_id: str) -> str | None:
        value = st.session_state.get(self.key(f"err.{item_id}"))
        return str(value) if value else None

    def set_field_error(self, item_id: str, message: str | None) -> None:
        st.session_state[self.key(f"err.{item_id}")] = message

    # ------------------------------------------------------------------ loading

    def sync_with_url(self) -> None:
        """Load the encounter named in the URL, or forget the draft when the URL names none."""
        wanted = st.query_params.get(self.query_param)
        draft = self.draft
        if not wanted:
            if draft is not None:
                self.forget()
            return
        if draft is not None and str(draft.encounter.id) == wanted:
            return
        self.load(wanted)

    def load(self, encounter_id: str) -> bool:
        try:
            uuid.UUID(encounter_id)
            # Opening a record shows it to someone: logged as a view (before this session's
            # draft is known, the actor is the signed-in user or the local single user).
            stored = self.store.view(encounter_id, signed_in_user() or FALLBACK_ACTOR)
        except (ValueError, NotFoundError):
            self.forget()
            st.query_params.pop(self.query_param, None)
            self.notify(Notice("error", "No examination with the id in this link was found. "
                                        "Start a new one, or open a saved one from Continue or Encounters."))
            return False
        self._adopt(stored, stored.ui_step or steps.HISTORY, bump=True)
        return True

    def reload(self) -> None:
        """Throw away this session's copy and load the stored one (after a refused save)."""
        draft = self.draft
        if draft is not None:
            self.notify(None)
            self.load(str(draft.encounter.id))

    def open(self, stored: StoredEncounter) -> None:
        """Work on ``stored`` from now on (a new, follow-up or amendment draft)."""
        self._adopt(stored, stored.ui_step or steps.HISTORY, bump=True)
        st.query_params[self.query_param] = stored.id

    def forget(self) -> None:
        for name in ("assessment", "notice"):
            st.session_state.pop(self.key(name), None)
        self._set_draft(None)

    def _adopt(self, stored: StoredEncounter, step: str, bump: bool) -> None:
        counter = int(st.session_state.get(self.key("epochs"), 0)) + (1 if bump else 0)
        st.session_state[self.key("epochs")] = counter
        self._set_draft(Draft(stored.encounter, stored.version, step, counter))

    # ------------------------------------------------------------------ saving

    def create(self, encounter: Encounter) -> bool:
        """Store a brand-new encounter and make it this session's draft, at the history step."""
        try:
            stored = save_with_retry(lambda: self.store.save_draft(
                _plain(encounter), None, self._actor_for(encounter), ui_step=steps.HISTORY))
        except (ConflictError, InvalidEncounterError) as exc:
            self.notify(Notice("error", str(exc)))
            return False
        except Exception as exc:
            if not is_transient(exc):
                raise
            self.notify(Notice("error", f"Not started: {error_words(exc)}. Nothing was stored; press the "
                                        "button again in a moment."))
            return False
        self.open(stored)
        return True

    def save(self, encounter: Encounter, step: str | None = None, bump: bool = False, retrying: bool = False) -> bool:
        """Autosave ``encounter`` on top of the version this session loaded.

        Returns False, leaving this session's copy unchanged, when the store refuses (someone
        saved a newer version, the note was finalised elsewhere, invalid data). When the database
        is busy or away (after a few quick retries) the change is kept in this session, counted
        as unsaved and offered again (:meth:`retry_unsaved`); that returns True too, and the
        header says the change is NOT saved until the store confirms it.
        """
        draft = self.draft
        if draft is None:
            return False
        before = outside_view(draft.encounter, self.assessment, self.library, draft.step)
        try:
            stored = save_with_retry(lambda: self.store.save_draft(
                _plain(encounter), draft.version, self._actor_for(encounter), ui_step=step))
        except ConflictError as exc:
            self.notify(Notice("error", str(exc), reload=True))
            self.request_app_rerun()
            return False
        except InvalidEncounterError as exc:
            self.notify(Notice("error", str(exc)))
            self.request_app_rerun()
            return False
        except Exception as exc:
            if not is_transient(exc):
                raise
            counter = int(st.session_state.get(self.key("epochs"), 0)) + (1 if bump else 0)
            st.session_state[self.key("epochs")] = counter
            self._set_draft(Draft(encounter, draft.version, step or draft.step, counter,
                                  draft.unsaved + (0 if retrying else 1)))
            self._schedule_retry(exc, just_failed=not retrying)
            if not retrying:
                self.request_app_rerun()
            return True
        counter = int(st.session_state.get(self.key("epochs"), 0)) + (1 if bump else 0)
        st.session_state[self.key("epochs")] = counter
        self._set_draft(Draft(stored.encounter, stored.version, step or draft.step, counter))
        if draft.unsaved:
            self._clear_retry()
            self.request_app_rerun()
        if bump or outside_view(self.encounter, self.assessment, self.library, self.step) != before:
            self.request_app_rerun()  # something drawn outside the fragment changed
        return True

    # ------------------------------------------------------------------ unsaved changes

    @property
    def unsaved(self) -> int:
        """How many changes this session holds that the store has not confirmed."""
        draft = self.draft
        return draft.unsaved if draft else 0

    @property
    def retry_schedule(self) -> RetrySchedule:
        value = st.session_state.get(self.key("retry"))
        return value if isinstance(value, RetrySchedule) else RetrySchedule()

    def _schedule_retry(self, exc: BaseException, just_failed: bool) -> None:
        st.session_state[self.key("retry")] = self.retry_schedule.failed(time.monotonic(), error_words(exc))
        st.session_state[self.key("retry_skip_next_run")] = just_failed

    def _clear_retry(self) -> None:
        st.session_state.pop(self.key("retry"), None)
        st.session_state.pop(self.key("retry_skip_next_run"), None)

    def retry_unsaved(self, on_timer: bool = False) -> bool:
        """Offer the changes kept in this session to the store again; True once it confirmed.

        Called on every whole-page run (except the one right after the failure) and by the
        timer; the timer waits for the schedule's pause. A stale save is reported as always
        and not retried.
        """
        draft = self.draft
        if draft is None or not draft.unsaved or self.read_only:
            return False
        if not on_timer and st.session_state.pop(self.key("retry_skip_next_run"), False):
            return False
        if on_timer and not self.retry_schedule.due(time.monotonic()):
            return False
        notice = self.notice
        if notice is not None and notice.reload:
            return False  # a conflict waits for the clinician's choice
        return self.save(draft.encounter, step=draft.step, retrying=True) and not self.unsaved

    def _actor_for(self, encounter: Encounter) -> str:
        actor = self.actor()
        if actor == FALLBACK_ACTOR and encounter.clinician is not None:
            return encounter.clinician.name
        return actor

    def set_findings(self, changes: dict[str, Finding | None], bump: bool = False) -> bool:
        """Record (or, for None, remove) findings and autosave."""
        enc = self.encounter
        if enc is None or self.read_only:
            return False
        findings = dict(enc.findings)
        for item_id, finding in changes.items():
            if finding is None:
                findings.pop(item_id, None)
            else:
                findings[item_id] = finding
        if findings == enc.findings:
            return True
        return self.save(enc.model_copy(update={"findings": findings}), bump=bump)

    def update(self, bump: bool = False, **fields: object) -> bool:
        """Change top-level encounter fields (notes, pre-test probabilities, ...) and autosave."""
        enc = self.encounter
        if enc is None or self.read_only:
            return False
        updated = Encounter.model_validate({**enc.model_dump(), **fields})
        return self.save(updated, bump=bump)

    def go(self, step_id: str) -> None:
        """Move to another step, remembering it in the store so a reload comes back here."""
        draft = self.draft
        if draft is None or step_id == draft.step:
            return
        if self.read_only or not self.save(draft.encounter, step=step_id):
            self._set_draft(replace(draft, step=step_id))

    # ------------------------------------------------------------------ fragments

    def request_app_rerun(self) -> None:
        """Ask for a whole-page rerun: something shown outside the current fragment changed."""
        st.session_state[self.key("rerun_app")] = True

    def start_full_run(self) -> None:
        """Called at the top of a whole-page run, which draws everything anyway."""
        st.session_state[self.key("rerun_app")] = False

    def rerun_app_if_requested(self) -> None:
        """Called first in every fragment: widen a fragment rerun to the whole page when asked."""
        if st.session_state.get(self.key("rerun_app")):
            st.session_state[self.key("rerun_app")] = False
            st.rerun(scope="app")
