"""The encounter store as one signed-in person may use it: every call checks a role first.

:class:`RoleCheckedRepository` is the repository with the acting user fixed: the same methods
(so the app's pages need no change), but each record call first checks the user's roles, the
audit actor is always the signed-in label (whatever label a caller passes), and a refused call
is an ``access_denied`` event (its detail names the action, never data). The app uses it for
every store call in sign-in mode (``ui/resources.store``); the CLI, run by the machine's own
user, uses the plain repository. :class:`RoleCheckedInvitations` is the same for the clinic's side
of the pre-visit invitations (they hold patients' names and answers: the ``records`` action).
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from exam_assistant.access import AccessDenied, Action, User
from exam_assistant.models import Encounter, Patient
from exam_assistant.store.audit import AuditEvent
from exam_assistant.store.audit_chain import ChainReport
from exam_assistant.store.errors import hidden
from exam_assistant.store.frozen import FrozenNote, NoteRenderer
from exam_assistant.store.invitations import (
    CreatedInvitation,
    Invitation,
    InvitationRequest,
    InvitationState,
    InvitationStore,
)
from exam_assistant.store.records import EncounterFilters, EncounterSummary, StoredEncounter
from exam_assistant.store.repository import EncounterRepository
from exam_assistant.store.tables import EncounterRow

if TYPE_CHECKING:
    from datetime import datetime

    import pandas as pd

    from exam_assistant.library import Library


class RoleCheckedRepository(EncounterRepository):
    """Records as ``user`` is allowed to see and change them (shares the engine, no new pool).

    Scoped to the user's clinic (``EncounterReads.clinic``): lists, counts, exports and charts hold
    that clinic's encounters only, and an id of another clinic is "not found or not allowed" and
    an ``access_denied`` event (detail ``other_clinic``). A reviewer reads final notes only.
    """

    def __init__(self, repo: EncounterRepository, user: User) -> None:
        # A person in no clinic gets "" (matches no encounter); their record calls are refused anyway.
        super().__init__(repo.engine, user.clinic if user.clinic is not None else "")
        self.library = repo.library
        self.user = user

    def _allow(self, action: Action, encounter_id: str | None = None, new_ok: bool = False) -> str:
        try:
            self.user.require(action)
        except AccessDenied:
            known = encounter_id if encounter_id and self.clinic_of(encounter_id) is not None else None
            self.record_access("access_denied", self.user.label, detail=action, encounter_id=known)
            raise
        if encounter_id is not None:
            self.check_scope(encounter_id, self.user.label, missing_ok=new_ok)
        return self.user.label

    def _allow_read(self, encounter_id: str | None = None) -> str:
        """A clinician reads everything of their clinic; a reviewer only its final notes."""
        if self.user.can("records") or not self.user.can("review"):
            return self._allow("records", encounter_id)
        label = self._allow("review", encounter_id)
        if encounter_id is not None and self._status(encounter_id) != "final":
            self.record_access("access_denied", label, detail="not_final", encounter_id=encounter_id)
            raise hidden(encounter_id)
        return label

    def _status(self, encounter_id: str) -> str | None:
        with Session(self.engine) as session:
            return session.scalar(select(EncounterRow.status).where(EncounterRow.id == encounter_id))

    def _read_filters(self, filters: EncounterFilters | None) -> EncounterFilters:
        self._allow_read()
        filters = filters or EncounterFilters()
        if not self.user.can("records"):  # a reviewer: final notes, never deleted drafts
            filters = replace(filters, status="final", include_deleted=False)
        return filters

    def signed_in(self) -> None:
        """Log the sign-in (once per session; the app decides when)."""
        self.record_access("signed_in", self.user.label, detail=" ".join(sorted(self.user.roles)))

    # ------------------------------------------------------------------ reading records

    def get(self, encounter_id: str, include_deleted: bool = False) -> StoredEncounter:
        self._allow_read(encounter_id)
        return super().get(encounter_id, include_deleted)

    def view(self, encounter_id: str, actor: str = "") -> StoredEncounter:
        return super().view(encounter_id, self._allow_read(encounter_id))

    def list(
        self,
        filters: EncounterFilters | None = None,
        limit: int = 50,
        offset: int = 0,
        after: tuple[datetime, str] | None = None,
    ) -> builtins.list[EncounterSummary]:
        return super().list(self._read_filters(filters), limit, offset, after)

    def count(self, filters: EncounterFilters | None = None) -> int:
        return super().count(self._read_filters(filters))

    def iter_encounters(self, filters: EncounterFilters | None = None) -> Iterator[StoredEncounter]:
        return super().iter_encounters(self._read_filters(filters))

    def outcome_series(self, patient: Patient, library: Library | None = None) -> pd.DataFrame:
        self._allow("records")
        return super().outcome_series(patient, library)

    def frozen_note(self, encounter_id: str) -> FrozenNote | None:
        self._allow_read(encounter_id)
        return super().frozen_note(encounter_id)

    # ------------------------------------------------------------------ changing records

    def save_draft(self, encounter: Encounter | dict[str, Any], expected_version: int | None, actor: str = "",
                   ui_step: str | None = None) -> StoredEncounter:
        key = encounter.id if isinstance(encounter, Encounter) else encounter.get("id")
        actor = self._allow("records", str(key), new_ok=True) if key else self._allow("records")
        return super().save_draft(encounter, expected_version, actor, ui_step)

    def finalise(self, encounter_id: str, expected_version: int, actor: str = "",
                 render: NoteRenderer | None = None) -> StoredEncounter:
        """Whoever finalises a note is its signer: the signed-in user, not a typed name."""
        return super().finalise(encounter_id, expected_version, self._allow("records", encounter_id), render)

    def amend(self, encounter_id: str, actor: str = "") -> StoredEncounter:
        return super().amend(encounter_id, self._allow("records", encounter_id))

    def start_follow_up(self, previous_id: str, actor: str = "") -> StoredEncounter:
        return super().start_follow_up(previous_id, self._allow("records", previous_id))

    def soft_delete(self, encounter_id: str, actor: str = "") -> None:
        super().soft_delete(encounter_id, self._allow("records", encounter_id))

    def record_export(self, encounter_id: str, actor: str, kind: str) -> None:
        super().record_export(encounter_id, self._allow("records", encounter_id), kind)

    def record_exports(self, encounter_ids: Iterable[str], actor: str, kind: str) -> None:
        ids = builtins.list(encounter_ids)
        label = self._allow("records")
        for encounter_id in ids:
            self.check_scope(encounter_id, label)
        super().record_exports(ids, label, kind)

    # ------------------------------------------------------------------ administration

    def audit_history(self, encounter_id: str | None = None) -> builtins.list[AuditEvent]:
        self._allow("audit")
        return super().audit_history(encounter_id)

    def verify_audit(self) -> ChainReport:
        self._allow("audit")
        return super().verify_audit()


class RoleCheckedInvitations(InvitationStore):
    """The clinic's side of the invitations as ``user`` may use it: creating, listing, reading,
    revoking and importing need the ``records`` action; the audit actor is the signed-in label.
    The patient's door (open, save, submit by token) needs no role: the token is the key."""

    def __init__(self, invitations: InvitationStore, user: User) -> None:
        # scoped to the person's clinic like their encounters ("" for no clinic: reaches nothing)
        super().__init__(invitations.engine, user.clinic if user.clinic is not None else "")
        self.user = user
        self._access = EncounterRepository(invitations.engine)  # only to log a refusal

    def _allow(self, action: Action, invitation_id: str | None = None) -> str:
        try:
            self.user.require(action)
        except AccessDenied:
            self._access.record_access("access_denied", self.user.label, detail=f"invitations {action}")
            raise
        owner = self.clinic_of(invitation_id) if invitation_id is not None else None
        if owner is not None and owner != self.clinic:  # refused below as "not found"; logged here
            self._access.record_access("access_denied", self.user.label, detail="invitations other_clinic")
        return self.user.label

    def create(self, request: InvitationRequest, actor: str = "") -> CreatedInvitation:
        return super().create(request, self._allow("records"))

    def list(self, states: tuple[InvitationState, ...] | None = None) -> builtins.list[Invitation]:
        self._allow("records")
        return super().list(states)

    def get(self, invitation_id: str) -> Invitation:
        self._allow("records", invitation_id)
        return super().get(invitation_id)

    def revoke(self, invitation_id: str, actor: str = "") -> Invitation:
        return super().revoke(invitation_id, self._allow("records", invitation_id))

    def mark_imported(self, invitation_id: str, encounter_id: str, actor: str = "") -> Invitation:
        return super().mark_imported(invitation_id, encounter_id, self._allow("records", invitation_id))
