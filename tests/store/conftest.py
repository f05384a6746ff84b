"""Store fixtures: every store test runs against real SQLite and real PostgreSQL 15."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from exam_assistant.store import EncounterRepository, open_store
from tests.pg import postgres_server, postgres_url  # noqa: F401  (fixtures used by name)

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
]


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database: a SQLite file in the test's temp folder, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'records.sqlite'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def repo(db_url: str) -> Iterator[EncounterRepository]:
    """A repository on an upgraded, empty database."""
    repository = open_store(db_url)
    yield repository
    repository.engine.dispose()
