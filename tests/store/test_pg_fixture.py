"""The PostgreSQL test fixture: says why it cannot run, and really talks to PostgreSQL 15."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.pg import missing_reason


def test_missing_binaries_give_a_reason_naming_the_path(tmp_path: Path) -> None:
    """Without initdb the reason names the missing file, so the skip is visible and explained."""
    reason = missing_reason(tmp_path / "no-such-bin")
    assert reason is not None and str(tmp_path / "no-such-bin" / "initdb") in reason


@pytest.mark.postgres
def test_the_server_is_postgresql_15(postgres_url: str) -> None:
    """The fixture's database is a real PostgreSQL 15 server reached through psycopg 3."""
    engine = create_engine(postgres_url)
    try:
        with engine.connect() as conn:
            version = conn.execute(text("SHOW server_version_num")).scalar_one()
        assert engine.dialect.driver == "psycopg" and str(version).startswith("15")
    finally:
        engine.dispose()
