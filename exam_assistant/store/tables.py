"""The database tables, as plain SQLAlchemy 2 declarative models.

These rows are storage only: the repository converts them to and from the pydantic
:class:`~exam_assistant.models.Encounter`, which validates every encounter on the way in and out.
The migrations in ``migrations/versions`` create exactly these tables; change both together.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from exam_assistant.access import DEFAULT_CLINIC

UUID_LEN = 36
NAME_LEN = 300
KEY_LEN = 64
CLINIC_LEN = 64

JsonType = JSON().with_variant(JSONB(), "postgresql")
BigId = BigInteger().with_variant(Integer(), "sqlite")  # SQLite autoincrement needs INTEGER


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every backend (SQLite stores it naive, in UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("times stored in the database must carry a time zone")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base of the store's tables."""


class ClinicianRow(Base):
    __tablename__ = "clinicians"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    match_key: Mapped[str] = mapped_column(String(KEY_LEN), unique=True)
    name: Mapped[str] = mapped_column(String(NAME_LEN))
    name_folded: Mapped[str] = mapped_column(String(NAME_LEN))
    role: Mapped[str] = mapped_column(String(NAME_LEN))
    registration_number: Mapped[str | None] = mapped_column(String(NAME_LEN))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class PatientRow(Base):
    __tablename__ = "patients"
    # Name and identifier search is a substring match (LIKE '%part%'): on PostgreSQL these are
    # GIN pg_trgm indexes that serve it; SQLite gets plain indexes of the same name (revision 0005)
    # and the FTS5 trigram table patients_search, kept by triggers (revision 0010, not a model).
    __table_args__ = (
        Index("ix_patients_name_trgm", "name_folded", postgresql_using="gin",
              postgresql_ops={"name_folded": "gin_trgm_ops"}),
        Index("ix_patients_identifier_trgm", "identifier_folded", postgresql_using="gin",
              postgresql_ops={"identifier_folded": "gin_trgm_ops"}),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    match_key: Mapped[str] = mapped_column(String(KEY_LEN), unique=True)
    name: Mapped[str] = mapped_column(String(NAME_LEN))
    name_folded: Mapped[str] = mapped_column(String(NAME_LEN))
    date_of_birth: Mapped[date] = mapped_column(Date)
    sex: Mapped[str] = mapped_column(String(16))
    identifier: Mapped[str | None] = mapped_column(String(NAME_LEN))
    identifier_folded: Mapped[str | None] = mapped_column(String(NAME_LEN))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class EncounterRow(Base):
    __tablename__ = "encounters"
    __table_args__ = (
        Index("ix_encounters_created_at", "created_at"),
        Index("ix_encounters_created_at_id", "created_at", "id"),  # keyset pages (revision 0005)
        Index("ix_encounters_clinic_created_at_id", "clinic", "created_at", "id"),  # a clinic's pages (0007)
        Index("ix_encounters_status", "status"),
        Index("ix_encounters_patient_id", "patient_id"),
        Index("ix_encounters_clinician_id", "clinician_id"),
        Index("ix_encounters_previous_encounter_id", "previous_encounter_id"),
    )

    id: Mapped[str] = mapped_column(String(UUID_LEN), primary_key=True)
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_by: Mapped[str] = mapped_column(String(NAME_LEN))
    clinician_id: Mapped[int | None] = mapped_column(ForeignKey("clinicians.id"))
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"))
    protocol_versions: Mapped[Any] = mapped_column(JsonType)
    data: Mapped[Any] = mapped_column(JsonType)
    schema_version: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer)
    ui_step: Mapped[str | None] = mapped_column(Text)
    previous_encounter_id: Mapped[str | None] = mapped_column(ForeignKey("encounters.id"))
    amends_id: Mapped[str | None] = mapped_column(ForeignKey("encounters.id"))
    finalised_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # The clinic the record belongs to (revision 0007); set at insert and never changed.
    clinic: Mapped[str] = mapped_column(String(CLINIC_LEN), server_default=DEFAULT_CLINIC)


