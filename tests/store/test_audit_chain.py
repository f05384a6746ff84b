"""Tamper-evident audit (issue 13, item 3): a hash chain that names the first changed, deleted or
inserted event; views are logged; final encounter rows cannot be changed with plain SQL."""

from __future__ import annotations

import json
import threading

import pytest
from sqlalchemy import Connection, text

from exam_assistant.store import EncounterRepository, open_store, upgrade_database
from exam_assistant.store.engine import make_engine
from tests.store.factories import make_encounter, with_note
from tests.store.test_cli import run
from tests.store.test_migrations import SEED_ID, SEEDS


def _history(repo: EncounterRepository) -> str:
    """Every kind of event once: created, updated, viewed, finalised, exported, amended, deleted."""
    enc = make_encounter()
    key = str(enc.id)
    repo.save_draft(enc, None, "alice")
    repo.save_draft(with_note(enc, "more"), 1, "bob")
    repo.view(key, "carol")
    repo.finalise(key, 2, "bob")
    repo.record_export(key, "carol", "pdf")
    amendment = repo.amend(key, "dave")
    repo.soft_delete(amendment.id, "dave")
    return key


def _as_owner(conn: Connection, table: str = "audit_events") -> None:
    """Lift the append-only guard, as the database owner could (the chain must still tell)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))
    else:
        names = conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :t"),
                             {"t": table}).scalars().all()
        for name in names:
            conn.execute(text(f"DROP TRIGGER {name}"))


def _ids(repo: EncounterRepository) -> list[int]:
    return [e.id for e in repo.audit_history()]


def test_an_untouched_log_verifies_and_every_kind_of_event_is_there(repo: EncounterRepository) -> None:
    """After every kind of event the chain verifies, and the view is in it with its actor."""
    key = _history(repo)
    events = [(e.event, e.actor) for e in repo.audit_history(key)]
    assert ("viewed", "carol") in events and ("finalised", "bob") in events
    report = repo.verify_audit()
    assert report.ok and report.events == len(repo.audit_history()) and report.head is not None


def test_a_changed_event_is_named(repo: EncounterRepository) -> None:
    """Changing one column of one event (the actor) is detected at that event."""
    _history(repo)
    target = _ids(repo)[2]
    with repo.engine.begin() as conn:
        _as_owner(conn)
        conn.execute(text("UPDATE audit_events SET actor = 'mallory' WHERE id = :id"), {"id": target})
    report = repo.verify_audit()
    assert (report.ok, report.bad_event) == (False, target)
    assert f"event {target}" in str(report.problem) and "changed" in str(report.problem)


def test_a_deleted_event_is_named_by_the_one_after_it(repo: EncounterRepository) -> None:
    """Deleting an event breaks the link of the next one, which is named."""
    _history(repo)
    ids = _ids(repo)
    with repo.engine.begin() as conn:
        _as_owner(conn)
        conn.execute(text("DELETE FROM audit_events WHERE id = :id"), {"id": ids[1]})
    report = repo.verify_audit()
    assert (report.ok, report.bad_event) == (False, ids[2])
    assert "deleted or inserted out of order" in str(report.problem)


def test_an_event_inserted_out_of_order_is_named(repo: EncounterRepository) -> None:
    """A copy of an old event (hash and all) appended later does not follow the last event: named."""
    _history(repo)
    first = _ids(repo)[0]
    with repo.engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO audit_events (event, actor, at, encounter_id, version, detail, subject_hash, prev_hash, row_hash) "
            "SELECT event, actor, at, encounter_id, version, detail, subject_hash, prev_hash, row_hash "
            "FROM audit_events WHERE id = :id"), {"id": first})
    inserted = _ids(repo)[-1]
    report = repo.verify_audit()
    assert (report.ok, report.bad_event) == (False, inserted)


def test_db_verify_audit_exits_0_when_intact_and_2_naming_the_event_when_not(
    repo: EncounterRepository, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The command prints the head hash when intact, and one line naming the first bad event otherwise."""
    _history(repo)
    code, out, _ = run(capsys, "db", "verify-audit", "--database", db_url)
    assert code == 0 and out.startswith("audit log intact: ")
    target = _ids(repo)[3]
    with repo.engine.begin() as conn:
        _as_owner(conn)
        conn.execute(text("UPDATE audit_events SET detail = 'x' WHERE id = :id"), {"id": target})
    code, out, err = run(capsys, "db", "verify-audit", "--database", db_url)
    assert (code, out) == (2, "") and len(err.splitlines()) == 1 and f"event {target}" in err


