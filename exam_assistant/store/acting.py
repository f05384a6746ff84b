"""The encounter store as one signed-in person may use it: every call checks a role first.

``ActingStore(repo, user)`` wraps the repository for the app in sign-in mode: the acting user is
fixed, their label is the audit actor, and a call their roles do not allow is refused with
AccessDenied and logged as an ``access_denied`` event (the detail names the action, never data).
"""

from __future__ import annotations

import builtins
from collections.abc import Iterator
from typing import Any

from exam_assistant.access import AccessDenied, Action, User
from exam_assistant.models import Encounter
from exam_assistant.store.audit import AuditEvent
from exam_assistant.store.audit_chain import ChainReport
from exam_assistant.store.frozen import NoteRenderer
from exam_assistant.store.records import EncounterFilters, EncounterSummary, StoredEncounter
from exam_assistant.store.repository import EncounterRepository


class ActingStore:
    """Records, as ``user`` is allowed to see and change them."""

    def __init__(self, repo: EncounterRepository, user: User) -> None:
        self.repo = repo
        self.user = user

    def _allow(self, action: Action, encounter_id: str | None = None) -> str:
        try:
            self.user.require(action)
        except AccessDenied:
            self.repo.record_access("access_denied", self.user.label, detail=action, encounter_id=encounter_id)
            raise
        return self.user.label

    def signed_in(self) -> None:
        """Log the sign-in (once per session; the app decides when)."""
        self.repo.record_access("signed_in", self.user.label, detail=" ".join(sorted(self.user.roles)))

    # ------------------------------------------------------------------ patient records

    def view(self, encounter_id: str) -> StoredEncounter:
        return self.repo.view(encounter_id, self._allow("records", encounter_id))

    def list(self, filters: EncounterFilters | None = None, limit: int = 50, offset: int = 0) -> list[EncounterSummary]:
        self._allow("records")
        return self.repo.list(filters, limit, offset)

    def iter_encounters(self, filters: EncounterFilters | None = None) -> Iterator[StoredEncounter]:
        self._allow("records")
        return self.repo.iter_encounters(filters)

    def save_draft(self, encounter: Encounter | dict[str, Any], expected_version: int | None,
                   ui_step: str | None = None) -> StoredEncounter:
        return self.repo.save_draft(encounter, expected_version, self._allow("records"), ui_step)

    def finalise(self, encounter_id: str, expected_version: int, render: NoteRenderer | None = None) -> StoredEncounter:
        """Whoever finalises a note is its signer: the signed-in user, not a typed name."""
        return self.repo.finalise(encounter_id, expected_version, self._allow("records", encounter_id), render)

    def amend(self, encounter_id: str) -> StoredEncounter:
        return self.repo.amend(encounter_id, self._allow("records", encounter_id))

    def start_follow_up(self, previous_id: str) -> StoredEncounter:
        return self.repo.start_follow_up(previous_id, self._allow("records", previous_id))

    def soft_delete(self, encounter_id: str) -> None:
        self.repo.soft_delete(encounter_id, self._allow("records", encounter_id))

    def record_export(self, encounter_id: str, kind: str) -> None:
        self.repo.record_export(encounter_id, self._allow("records", encounter_id), kind)

    # ------------------------------------------------------------------ administration

    def audit_history(self, encounter_id: str | None = None) -> builtins.list[AuditEvent]:
        self._allow("audit")
        return self.repo.audit_history(encounter_id)

    def verify_audit(self) -> ChainReport:
        self._allow("audit")
        return self.repo.verify_audit()
