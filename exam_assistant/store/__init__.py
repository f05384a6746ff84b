"""Encounter records: SQLite by default, PostgreSQL for clinics, drafts, audit log, migrations.

``open_store(url)`` returns an :class:`EncounterRepository` on an upgraded database; see
``docs/records.md`` for the tables, the CSV columns, the audit events and the guarantees.
"""

from exam_assistant.store.engine import default_database_url, make_engine
from exam_assistant.store.errors import (
    ConflictError,
    FinalisedError,
    InvalidEncounterError,
    NotFoundError,
    StaleSaveError,
    StoreError,
)
from exam_assistant.store.migrate import upgrade_database
from exam_assistant.store.practice import PracticeAttempt, PracticeRepository
from exam_assistant.store.records import EncounterFilters, EncounterSummary, StoredEncounter
from exam_assistant.store.repository import EncounterRepository, open_store

__all__ = [
    "ConflictError",
    "EncounterFilters",
    "EncounterRepository",
    "EncounterSummary",
    "FinalisedError",
    "InvalidEncounterError",
    "NotFoundError",
    "PracticeAttempt",
    "PracticeRepository",
    "StaleSaveError",
    "StoreError",
    "StoredEncounter",
    "default_database_url",
    "make_engine",
    "open_store",
    "upgrade_database",
]
