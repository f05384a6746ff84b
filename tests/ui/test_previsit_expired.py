"""Answers saved on a link that expired before they were sent reach the clinic; a revoked link's do not."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update
from sqlalchemy.orm import Session

from exam_assistant.models import utcnow
from exam_assistant.store import EncounterRepository
from exam_assistant.store.invitations import InvitationStore, check_request
from exam_assistant.store.tables import InvitationRow
from exam_assistant.ui.previsit_list import ADVICE_SHOWN
from tests.ui.conftest import new_app, ok, page_text, plain

CONTINUE = "exam_assistant/ui/pages/continue_drafts.py"
YES = {"kind": "yes_no", "value": "yes"}


def _saved(invites: InvitationStore, name: str, level: str | None) -> str:
    made = invites.create(check_request({"patient": {"name": name, "date_of_birth": "1980-01-01"}}), "desk")
    invites.save_answers(made.token, {"history.fever": YES}, level)
    return made.invitation.id


def test_an_expired_links_saved_flagged_answers_are_listed_and_open_but_a_revoked_links_are_not(
    store: EncounterRepository,
) -> None:
    """Continue lists the expired link's answers with its flag and 'not sent'; Start opens them patient-reported."""
    invites = InvitationStore(store.engine)
    expired = _saved(invites, "Expired Patient", "SAME_DAY")
    with Session(store.engine) as session, session.begin():
        session.execute(update(InvitationRow).where(InvitationRow.id == expired)
                        .values(expires_at=utcnow() - timedelta(minutes=1)))
    invites.revoke(_saved(invites, "Revoked Patient", None), "desk")
    at = ok(new_app(CONTINUE))
    text = page_text(at)
    assert "Expired Patient" in text and "not sent: the link expired" in text
    assert "Revoked Patient" not in text
    assert any(ADVICE_SHOWN["SAME_DAY"] in plain(e.value) for e in at.error)
    at.button(key=f"previsit.{expired}").click().run()
    ok(at)
    imported = invites.get(expired)
    assert imported.state == "imported" and imported.encounter_id is not None
    fever = store.get(imported.encounter_id).encounter.findings["history.fever"]
    assert (fever.reported_by, fever.confirmed) == ("patient", False)  # type: ignore[union-attr]
