"""Start an encounter from a submitted invitation: the patient's answers, marked patient-reported.

The clinician confirms or changes each answer in the examination; the live assessment runs on them
at once because they are ordinary findings. The invitation becomes ``imported`` (audited).
"""

from __future__ import annotations

from typing import Any

from exam_assistant.models import Encounter, Patient
from exam_assistant.previsit.questionnaire import NPRS_FROM_HISTORY
from exam_assistant.store.errors import ConflictError
from exam_assistant.store.invitations import Invitation, InvitationStore, can_start
from exam_assistant.store.records import StoredEncounter
from exam_assistant.store.repository import EncounterRepository


def patient_findings(answers: dict[str, Any]) -> dict[str, Any]:
    """The saved answers as findings, each marked ``reported_by: patient``; the history's pain now
    also fills the NPRS "pain now" (the same question) so the outcome score is computed."""
    found = {item_id: {**finding, "reported_by": "patient", "confirmed": False} for item_id, finding in answers.items()}
    for score_item, history_item in NPRS_FROM_HISTORY.items():
        if history_item in found and score_item not in found:
            found[score_item] = dict(found[history_item])
    return found


def encounter_from(invitation: Invitation) -> Encounter:
    """A new draft encounter for the invited patient holding their answers."""
    return Encounter.model_validate({
        "patient": Patient(name=invitation.patient_name, date_of_birth=invitation.date_of_birth).model_dump(mode="json"),
        "findings": patient_findings(invitation.answers),
    })


def start_encounter(
    invitations: InvitationStore, repo: EncounterRepository, invitation_id: str, actor: str
) -> StoredEncounter:
    """Create the draft from a submitted invitation and mark the invitation imported.

    Opening an invitation already imported returns its encounter again (no second draft). Answers
    saved on a link that expired before the patient sent them can be started from too.
    """
    invitation = invitations.get(invitation_id)
    if invitation.state == "imported" and invitation.encounter_id:
        return repo.get(invitation.encounter_id)
    if not can_start(invitation):
        raise ConflictError(f"invitation {invitation_id} is {invitation.state}; only submitted answers, or answers "
                            "saved before the link expired, can be opened")
    stored = repo.save_draft(encounter_from(invitation), None, actor)
    invitations.mark_imported(invitation_id, str(stored.encounter.id), actor)
    return stored