@pytest.mark.parametrize("statement", ["UPDATE encounters SET updated_by = 'mallory' WHERE status = 'final'",
                                       "DELETE FROM encounters WHERE status = 'final'"])
def test_the_database_refuses_to_change_or_delete_a_final_encounter(
    repo: EncounterRepository, statement: str
) -> None:
    """Plain SQL UPDATE and DELETE of a final encounter row are refused by a trigger; drafts still change."""
    key = _history(repo)
    with pytest.raises(Exception, match="final encounters cannot change"), repo.engine.begin() as conn:
        conn.execute(text(statement))
    assert repo.get(key).updated_by == "bob"
    draft = repo.save_draft(make_encounter(name="Other Patient"), None, "alice")
    with repo.engine.begin() as conn:
        conn.execute(text("UPDATE encounters SET ui_step = 'x' WHERE id = :id"), {"id": draft.id})


def test_a_final_note_changed_behind_the_triggers_is_caught_by_the_chain(repo: EncounterRepository) -> None:
    """With the triggers dropped by the owner, a rewritten final note no longer matches its finalised event."""
    key = _history(repo)
    with repo.engine.begin() as conn:
        _as_owner(conn, "encounters")
        data = repo.get(key).encounter.model_copy(update={"notes": "rewritten"}).model_dump(mode="json")
        conn.execute(text("UPDATE encounters SET data = :d WHERE id = :id"),
                     {"d": json.dumps(data), "id": key})
    report = repo.verify_audit()
    assert not report.ok and f"final encounter {key}" in str(report.problem)


def test_concurrent_writers_keep_one_unbroken_chain(repo: EncounterRepository) -> None:
    """Ten threads saving at once never chain two events onto the same predecessor."""
    repo.library  # noqa: B018  (load once, outside the race)
    barrier = threading.Barrier(10)
    errors: list[BaseException] = []

    def write(i: int) -> None:
        barrier.wait()
        try:
            stored = repo.save_draft(make_encounter(f"Chain Patient {i}", identifier=f"C-{i}"), None, f"w{i}")
            repo.view(stored.id, f"w{i}")
        except BaseException as exc:  # collected and asserted on below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    report = repo.verify_audit()
    assert report.ok and report.events == 20


def test_show_logs_a_view_with_the_actor(repo: EncounterRepository, db_url: str,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    """`encounters show` is a view: it is in the audit log under the given actor."""
    stored = repo.save_draft(make_encounter(), None, "alice")
    code, _, _ = run(capsys, "encounters", "show", stored.id, "--database", db_url, "--actor", "erin")
    assert code == 0
    assert [(e.event, e.actor) for e in repo.audit_history(stored.id)] == [("created", "alice"), ("viewed", "erin")]


def test_upgrading_from_0003_chains_the_existing_events(db_url: str) -> None:
    """Events written before revision 0004 are chained by the migration and verify afterwards."""
    assert upgrade_database(db_url, "0003") == "0003"
    engine = make_engine(db_url)
    with engine.begin() as conn:
        SEEDS[max(SEEDS)](conn)
    engine.dispose()
    repo = open_store(db_url)
    try:
        assert repo.verify_audit().ok
        repo.view(SEED_ID, "auditor")
        report = repo.verify_audit()
        assert report.ok and report.events == 2
    finally:
        repo.engine.dispose()


@pytest.mark.parametrize("rewrite_hash_too", [False, True], ids=["bytes-only", "bytes-and-hash"])
def test_a_frozen_pdf_changed_behind_the_triggers_is_caught(repo: EncounterRepository, rewrite_hash_too: bool) -> None:
    """Replacing a frozen note's PDF (even with its sha256 column recomputed) no longer matches the
    SHA-256 its finalised event recorded."""
    from exam_assistant.store.frozen import RenderedNote, sha256_hex

    def render(encounter: object, _previous: object) -> RenderedNote:
        return RenderedNote(b"%PDF-1.4 note of " + str(getattr(encounter, "id", "")).encode())

    stored = repo.save_draft(make_encounter(), None, "alice")
    repo.finalise(stored.id, 1, "alice", render)
    assert repo.verify_audit().ok
    forged = b"%PDF-1.4 a different note"
    with repo.engine.begin() as conn:
        _as_owner(conn, "final_notes")
        conn.execute(text("UPDATE final_notes SET pdf = :pdf"), {"pdf": forged})
        if rewrite_hash_too:
            conn.execute(text("UPDATE final_notes SET sha256 = :h"), {"h": sha256_hex(forged)})
    report = repo.verify_audit()
    assert not report.ok and f"frozen PDF of encounter {stored.id}" in str(report.problem)
