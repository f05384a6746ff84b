"""The clinic's side of pre-visit answers: listed on Continue, flagged first, opened as a patient-reported draft."""

from __future__ import annotations

from datetime import date

from exam_assistant.store import EncounterRepository
from exam_assistant.store.invitations import InvitationStore, check_request
from tests.ui.conftest import new_app, ok, plain

CONTINUE = "exam_assistant/ui/pages/continue_drafts.py"


def _submit(invites: InvitationStore, name: str, answers: dict[str, dict[str, str]], level: str | None) -> str:
    created = invites.create(check_request({"patient": {"name": name, "date_of_birth": "1980-01-01"}}), "desk")
    invites.save_answers(created.token, answers, level)
    invites.submit(created.token)
    return created.invitation.id


def test_flagged_submission_is_listed_first_and_opens_with_answers_marked_patient_reported(
    store: EncounterRepository,
) -> None:
    """An EMERGENCY submission sits above a plain one; 'Start' opens a draft whose answers say patient-reported."""
    invites = InvitationStore(store.engine)
    _submit(invites, "Plain Patient", {"history.night_pain": {"kind": "yes_no", "value": "no"}}, None)
    flagged = _submit(invites, "Flagged Patient",
                      {"history.abrupt_severe_pain": {"kind": "yes_no", "value": "yes"}}, "EMERGENCY")
    at = ok(new_app(CONTINUE))
    names = [plain(m.value) for m in at.markdown if "Patient" in plain(m.value)]
    assert names[0].startswith("**Flagged Patient**") and names[1].startswith("**Plain Patient**")
    assert any("EMERGENCY" in plain(e.value) for e in at.error)
    at.button(key=f"previsit.{flagged}").click().run()
    ok(at)
    imported = invites.get(flagged)
    assert imported.state == "imported" and imported.encounter_id is not None
    enc = store.get(imported.encounter_id).encounter
    assert enc.findings["history.abrupt_severe_pain"].reported_by == "patient"  # type: ignore[union-attr]
    captions = " ".join(plain(c.value) for c in at.caption)
    assert "Patient-reported before the visit" in captions


def test_encounters_page_creates_an_invitation_and_shows_its_link(store: EncounterRepository) -> None:
    """'Create link' on Encounters stores an invitation and shows a link whose token opens it."""
    at = ok(new_app("exam_assistant/ui/pages/encounters.py"))
    at.text_input(key="invite_name").input("Form Patient")
    at.date_input(key="invite_dob").set_value(date(1980, 1, 1))
    at.button(key="FormSubmitter:invite_patient-Create link").click().run()
    ok(at)
    links = [c.value for c in at.code if "invite=" in str(c.value)]
    assert len(links) == 1 and "Form" not in links[0]
    token = links[0].split("invite=", 1)[1]
    assert InvitationStore(store.engine).open(token).patient_name == "Form Patient"


def test_encounters_page_refuses_a_missing_date_of_birth_naming_the_field(store: EncounterRepository) -> None:
    """Without a date of birth nothing is stored and the error names the field."""
    at = ok(new_app("exam_assistant/ui/pages/encounters.py"))
    at.text_input(key="invite_name").input("Form Patient")
    at.button(key="FormSubmitter:invite_patient-Create link").click().run()
    ok(at)
    assert any("Date of birth: missing" in plain(e.value) for e in at.error)
    assert InvitationStore(store.engine).list() == []
