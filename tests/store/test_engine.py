"""The database engine: default location, folder creation, SQLite settings, PostgreSQL URLs."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from exam_assistant.store import default_database_url, make_engine, open_store
from exam_assistant.store.engine import ENV_URL, data_folder


def test_default_database_is_a_sqlite_file_in_the_xdg_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With XDG_DATA_HOME set and no URL configured, the file is exam-assistant/exam_assistant.sqlite."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv(ENV_URL, raising=False)
    expected = tmp_path / "xdg" / "exam-assistant" / "exam_assistant.sqlite"
    assert default_database_url() == f"sqlite:///{expected}"


def test_without_xdg_the_default_is_under_local_share(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without XDG_DATA_HOME the folder is ~/.local/share/exam-assistant."""
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    assert data_folder() == Path.home() / ".local" / "share" / "exam-assistant"


def test_the_environment_variable_overrides_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    """EXAM_ASSISTANT_DATABASE_URL wins over the data folder."""
    monkeypatch.setenv(ENV_URL, "postgresql+psycopg://u@db.example/clinic")
    assert default_database_url() == "postgresql+psycopg://u@db.example/clinic"


def test_first_use_creates_the_folder_and_the_schema(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """open_store() with nothing configured creates the data folder, the file and the tables."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "fresh" / "data"))
    monkeypatch.delenv(ENV_URL, raising=False)
    repo = open_store()
    try:
        assert (tmp_path / "fresh" / "data" / "exam-assistant" / "exam_assistant.sqlite").is_file()
        assert repo.count() == 0
    finally:
        repo.engine.dispose()


def test_sqlite_connections_use_wal_busy_timeout_and_foreign_keys(tmp_path: Path) -> None:
    """Every SQLite connection runs in WAL mode, waits 30 s on a lock, and enforces foreign keys."""
    engine = make_engine(f"sqlite:///{tmp_path / 'x.sqlite'}")
    try:
        with engine.connect() as conn:
            pragma = {name: conn.execute(text(f"PRAGMA {name}")).scalar_one()
                      for name in ("journal_mode", "busy_timeout", "foreign_keys", "synchronous")}
        assert pragma == {"journal_mode": "wal", "busy_timeout": 30_000, "foreign_keys": 1, "synchronous": 2}
    finally:
        engine.dispose()


def test_sqlite_refuses_a_row_pointing_at_a_missing_patient(tmp_path: Path) -> None:
    """Foreign keys are really on: an encounter row without its patient row is rejected."""
    repo = open_store(f"sqlite:///{tmp_path / 'fk.sqlite'}")
    try:
        with pytest.raises(Exception, match="FOREIGN KEY"), repo.engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO encounters (id, status, created_at, updated_at, updated_by, patient_id, "
                "protocol_versions, data, schema_version, version) VALUES ('x', 'draft', '2026-01-01', "
                "'2026-01-01', 'a', 999, '[]', '{}', '1.0', 1)"
            ))
    finally:
        repo.engine.dispose()


def test_plain_postgresql_urls_use_psycopg3() -> None:
    """postgresql:// is rewritten to postgresql+psycopg:// (psycopg 3 is the installed driver)."""
    engine = make_engine("postgresql://user@localhost/clinic")
    assert engine.url.drivername == "postgresql+psycopg"
    assert engine.dialect.driver == "psycopg"
