"""The encounter repository on SQLite and PostgreSQL: drafts, versions, finalise, amend, delete."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from exam_assistant.models import Encounter, YesNo
from exam_assistant.store import (
    ConflictError,
    EncounterRepository,
    FinalisedError,
    InvalidEncounterError,
    NotFoundError,
    StaleSaveError,
)
from exam_assistant.store.tables import EncounterRow, EncounterVersionRow
from tests.store.factories import make_encounter, with_note


def _rows(repo: EncounterRepository) -> int:
    with Session(repo.engine) as session:
        return int(session.scalar(select(func.count()).select_from(EncounterRow)) or 0)


def test_save_and_get_round_trip_keeps_every_field(repo: EncounterRepository) -> None:
    """A saved draft reads back equal to what was saved, with version 1 and the exam step."""
    enc = with_note(make_encounter(), "ok")
    stored = repo.save_draft(enc, None, "alice", ui_step="neuro")
    got = repo.get(str(enc.id))
    assert (got.version, got.status, got.ui_step, got.updated_by) == (1, "draft", "neuro", "alice")
    assert got.encounter.model_dump(exclude={"updated_at"}) == enc.model_dump(exclude={"updated_at"})
    assert got.encounter.updated_at == stored.updated_at == got.updated_at


def test_saving_identical_content_again_is_a_no_op(repo: EncounterRepository) -> None:
    """An upsert of unchanged content keeps the version (a retried save is harmless)."""
    enc = make_encounter()
    repo.save_draft(enc, None, "alice")
    assert repo.save_draft(enc, None, "alice").version == 1
    assert repo.save_draft(enc, 1, "alice").version == 1
    assert len(repo.audit_history(str(enc.id))) == 1


def test_update_with_the_current_version_bumps_it_and_keeps_ui_step(repo: EncounterRepository) -> None:
    """A save based on the stored version succeeds; a None exam step leaves the stored one."""
    enc = make_encounter()
    repo.save_draft(enc, None, "alice", ui_step="history")
    second = repo.save_draft(with_note(enc, "second"), 1, "bob")
    assert (second.version, second.ui_step, second.updated_by) == (2, "history", "bob")
    third = repo.save_draft(with_note(enc, "third"), 2, "bob", ui_step="tests")
    assert (third.version, third.ui_step, third.encounter.notes) == (3, "tests", "third")


def test_stale_save_is_refused_naming_who_saved_and_nothing_is_lost(repo: EncounterRepository) -> None:
    """A save based on version 1 after a colleague saved version 2 raises and keeps theirs."""
    enc = make_encounter()
    repo.save_draft(enc, None, "alice")
    repo.save_draft(with_note(enc, "colleague's work"), 1, "Dr Bob")
    with pytest.raises(StaleSaveError) as err:
        repo.save_draft(with_note(enc, "my late edit"), 1, "alice")
    message = str(err.value)
    assert "Dr Bob" in message and "version 2" in message and "version 1" in message
    assert (err.value.current_version, err.value.saved_by) == (2, "Dr Bob")
    assert repo.get(str(enc.id)).encounter.notes == "colleague's work"


def test_new_save_of_an_existing_id_is_refused_as_stale(repo: EncounterRepository) -> None:
    """expected_version=None on an id that exists with other content is a conflict, not an overwrite."""
    enc = make_encounter()
    repo.save_draft(enc, None, "alice")
    with pytest.raises(StaleSaveError, match="already exists"):
        repo.save_draft(with_note(enc, "other"), None, "bob")
    assert repo.get(str(enc.id)).encounter.notes == ""


def test_update_of_an_unknown_id_is_not_found(repo: EncounterRepository) -> None:
    """A save with an expected version for an id that was never stored raises NotFoundError."""
    with pytest.raises(NotFoundError):
        repo.save_draft(make_encounter(), 3, "alice")
    assert _rows(repo) == 0


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d["patient"].update(date_of_birth="2999-01-01"),
        lambda d: d["findings"].update({"x.y": {"kind": "mrc", "left": 9}}),
        lambda d: d.update(status="archived"),
        lambda d: d.update(unexpected_field=1),
    ],
    ids=["future-birth", "mrc-out-of-range", "unknown-status", "extra-field"],
)
def test_invalid_data_is_never_stored(repo: EncounterRepository, mutate: object) -> None:
    """Data the encounter model rejects raises InvalidEncounterError and leaves no row."""
    data = make_encounter().model_dump(mode="json")
    mutate(data)  # type: ignore[operator]
    with pytest.raises(InvalidEncounterError):
        repo.save_draft(data, None, "alice")
    assert _rows(repo) == 0


def test_invalid_json_in_the_database_is_refused_on_the_way_out(repo: EncounterRepository) -> None:
    """A row whose JSON no longer matches the model raises instead of returning bad data."""
    enc = make_encounter()
    repo.save_draft(enc, None, "alice")
    data = enc.model_dump(mode="json")
    data["findings"]["x.y"] = {"kind": "reflex", "left": 99}
    with Session(repo.engine) as session, session.begin():
        session.get_one(EncounterRow, str(enc.id)).data = data
    with pytest.raises(InvalidEncounterError, match="findings"):
        repo.get(str(enc.id))


def test_finalise_makes_the_note_immutable_and_keeps_a_copy(repo: EncounterRepository) -> None:
    """After finalise, saving or deleting raises FinalisedError and a final copy exists."""
    enc = make_encounter()
    repo.save_draft(enc, None, "alice")
    final = repo.finalise(str(enc.id), 1, "alice")
    assert (final.status, final.version, final.encounter.status) == ("final", 2, "final")
    assert final.encounter.finalised_at is not None
    with pytest.raises(FinalisedError, match="amend"):
        repo.save_draft(with_note(enc, "change"), 2, "alice")
    with pytest.raises(FinalisedError):
        repo.soft_delete(str(enc.id), "alice")
    with pytest.raises(FinalisedError):
        repo.finalise(str(enc.id), 2, "alice")
    assert repo.get(str(enc.id)).encounter.notes == ""
    with Session(repo.engine) as session:
        copies = session.scalars(select(EncounterVersionRow)).all()
    assert [(c.encounter_id, c.version, c.kind) for c in copies] == [(str(enc.id), 2, "final")]
    assert copies[0].data == final.encounter.model_dump(mode="json")


def test_finalise_with_a_stale_version_is_refused(repo: EncounterRepository) -> None:
    """Finalising a copy older than the stored draft raises StaleSaveError and stays a draft."""
    enc = make_encounter()
    repo.save_draft(enc, None, "alice")
    repo.save_draft(with_note(enc, "bob's"), 1, "bob")
    with pytest.raises(StaleSaveError):
        repo.finalise(str(enc.id), 1, "alice")
    assert repo.get(str(enc.id)).status == "draft"


def test_saving_a_note_marked_final_as_a_draft_is_refused(repo: EncounterRepository) -> None:
    """save_draft does not accept an encounter whose own status is final."""
    with pytest.raises(InvalidEncounterError, match="drafts only"):
        repo.save_draft(make_encounter(status="final"), None, "alice")


def test_database_refuses_to_change_immutable_copies(repo: EncounterRepository) -> None:
    """A raw UPDATE or DELETE on encounter_versions is rejected by the database itself."""
    enc = make_encounter()
    repo.save_draft(enc, None, "alice")
    repo.finalise(str(enc.id), 1, "alice")
    for statement in ("UPDATE encounter_versions SET kind = 'x'", "DELETE FROM encounter_versions"):
        with pytest.raises(Exception, match="append-only"), repo.engine.begin() as conn:
            conn.execute(text(statement))


def test_amend_creates_a_new_draft_linked_to_the_final_note(repo: EncounterRepository) -> None:
    """Amending gives a new id pointing at the final note, which stays unchanged."""
    enc = make_encounter()
    repo.save_draft(enc, None, "alice")
    repo.finalise(str(enc.id), 1, "alice")
    amendment = repo.amend(str(enc.id), "bob")
    assert amendment.id != str(enc.id)
    assert (amendment.status, amendment.version, amendment.amends_id) == ("draft", 1, str(enc.id))
    assert amendment.encounter.patient == enc.patient
    assert amendment.encounter.created_at == enc.created_at
    assert repo.amend(str(enc.id), "carol").id == amendment.id
    edited = repo.save_draft(with_note(amendment.encounter, "corrected"), 1, "bob")
    final2 = repo.finalise(edited.id, edited.version, "bob")
    assert repo.get(str(enc.id)).encounter.notes == ""
    assert final2.encounter.notes == "corrected"
    with Session(repo.engine) as session:
        copies = {(c.encounter_id, c.kind): c for c in session.scalars(select(EncounterVersionRow))}
    first_final = copies[(str(enc.id), "final")]
    assert copies[(amendment.id, "amendment")].supersedes_id == first_final.id
    assert copies[(amendment.id, "final")].supersedes_id == first_final.id
    with pytest.raises(ConflictError, match="already amended"):
        repo.amend(str(enc.id), "carol")


def test_a_draft_cannot_be_amended(repo: EncounterRepository) -> None:
    """Amend applies to final notes only; a draft is edited directly."""
    enc = make_encounter()
    repo.save_draft(enc, None, "alice")
    with pytest.raises(ConflictError, match="draft"):
        repo.amend(str(enc.id), "alice")


def test_soft_delete_hides_a_draft_but_keeps_it(repo: EncounterRepository) -> None:
    """A deleted draft is gone from get and list, still readable on request, and cannot be saved."""
    keep, gone = make_encounter(name="Keep Me"), make_encounter(name="Delete Me")
    repo.save_draft(keep, None, "alice")
    repo.save_draft(gone, None, "alice")
    repo.soft_delete(str(gone.id), "alice")
    repo.soft_delete(str(gone.id), "alice")
    with pytest.raises(NotFoundError):
        repo.get(str(gone.id))
    assert [s.id for s in repo.list()] == [str(keep.id)]
    assert repo.get(str(gone.id), include_deleted=True).encounter.patient.name == "Delete Me"
    with pytest.raises(ConflictError, match="deleted"):
        repo.save_draft(with_note(gone, "again"), 2, "alice")
    with pytest.raises(NotFoundError):
        repo.soft_delete(str(uuid.uuid4()), "alice")


def test_follow_up_carries_patient_clinician_and_history_only(repo: EncounterRepository) -> None:
    """A follow-up is a new draft linked to the earlier visit, with history answers but no tests."""
    first = make_encounter()
    repo.save_draft(first, None, "alice")
    repo.finalise(str(first.id), 1, "alice")
    follow = repo.start_follow_up(str(first.id), "bob")
    enc = follow.encounter
    assert enc.previous_encounter_id == first.id and follow.status == "draft"
    assert enc.patient == first.patient and enc.clinician == first.clinician
    assert set(enc.findings) == {"history.fever", "history.pain_now"}
    assert enc.created_at > first.created_at
    assert repo.list()[0].previous_encounter_id == str(first.id)
    with pytest.raises(NotFoundError):
        repo.start_follow_up(str(uuid.uuid4()), "bob")


def test_a_previous_encounter_id_must_exist(repo: EncounterRepository) -> None:
    """Linking a visit to an encounter that is not stored is refused as invalid."""
    with pytest.raises(InvalidEncounterError, match="previous encounter"):
        repo.save_draft(make_encounter(previous_encounter_id=uuid.uuid4()), None, "alice")


def test_blank_actor_is_refused(repo: EncounterRepository) -> None:
    """Every change needs someone to attribute it to."""
    with pytest.raises(InvalidEncounterError, match="actor"):
        repo.save_draft(make_encounter(), None, "  ")


def test_same_patient_and_clinician_share_one_row(repo: EncounterRepository) -> None:
    """Two visits of one patient with one clinician do not duplicate the identifier rows."""
    repo.save_draft(make_encounter(), None, "alice")
    repo.save_draft(make_encounter(findings={"history.fever": YesNo(value="yes")}), None, "alice")
    with repo.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM patients")).scalar_one() == 1
        assert conn.execute(text("SELECT count(*) FROM clinicians")).scalar_one() == 1
        assert conn.execute(text("SELECT count(DISTINCT patient_id) FROM encounters")).scalar_one() == 1


def test_export_is_recorded_with_its_kind(repo: EncounterRepository) -> None:
    """record_export adds an 'exported' event with the kind; free text as kind is refused."""
    enc = make_encounter()
    repo.save_draft(enc, None, "alice")
    repo.record_export(str(enc.id), "alice", "pdf")
    assert [(e.event, e.detail) for e in repo.audit_history(str(enc.id))][-1] == ("exported", "pdf")
    with pytest.raises(InvalidEncounterError):
        repo.record_export(str(enc.id), "alice", "Sent to Ada Testpatient")


def test_stored_encounter_round_trips_through_json(repo: EncounterRepository) -> None:
    """What get returns validates as an Encounter from its own JSON (the public format)."""
    enc = make_encounter()
    repo.save_draft(enc, None, "alice")
    got = repo.get(str(enc.id)).encounter
    assert Encounter.model_validate_json(got.model_dump_json()) == got
