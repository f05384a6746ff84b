"""The encounter store as one signed-in person may use it: every call checks a role first.

:class:`RoleCheckedRepository` is the repository with the acting user fixed: the same methods
(so the app's pages need no change), but each record call first checks the user's roles, the
audit actor is always the signed-in label (whatever label a caller passes), and a refused call
is an ``access_denied`` event (its detail names the action, never data). The app uses it for
every store call in sign-in mode (``ui/resources.store``); the CLI, run by the machine's own
user, uses the plain repository.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from exam_assistant.access import AccessDenied, Action, User
from exam_assistant.models import Encounter, Patient
from exam_assistant.store.audit import AuditEvent
from exam_assistant.store.audit_chain import ChainReport
from exam_assistant.store.frozen import FrozenNote, NoteRenderer
from exam_assistant.store.records import EncounterFilters, EncounterSummary, StoredEncounter
from exam_assistant.store.repository import EncounterRepository

if TYPE_CHECKING:
    from datetime import datetime

    import pandas as pd

    from exam_assistant.library import Library


class RoleCheckedRepository(EncounterRepository):
    """Records as ``user`` is allowed to see and change them (shares the engine, no new pool)."""

    def __init__(self, repo: EncounterRepository, user: User) -> None:
        super().__init__(repo.engine)
        self.library = repo.library
        self.user = user

    def _allow(self, action: Action, encounter_id: str | None = None) -> str:
        try:
            self.user.require(action)
        except AccessDenied:
            self.record_access("access_denied", self.user.label, detail=action, encounter_id=encounter_id)
            raise
        return self.user.label

    def signed_in(self) -> None:
        """Log the sign-in (once per session; the app decides when)."""
        self.record_access("signed_in", self.user.label, detail=" ".join(sorted(self.user.roles)))

    # ------------------------------------------------------------------ reading records

    def get(self, encounter_id: str, include_deleted: bool = False) -> StoredEncounter:
        self._allow("records", encounter_id)
        return super().get(encounter_id, include_deleted)

    def view(self, encounter_id: str, actor: str = "") -> StoredEncounter:
        return super().view(encounter_id, self._allow("records", encounter_id))

    def list(
        self,
        filters: EncounterFilters | None = None,
        limit: int = 50,
        offset: int = 0,
        after: tuple[datetime, str] | None = None,
    ) -> builtins.list[EncounterSummary]:
        self._allow("records")
        return super().list(filters, limit, offset, after)

    def count(self, filters: EncounterFilters | None = None) -> int:
        self._allow("records")
        return super().count(filters)

    def iter_encounters(self, filters: EncounterFilters | None = None) -> Iterator[StoredEncounter]:
        self._allow("records")
        return super().iter_encounters(filters)

    def outcome_series(self, patient: Patient, library: Library | None = None) -> pd.DataFrame:
        self._allow("records")
        return super().outcome_series(patient, library)

    def frozen_note(self, encounter_id: str) -> FrozenNote | None:
        self._allow("records", encounter_id)
        return super().frozen_note(encounter_id)

    # ------------------------------------------------------------------ changing records

    def save_draft(self, encounter: Encounter | dict[str, Any], expected_version: int | None, actor: str = "",
                   ui_step: str | None = None) -> StoredEncounter:
        return super().save_draft(encounter, expected_version, self._allow("records"), ui_step)

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
        super().record_exports(encounter_ids, self._allow("records"), kind)

    # ------------------------------------------------------------------ administration

    def audit_history(self, encounter_id: str | None = None) -> builtins.list[AuditEvent]:
        self._allow("audit")
        return super().audit_history(encounter_id)

    def verify_audit(self) -> ChainReport:
        self._allow("audit")
        return super().verify_audit()
