"""Per-clinic records (issue 13): a clinician sees and changes the encounters of their own clinic
only; another clinic's id is "not found or not allowed" and an audited failed access. Both back-ends."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest

from exam_assistant.access import AccessDenied, User
from exam_assistant.store import EncounterFilters, EncounterRepository, NotFoundError
from exam_assistant.store.acting import RoleCheckedRepository
from exam_assistant.store.frozen import RenderedNote
from tests.store.factories import make_encounter

ANN = User("ann@north.example", frozenset({"clinician"}), "north")
BOB = User("bob@south.example", frozenset({"clinician"}), "south")
RITA = User("rita@north.example", frozenset({"reviewer"}), "north")
NOBODY = User("ned@x.example", frozenset({"clinician"}), None)


def _render(encounter: Any, previous: Any) -> RenderedNote:
    return RenderedNote(pdf=b"%PDF-1.4 test note", signed=False)


def test_each_clinic_lists_counts_exports_and_charts_only_its_own(repo: EncounterRepository) -> None:
    """The same patient seen in two clinics: each clinic's list, count, export and outcome chart
    hold its own visit only; the machine's own repository (the CLI) sees both."""
    ann, bob = RoleCheckedRepository(repo, ANN), RoleCheckedRepository(repo, BOB)
    north = ann.save_draft(make_encounter(), None)
    south = bob.save_draft(make_encounter(), None)
    assert repo.clinic_of(north.id) == "north" and repo.clinic_of(south.id) == "south"
    assert [s.id for s in ann.list()] == [north.id] and ann.count() == 1
    assert [s.id for s in bob.list(EncounterFilters(patient="testpatient"))] == [south.id]
    assert [s.id for s in ann.list(EncounterFilters(clinic="south"))] == [north.id]  # a filter cannot widen it
    assert [s.id for s in bob.iter_encounters()] == [south.id]
    assert list(ann.outcome_series(north.encounter.patient)["encounter_id"]) == [north.id]
    assert {s.id for s in repo.list()} == {north.id, south.id} and repo.count() == 2


def test_follow_ups_and_amendments_stay_in_the_clinic(repo: EncounterRepository) -> None:
    """A follow-up and an amendment belong to the clinic of the note they come from."""
    ann = RoleCheckedRepository(repo, ANN)
    first = ann.save_draft(make_encounter(), None)
    follow = ann.start_follow_up(first.id)
    ann.finalise(first.id, 1, render=_render)
    amendment = ann.amend(first.id)
    assert {repo.clinic_of(follow.id), repo.clinic_of(amendment.id)} == {"north"}
    assert {s.id for s in ann.list()} == {first.id, follow.id, amendment.id}


CALLS: dict[str, Callable[[RoleCheckedRepository, str], object]] = {
    "view": lambda r, i: r.view(i),
    "get": lambda r, i: r.get(i),
    "frozen_note": lambda r, i: r.frozen_note(i),
    "finalise": lambda r, i: r.finalise(i, 1),
    "amend": lambda r, i: r.amend(i),
    "follow_up": lambda r, i: r.start_follow_up(i),
    "delete": lambda r, i: r.soft_delete(i),
    "export": lambda r, i: r.record_export(i, "", "pdf"),
    "batch_export": lambda r, i: r.record_exports([i], "", "pdf"),
    "save_over": lambda r, i: r.save_draft(
        make_encounter(name="Overwritten").model_copy(update={"id": uuid.UUID(i)}), 1),
}


@pytest.mark.parametrize("call", list(CALLS))
def test_another_clinics_id_is_not_found_or_not_allowed_and_audited(repo: EncounterRepository, call: str) -> None:
    """Bob (south) using Ann's (north) encounter id gets the same answer as for an id nobody uses,
    nothing changes, and the attempt is an access_denied event naming the encounter."""
    north = RoleCheckedRepository(repo, ANN).save_draft(make_encounter(), None)
    bob = RoleCheckedRepository(repo, BOB)
    with pytest.raises(NotFoundError) as refused:
        CALLS[call](bob, north.id)
    assert str(refused.value) == f"no encounter with id {north.id} that you may open (not found or not allowed)"
    unused = str(uuid.uuid4())
    if call != "save_over":  # saving under an unused id is simply a new encounter
        with pytest.raises(NotFoundError, match="not found or not allowed"):
            CALLS[call](bob, unused)
    denied = [(e.actor, e.encounter_id, e.detail) for e in repo.audit_history() if e.event == "access_denied"]
    assert denied == [("bob@south.example", north.id, "other_clinic")]
    stored = repo.get(north.id)
    assert (stored.version, stored.status, stored.encounter.patient.name) == (1, "draft", "Ada Testpatient")
    assert [e.event for e in repo.audit_history(north.id)] == ["created", "access_denied"]
    assert repo.verify_audit().ok


def test_a_person_in_no_clinic_reaches_no_record(repo: EncounterRepository) -> None:
    """A clinician the role mapping places in no clinic is refused every record call (audited)."""
    repo.save_draft(make_encounter(), None, "setup")
    ned = RoleCheckedRepository(repo, NOBODY)
    with pytest.raises(AccessDenied, match="no clinic is assigned"):
        ned.list()
    with pytest.raises(AccessDenied):
        ned.save_draft(make_encounter(), None)
    assert repo.count() == 1


def test_the_single_user_store_keeps_one_local_clinic(repo: EncounterRepository) -> None:
    """Without sign-in (no clinic scope) new encounters join the default clinic and all are listed."""
    stored = repo.save_draft(make_encounter(), None, "me")
    assert repo.clinic is None and repo.clinic_of(stored.id) == "local"
    assert [s.id for s in repo.list()] == [stored.id]
    local = RoleCheckedRepository(repo, User("me@x", frozenset({"clinician"})))  # default clinic
    assert [s.id for s in local.list()] == [stored.id]


def test_a_reviewer_reads_final_notes_of_the_clinic_and_changes_nothing(repo: EncounterRepository) -> None:
    """A reviewer lists and opens the clinic's final notes only; a draft is not found or not
    allowed (audited), every change is refused, another clinic's final note is hidden too."""
    ann, bob, rita = (RoleCheckedRepository(repo, u) for u in (ANN, BOB, RITA))
    final = ann.finalise(ann.save_draft(make_encounter(), None).id, 1, render=_render)
    draft = ann.save_draft(make_encounter(name="Draft Patient"), None)
    other = bob.finalise(bob.save_draft(make_encounter(), None).id, 1, render=_render)
    assert [s.id for s in rita.list()] == [final.id] and rita.count() == 1
    assert rita.view(final.id).status == "final"
    frozen = rita.frozen_note(final.id)
    assert frozen is not None and frozen.pdf.startswith(b"%PDF")
    for encounter_id in (draft.id, other.id):
        with pytest.raises(NotFoundError, match="not found or not allowed"):
            rita.view(encounter_id)
    with pytest.raises(AccessDenied, match="may not open patient records"):
        rita.amend(final.id)
    with pytest.raises(AccessDenied):
        rita.save_draft(make_encounter(), None)
    with pytest.raises(AccessDenied):
        rita.record_export(final.id, "", "pdf")
    denied = [(e.encounter_id, e.detail) for e in repo.audit_history() if e.event == "access_denied"]
    assert denied == [(draft.id, "not_final"), (other.id, "other_clinic"), (final.id, "records"),
                      (None, "records"), (final.id, "records")]
