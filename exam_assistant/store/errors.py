"""Errors the store raises; each message is in plain words and free of clinical content."""

from __future__ import annotations

from datetime import datetime

from exam_assistant.errors import ExamAssistantError


class StoreError(ExamAssistantError):
    """Base class for every error the encounter store raises."""


class NotFoundError(StoreError):
    """No encounter (or no live encounter) has the requested id."""


def hidden(encounter_id: str) -> NotFoundError:
    """The one answer for an encounter that is missing or belongs to another clinic: the two are
    told apart nowhere, so an id of another clinic reveals nothing (not even that it exists)."""
    return NotFoundError(f"no encounter with id {encounter_id} that you may open (not found or not allowed)")


class InvalidEncounterError(StoreError):
    """The data does not match the encounter model, so it was not stored."""


class ConflictError(StoreError):
    """The request clashes with what is stored (a colleague's save, a final note, a deletion)."""


class StaleSaveError(ConflictError):
    """The save was based on an older version than the one stored; nothing was overwritten.

    ``current_version``, ``saved_by`` and ``saved_at`` describe the stored version, so the app
    can offer to reload it.
    """

    def __init__(
        self,
        message: str,
        current_version: int | None = None,
        saved_by: str | None = None,
        saved_at: datetime | None = None,
    ) -> None:
        super().__init__(message)
        self.current_version = current_version
        self.saved_by = saved_by
        self.saved_at = saved_at


class FinalisedError(ConflictError):
    """The encounter is final and can no longer change; amend it instead."""
