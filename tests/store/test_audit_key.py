"""The keyed audit chain (issue 13): with the audit key an owner who rebuilds the unkeyed hash chain
after a change, an insertion or a deletion is still caught; old unkeyed events stay verifiable and
are covered once a keyed event follows them. Both back-ends."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from exam_assistant.store import EncounterRepository
from exam_assistant.store.audit_chain import KEY_ENV, KEY_FILE_ENV, AuditKeyError, audit_key, event_hash, verify
from tests.store.factories import make_encounter, with_note
from tests.store.test_audit_chain import _as_owner
from tests.store.test_cli import run

KEY = "k" * 16 + "0123456789abcdef0123"


def _history(repo: EncounterRepository) -> str:
    enc = make_encounter()
    repo.save_draft(enc, None, "alice")
    repo.save_draft(with_note(enc, "more"), 1, "bob")
    repo.view(str(enc.id), "carol")
    repo.record_export(str(enc.id), "carol", "pdf")
    return str(enc.id)


def _ids(engine: Engine) -> list[int]:
    with engine.connect() as conn:
        return list(conn.execute(text("SELECT id FROM audit_events ORDER BY id")).scalars())


def _rebuild_chain(engine: Engine) -> None:
    """What a database owner who knows the code can do: recompute every unkeyed hash in order
    (the MACs stay as they were: computing new ones needs the key)."""
    with engine.begin() as conn:
        _as_owner(conn)
        previous = None
        rows = conn.execute(text("SELECT * FROM audit_events ORDER BY id")).mappings().all()
        for row in rows:
            fields = dict(row)
            if isinstance(fields["at"], str):  # SQLite hands back text through a raw query
                from datetime import UTC, datetime
                fields["at"] = datetime.fromisoformat(fields["at"]).replace(tzinfo=UTC)
            fields["prev_hash"] = previous
            previous = event_hash(fields)
            conn.execute(text("UPDATE audit_events SET prev_hash = :p, row_hash = :h WHERE id = :id"),
                         {"p": fields["prev_hash"], "h": previous, "id": row["id"]})


@pytest.fixture
def keyed(monkeypatch: pytest.MonkeyPatch) -> bytes:
    monkeypatch.setenv(KEY_ENV, KEY)
    return KEY.encode()


def test_every_event_written_with_the_key_is_sealed_and_verifies(repo: EncounterRepository, keyed: bytes) -> None:
    """With the key each event carries a MAC; verify checks them all and says so."""
    _history(repo)
    report = repo.verify_audit()
    assert report.ok and report.keyed and report.keyed_events == report.events == 4


@pytest.mark.parametrize("tamper", ["change", "delete", "insert"])
def test_a_rebuilt_chain_fools_the_unkeyed_check_but_not_the_key(
    repo: EncounterRepository, keyed: bytes, tamper: str
) -> None:
    """Change, delete or insert an event, then rebuild every unkeyed hash: without the key the log
    looks intact (the limit the key closes); with it the first event whose MAC fails is named."""
    _history(repo)
    ids = _ids(repo.engine)
    with repo.engine.begin() as conn:
        _as_owner(conn)
        if tamper == "change":
            conn.execute(text("UPDATE audit_events SET actor = 'mallory' WHERE id = :id"), {"id": ids[1]})
        elif tamper == "delete":
            conn.execute(text("DELETE FROM audit_events WHERE id = :id"), {"id": ids[1]})
        else:
            conn.execute(text(
                "INSERT INTO audit_events (event, actor, at, encounter_id, version, detail, mac) "
                "SELECT 'viewed', 'mallory', at, encounter_id, version, detail, mac FROM audit_events WHERE id = :id"),
                {"id": ids[1]})
    _rebuild_chain(repo.engine)
    assert verify(repo.engine).ok  # the unkeyed chain alone was rebuilt successfully
    report = verify(repo.engine, keyed)
    expected = {"change": ids[1], "delete": ids[2], "insert": _ids(repo.engine)[-1]}[tamper]
    assert (report.ok, report.bad_event) == (False, expected)
    assert "MAC" in str(report.problem)


def test_stripping_every_mac_is_caught_by_the_unkeyed_head(repo: EncounterRepository, keyed: bytes) -> None:
    """Removing all MACs (and rebuilding) leaves a log whose newest event is unkeyed: refused with the key."""
    _history(repo)
    with repo.engine.begin() as conn:
        _as_owner(conn)
        conn.execute(text("UPDATE audit_events SET mac = NULL"))
    report = verify(repo.engine, keyed)
    assert not report.ok and "carries no MAC" in str(report.problem)


def test_old_unkeyed_events_stay_verifiable_and_a_seal_covers_them(
    repo: EncounterRepository, db_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Events from before the key verify without it; with the key the unkeyed head is reported
    until `db seal-audit` writes a keyed event; after that a rebuilt change of an old event is caught."""
    _history(repo)  # written without a key
    code, out, _ = run(capsys, "db", "verify-audit", "--database", db_url)
    assert code == 0 and "unkeyed links only" in out
    monkeypatch.setenv(KEY_ENV, KEY)
    code, _, err = run(capsys, "db", "verify-audit", "--database", db_url)
    assert code == 2 and "carries no MAC" in err and "db seal-audit" in err
    code, out, _ = run(capsys, "db", "seal-audit", "--database", db_url, "--actor", "it-lead")
    assert code == 0 and "4 earlier event(s) now covered" in out
    code, out, _ = run(capsys, "db", "verify-audit", "--database", db_url)
    assert code == 0 and "checked with the audit key (1 keyed event(s))" in out
    first = _ids(repo.engine)[0]
    with repo.engine.begin() as conn:
        _as_owner(conn)
        conn.execute(text("UPDATE audit_events SET actor = 'mallory' WHERE id = :id"), {"id": first})
    _rebuild_chain(repo.engine)
    code, _, err = run(capsys, "db", "verify-audit", "--database", db_url)
    assert code == 2 and "does not match its MAC" in err and len(err.splitlines()) == 1


def test_an_unusable_key_is_refused_in_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A short key, and a key file other users can read, are errors naming the problem."""
    monkeypatch.setenv(KEY_ENV, "short")
    with pytest.raises(AuditKeyError, match="at least 32 characters"):
        audit_key()
    monkeypatch.delenv(KEY_ENV)
    key_file = tmp_path / "audit.key"
    key_file.write_text(KEY + "\n")
    key_file.chmod(0o644)
    monkeypatch.setenv(KEY_FILE_ENV, str(key_file))
    with pytest.raises(AuditKeyError, match="readable by other users"):
        audit_key()
    key_file.chmod(0o600)
    assert audit_key() == KEY.encode()
