"""The read side of the encounter repository: get, list, count, export, audit, outcomes."""

from __future__ import annotations

import builtins
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from exam_assistant.store import audit, audit_chain, search
from exam_assistant.store.engine import writer
from exam_assistant.store.errors import NotFoundError, hidden
from exam_assistant.store.records import (
    EncounterFilters,
    EncounterSummary,
    StoredEncounter,
    check_actor,
    to_stored,
)
from exam_assistant.store.tables import EncounterRow

if TYPE_CHECKING:
    import pandas as pd

    from exam_assistant.library import Library
    from exam_assistant.models import Patient
    from exam_assistant.store.practice import PracticeRepository


class EncounterReads:
    """Reading encounters; every encounter is validated by the model on the way out.

    ``clinic`` scopes the repository: None (the CLI, run by the machine's own account, and the
    single-user app) reads every clinic; a clinic id lists, counts, exports and charts only that
    clinic's encounters, and new encounters join it. The signed-in app's repository
    (``acting.py``) is scoped to the person's clinic.
    """

    def __init__(self, engine: Engine, clinic: str | None = None) -> None:
        self.engine = engine
        self.clinic = clinic
        self._library: Library | None = None

    @property
    def library(self) -> Library:
        """The protocol library saves are checked against: the app's cached one unless set."""
        if self._library is None:
            from exam_assistant.library import cached_library

            self._library = cached_library()
        return self._library

    @library.setter
    def library(self, library: Library) -> None:
        self._library = library

    def get(self, encounter_id: str, include_deleted: bool = False) -> StoredEncounter:
        """The stored encounter (validated again on the way out); NotFoundError if there is none."""
        with Session(self.engine) as session:
            row = session.get(EncounterRow, encounter_id)
            if row is None or (row.deleted_at is not None and not include_deleted):
                raise NotFoundError(f"no encounter with id {encounter_id}")
            if self.clinic is not None and row.clinic != self.clinic:
                raise hidden(encounter_id)
            return to_stored(row)

    def view(self, encounter_id: str, actor: str) -> StoredEncounter:
        """The stored encounter, for a person to look at: the view is an audit event (``viewed``).

        Use this, not :meth:`get`, whenever a record is shown to someone (screen, ``show``);
        ``get`` is for the store's own bookkeeping and for tests.
        """
        actor = check_actor(actor)
        with Session(writer(self.engine)) as session, session.begin():
            row = session.get(EncounterRow, encounter_id)
            if row is None or row.deleted_at is not None:
                raise NotFoundError(f"no encounter with id {encounter_id}")
            if self.clinic is not None and row.clinic != self.clinic:
                raise hidden(encounter_id)
            audit.record(session, "viewed", actor, encounter_id, row.version)
            return to_stored(row)

    def _scoped(self, filters: EncounterFilters | None) -> EncounterFilters:
        filters = filters or EncounterFilters()
        return filters if self.clinic is None else replace(filters, clinic=self.clinic)

    def clinic_of(self, encounter_id: str) -> str | None:
        """The clinic an encounter belongs to (None when there is no such encounter)."""
        with Session(self.engine) as session:
            return session.scalar(select(EncounterRow.clinic).where(EncounterRow.id == encounter_id))

    def check_scope(self, encounter_id: str, actor: str, missing_ok: bool = False) -> None:
        """Refuse an encounter of another clinic exactly as a missing one (NotFoundError, same
        words), logging the attempt as ``access_denied`` (detail ``other_clinic``). A repository
        with no clinic reaches every encounter. ``missing_ok``: an id nobody uses passes (a new
        encounter being saved)."""
        if self.clinic is None:
            return
        owner = self.clinic_of(encounter_id)
        if owner == self.clinic or (owner is None and missing_ok):
            return
        if owner is not None:
            self.record_access("access_denied", actor, detail="other_clinic", encounter_id=encounter_id)
        raise hidden(encounter_id)

    def record_access(self, event: audit.AuditEventKind, actor: str, detail: str = "",
                      encounter_id: str | None = None) -> None:
        """Log a sign-in or a refused access (``detail``: a machine word such as the action refused)."""
        actor = check_actor(actor)
        with Session(writer(self.engine)) as session, session.begin():
            audit.record(session, event, actor, encounter_id, None, detail=detail)

    def list(
        self,
        filters: EncounterFilters | None = None,
        limit: int = 50,
        offset: int = 0,
        after: tuple[datetime, str] | None = None,
    ) -> builtins.list[EncounterSummary]:
        """One page of encounters matching ``filters``, newest visit first.

        For the next page pass ``after=(last.created_at, last.id)`` of this page's last row
        (keyset: as fast deep in the list as on page 1) rather than a growing ``offset``.
        """
        return search.summaries(self.engine, self._scoped(filters), limit, offset, after)

    def count(self, filters: EncounterFilters | None = None) -> int:
        """How many encounters match ``filters``."""
        return search.count(self.engine, self._scoped(filters))

    def iter_encounters(self, filters: EncounterFilters | None = None) -> Iterator[StoredEncounter]:
        """Every matching encounter in full, newest first (for exports), read in batches."""
        return search.stored(self.engine, self._scoped(filters))

    def audit_history(self, encounter_id: str | None = None) -> builtins.list[audit.AuditEvent]:
        """The audit events (of one encounter, or all), oldest first."""
        return audit.history(self.engine, encounter_id)

    def verify_audit(self) -> audit_chain.ChainReport:
        """Recompute the audit hash chain and check final notes against it (``db verify-audit``),
        with the MACs too when this process holds the audit key."""
        return audit_chain.verify(self.engine, audit_chain.audit_key())

    def outcome_series(self, patient: Patient, library: Library | None = None) -> pd.DataFrame:
        """NPRS, NDI and QuickDASH over a patient's visits: one row per visit, oldest first."""
        from exam_assistant.store.outcomes import outcome_series

        return outcome_series(self.engine, patient, library, self.clinic)

    @property
    def practice(self) -> PracticeRepository:
        """Practice-mode attempts on the same database."""
        from exam_assistant.store.practice import PracticeRepository

        return PracticeRepository(self.engine)