class EncounterVersionRow(Base):
    """An immutable copy of an encounter, taken at every finalise and every amendment."""

    __tablename__ = "encounter_versions"
    __table_args__ = (UniqueConstraint("encounter_id", "version", name="uq_encounter_versions"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    encounter_id: Mapped[str] = mapped_column(ForeignKey("encounters.id"))
    version: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))  # "final" or "amendment"
    data: Mapped[Any] = mapped_column(JsonType)
    schema_version: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(String(NAME_LEN))
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("encounter_versions.id"))


class AuditEventRow(Base):
    """Append-only: who did what to which encounter, when. Never clinical content or names."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_encounter_id", "encounter_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    event: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(NAME_LEN))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    encounter_id: Mapped[str | None] = mapped_column(ForeignKey("encounters.id"))
    version: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[str] = mapped_column(String(200))
    # The hash chain (revision 0004, see audit_chain.py): the encounter's content hash at the
    # event, the previous event's hash, and this event's own hash.
    subject_hash: Mapped[str | None] = mapped_column(String(KEY_LEN))
    prev_hash: Mapped[str | None] = mapped_column(String(KEY_LEN))
    row_hash: Mapped[str | None] = mapped_column(String(KEY_LEN))
    # HMAC-SHA256 of row_hash under the audit key (revision 0009); None when written without the key.
    mac: Mapped[str | None] = mapped_column(String(KEY_LEN))


class FinalNoteRow(Base):
    """The PDF of a final note, rendered once at finalise: its bytes are the record (append-only)."""

    __tablename__ = "final_notes"
    __table_args__ = (UniqueConstraint("encounter_id", name="uq_final_notes_encounter"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    encounter_id: Mapped[str] = mapped_column(ForeignKey("encounters.id"))
    encounter_version: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(KEY_LEN))
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    signed: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(String(NAME_LEN))
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("final_notes.id"))


class PracticeAttemptRow(Base):
    """One practice-mode attempt at a simulated case. Holds a student label, never patient data."""

    __tablename__ = "practice_attempts"
    __table_args__ = (Index("ix_practice_attempts_student", "student"),)

    id: Mapped[str] = mapped_column(String(UUID_LEN), primary_key=True)
    case_id: Mapped[str] = mapped_column(String(200))
    student: Mapped[str] = mapped_column(String(200))
    mode: Mapped[str] = mapped_column(String(40))
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    score: Mapped[Any] = mapped_column(JsonType)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # revision 0008: the unfinished attempt's state (cleared when it is committed) and its save version
    # none_as_null: Python None is SQL NULL (not JSON 'null'), so "progress IS NULL" finds committed attempts
    progress: Mapped[Any | None] = mapped_column(
        JSON(none_as_null=True).with_variant(JSONB(none_as_null=True), "postgresql"), nullable=True)
    version: Mapped[int] = mapped_column(Integer, server_default="1")


class InvitationRow(Base):
    """A patient's pre-visit invitation (revision 0006): the token only as SHA-256, the answers as JSON."""

    __tablename__ = "invitations"
    __table_args__ = (Index("ix_invitations_state", "state"), Index("ix_invitations_clinic", "clinic"))

    id: Mapped[str] = mapped_column(String(UUID_LEN), primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(KEY_LEN), unique=True)
    patient_name: Mapped[str] = mapped_column(String(NAME_LEN))
    date_of_birth: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(String(NAME_LEN))
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    answers: Mapped[Any] = mapped_column(JsonType)
    urgency: Mapped[str | None] = mapped_column(String(16))
    encounter_id: Mapped[str | None] = mapped_column(ForeignKey("encounters.id"))
    clinic: Mapped[str] = mapped_column(String(CLINIC_LEN), server_default=DEFAULT_CLINIC)  # revision 0007


def table_of(entity: type[Base]) -> Table:
    """The Core table behind a declarative class (for statements with exact row counts)."""
    table = entity.__table__
    assert isinstance(table, Table)
    return table
