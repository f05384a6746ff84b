"""The encounter repository: the one way the app, the CLI and the PDF export read and write notes.

Every save is checked against the pydantic :class:`~exam_assistant.models.Encounter` and carries
the version it was based on; the row is updated only if that version is still the stored one
(compare-and-set in one UPDATE), so a colleague's work is never overwritten silently.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, update
from sqlalchemy.orm import Session

from exam_assistant.access import DEFAULT_CLINIC
from exam_assistant.models import Encounter, utcnow
from exam_assistant.previsit import confirm
from exam_assistant.store import audit, frozen, intake, lifecycle, rows
from exam_assistant.store.engine import make_engine, writer
from exam_assistant.store.errors import FinalisedError, InvalidEncounterError, NotFoundError, hidden
from exam_assistant.store.frozen import NoteRenderer
from exam_assistant.store.migrate import upgrade_engine
from exam_assistant.store.reads import EncounterReads
from exam_assistant.store.records import (
    StoredEncounter,
    check_actor,
    content_of,
    encounter_json,
    to_stored,
    validate_encounter,
)
from exam_assistant.store.tables import EncounterRow, table_of


class EncounterRepository(EncounterReads):
    """Encounter records on one database (SQLite or PostgreSQL); safe to share across threads."""

    def __init__(self, engine: Engine, clinic: str | None = None) -> None:
        super().__init__(engine, clinic)
        self._writer = writer(engine)

    @contextmanager
    def _write(self) -> Iterator[Session]:
        with Session(self._writer, expire_on_commit=False) as session, session.begin():
            yield session

    def save_draft(
        self,
        encounter: Encounter | dict[str, Any],
        expected_version: int | None,
        actor: str,
        ui_step: str | None = None,
    ) -> StoredEncounter:
        """Store a draft (insert or update) and return it with its new version.

        ``expected_version`` is the version the caller's copy was based on, or None for a new
        encounter. Saving content identical to what is stored is a no-op that returns the stored
        record (so a retried save is harmless). ``ui_step`` (the exam step the clinician is on)
        is kept unchanged when None. Raises InvalidEncounterError for invalid data (nothing is
        stored), StaleSaveError when someone saved since ``expected_version`` (naming who and
        when), FinalisedError when the stored note is final, ConflictError when it was deleted.
        """
        actor = check_actor(actor)
        rows.check_ui_step(ui_step)
        checked = intake.accept(encounter, self.library)  # the checks of `encounter validate`
        if checked.status != "draft" or checked.finalised_at is not None:
            raise InvalidEncounterError("save_draft stores drafts only; finalise the note with finalise()")
        now = utcnow()
        checked = checked.model_copy(update={"updated_at": now})
        key = str(checked.id)
        with self._write() as session:
            values = rows.columns(session, checked, actor, now)
            clinic = self.clinic or DEFAULT_CLINIC  # a new encounter joins the repository's clinic
            if expected_version is None and rows.insert_new(
                session, {**values, "id": key, "version": 1, "ui_step": ui_step, "clinic": clinic}
            ):
                audit.record(session, "created", actor, key, 1, at=now)
                return StoredEncounter(checked, 1, ui_step, "draft", now, actor)
            row = session.get(EncounterRow, key, populate_existing=True)
            if row is None:
                raise NotFoundError(f"no encounter with id {key} to update; save it as a new one")
            if self.clinic is not None and row.clinic != self.clinic:
                raise hidden(key)  # another clinic's id: refused as if it did not exist
            if row.deleted_at is not None:
                raise rows.deleted(row)
            same_step = ui_step is None or ui_step == row.ui_step
            if row.status == "draft" and same_step and content_of(row.data) == content_of(values["data"]):
                return to_stored(row)
            if row.status == "final":
                raise FinalisedError(
                    f"Not saved: encounter {key} was finalised by {row.updated_by} on "
                    f"{rows.when(row.updated_at)} and cannot change; amend it instead."
                )
            if expected_version != row.version:
                raise rows.stale(row, expected_version)
            changes = {**values, "version": row.version + 1}
            if ui_step is not None:
                changes["ui_step"] = ui_step
            if not self._compare_and_set(session, key, row.version, changes):
                raise rows.stale(rows.live_row(session, key), expected_version)
            # a save that confirms or changes the patient's pre-visit answers says so (counts only)
            detail = confirm.audit_detail(row.data, checked)
            audit.record(session, "updated", actor, key, row.version + 1, detail=detail, at=now)
            step = row.ui_step if ui_step is None else ui_step
            return StoredEncounter(checked, row.version + 1, step, "draft", now, actor, row.amends_id)

    def finalise(
        self, encounter_id: str, expected_version: int, actor: str, render: NoteRenderer | None = None
    ) -> StoredEncounter:
        """Make a draft final: it can no longer change, and an immutable copy is kept.

        With ``render`` (the app and the CLI always pass one) the note is rendered once, from
        exactly the final content stored, and its PDF bytes and SHA-256 are kept with it (see
        ``frozen.py``); the audit event records the hash. Rendering runs before the write
        transaction, so the write lock is not held meanwhile; if it fails nothing changes and
        the draft is kept. Raises StaleSaveError if the draft changed since ``expected_version``,
        FinalisedError if it is already final, NotFoundError if it does not exist or was deleted,
        InvalidEncounterError when no clinician is named (with a renderer).
        """
        actor = check_actor(actor)
        now = utcnow()
        rendered: frozen.RenderedNote | None = None
        if render is not None:
            with Session(self.engine) as session:
                row = rows.live_row(session, encounter_id)
                self._check_finalisable(row, encounter_id, expected_version)
                final = self._final_copy(row.data, now)
                frozen.check_signer(final)
                rendered = render(final, frozen.previous_ref(session, row.amends_id))
        with self._write() as session:
            row = rows.live_row(session, encounter_id, lock=True)
            self._check_finalisable(row, encounter_id, expected_version)
            data = encounter_json(self._final_copy(row.data, now))
            changes = {
                "status": "final",
                "data": data,
                "finalised_at": now,
                "updated_at": now,
                "updated_by": actor,
                "version": row.version + 1,
            }
            if not self._compare_and_set(session, encounter_id, row.version, changes):
                raise rows.stale(rows.live_row(session, encounter_id), expected_version)
            lifecycle.keep_copy(
                session,
                encounter_id,
                row.version + 1,
                "final",
                data,
                actor,
                now,
                supersedes=lifecycle.final_copy_id(session, row.amends_id),
            )
            detail = ""
            if rendered is not None:
                digest = frozen.keep_note(session, encounter_id, row.version + 1, rendered, actor, now, row.amends_id)
                detail = f"sha256 {digest}"
            audit.record(session, "finalised", actor, encounter_id, row.version + 1, detail=detail, at=now)
            return self._reread(session, encounter_id)

    def frozen_note(self, encounter_id: str) -> frozen.FrozenNote | None:
        """The PDF bytes frozen when the note was finalised (None for a draft or an older final)."""
        return frozen.frozen_note(self.engine, encounter_id)

    @staticmethod
    def _check_finalisable(row: EncounterRow, encounter_id: str, expected_version: int) -> None:
        if row.status == "final":
            raise FinalisedError(f"encounter {encounter_id} is already final")
        if row.version != expected_version:
            raise rows.stale(row, expected_version)

    @staticmethod
    def _final_copy(data: Any, now: datetime) -> Encounter:
        """The stored draft as the final encounter: the same content the PDF is rendered from."""
        return validate_encounter(data).model_copy(update={"status": "final", "finalised_at": now, "updated_at": now})

    def amend(self, encounter_id: str, actor: str) -> StoredEncounter:
        """Start an amendment of a final note: a new draft (new id) linked to the final one.

        The final note stays as it was. Calling this again while the amendment is still a
        draft returns that same draft. Raises ConflictError for a draft (edit it directly) or
        for a note whose amendment is already final (amend the newest version).
        """
        actor = check_actor(actor)
        with self._write() as session:
            new_id = lifecycle.amend(session, encounter_id, actor)
            return self._reread(session, new_id)

    def start_follow_up(self, previous_id: str, actor: str) -> StoredEncounter:
        """Start a follow-up visit: a new draft with the patient, clinician, setting, complaint
        and history answers of ``previous_id`` carried over and ``previous_encounter_id`` set."""
        actor = check_actor(actor)
        with self._write() as session:
            new_id = lifecycle.follow_up(session, previous_id, actor)
            return self._reread(session, new_id)

    def soft_delete(self, encounter_id: str, actor: str) -> None:
        """Hide a draft from listings (kept in the database and the audit log).

        A final note cannot be deleted (FinalisedError); deleting twice is harmless.
        """
        actor = check_actor(actor)
        with self._write() as session:
            row = session.get(EncounterRow, encounter_id)
            if row is None:
                raise NotFoundError(f"no encounter with id {encounter_id}")
            if row.deleted_at is not None:
                return
            if row.status == "final":
                raise FinalisedError(f"encounter {encounter_id} is final and cannot be deleted")
            now = utcnow()
            changes = {
                "deleted_at": now,
                "updated_at": now,
                "updated_by": actor,
                "version": row.version + 1,
            }
            if not self._compare_and_set(session, encounter_id, row.version, changes):
                raise rows.stale(rows.live_row(session, encounter_id), row.version)
            audit.record(session, "deleted", actor, encounter_id, row.version + 1, at=now)

    def record_export(self, encounter_id: str, actor: str, kind: str) -> None:
        """Log that an encounter left the system (``kind``: ``pdf``, ``csv``, ...)."""
        actor = check_actor(actor)
        kind = audit.check_export_kind(kind)
        with self._write() as session:
            row = rows.live_row(session, encounter_id)
            audit.record(session, "exported", actor, encounter_id, row.version, detail=kind)

    def record_exports(self, encounter_ids: Iterable[str], actor: str, kind: str) -> None:
        """Log one export (``kind``) of several encounters in one transaction (a batch export)."""
        actor = check_actor(actor)
        kind = audit.check_export_kind(kind)
        with self._write() as session:
            for encounter_id in encounter_ids:
                row = rows.live_row(session, encounter_id)
                audit.record(session, "exported", actor, encounter_id, row.version, detail=kind)

    @staticmethod
    def _compare_and_set(session: Session, key: str, version: int, changes: dict[str, Any]) -> bool:
        """UPDATE the draft only if it is still at ``version``; False when someone got there first."""
        table = table_of(EncounterRow)
        stmt = (
            update(table)
            .where(
                table.c.id == key,
                table.c.version == version,
                table.c.status == "draft",
                table.c.deleted_at.is_(None),
            )
            .values(**changes)
        )
        return session.connection().execute(stmt).rowcount == 1

    @staticmethod
    def _reread(session: Session, key: str) -> StoredEncounter:
        session.flush()
        row = session.get(EncounterRow, key, populate_existing=True)
        assert row is not None
        return to_stored(row)


def open_store(url: str | None = None, upgrade: bool = True) -> EncounterRepository:
    """Open the database at ``url`` (default: the configured one), upgrading its schema first."""
    engine = make_engine(url)
    if upgrade:
        upgrade_engine(engine)
    return EncounterRepository(engine)
