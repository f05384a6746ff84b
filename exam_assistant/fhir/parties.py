"""Who and where: Patient, Practitioner, PractitionerRole, Organization, Encounter and Provenance."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from exam_assistant.fhir.codes import HL7_TERMINOLOGY, concept, extension_url, identifier_system
from exam_assistant.models import Encounter

# Project extensions for encounter facts FHIR has no element for; import reads them back.
EXT_PRETEST = "pretest-probability"
EXT_NOTES = "clinical-notes"
EXT_PREVIOUS = "previous-encounter"


@dataclass(frozen=True)
class Clinic:
    """The clinic named in the export (its profile); plain data so this package does not import ``reports``."""

    name: str
    address: str = ""
    phone: str = ""


def patient(encounter: Encounter, resource_id: str) -> dict[str, Any]:
    p = encounter.patient
    out: dict[str, Any] = {
        "resourceType": "Patient",
        "id": resource_id,
        "name": [{"text": p.name}],
        "gender": p.sex,  # the model's four values are FHIR's administrative genders
        "birthDate": p.date_of_birth.isoformat(),
    }
    if p.identifier:
        # The issuing system is not recorded in the encounter, so the project's namespace holds it.
        out["identifier"] = [{"system": identifier_system("patient-identifier"), "value": p.identifier}]
    return out


def practitioner(encounter: Encounter, resource_id: str) -> dict[str, Any] | None:
    c = encounter.clinician
    if c is None:
        return None
    out: dict[str, Any] = {"resourceType": "Practitioner", "id": resource_id, "name": [{"text": c.name}]}
    if c.registration_number:
        out["identifier"] = [{"system": identifier_system("registration-number"), "value": c.registration_number}]
    return out


def practitioner_role(encounter: Encounter, resource_id: str, refs: dict[str, dict[str, str]]) -> dict[str, Any] | None:
    if encounter.clinician is None:
        return None
    out: dict[str, Any] = {
        "resourceType": "PractitionerRole",
        "id": resource_id,
        "practitioner": refs["practitioner"],
        "code": [{"text": encounter.clinician.role}],
    }
    if "organization" in refs:
        out["organization"] = refs["organization"]
    return out


def organization(clinic: Clinic | None, resource_id: str) -> dict[str, Any] | None:
    if clinic is None:
        return None
    out: dict[str, Any] = {"resourceType": "Organization", "id": resource_id, "active": True, "name": clinic.name}
    if clinic.address.strip():
        out["address"] = [{"text": clinic.address}]
    if clinic.phone.strip():
        out["telecom"] = [{"system": "phone", "value": clinic.phone}]
    return out


def encounter_resource(encounter: Encounter, resource_id: str, refs: dict[str, dict[str, str]]) -> dict[str, Any]:
    extensions: list[dict[str, Any]] = [
        {"url": extension_url(EXT_PRETEST), "extension": [
            {"url": "cluster", "valueCode": cluster},
            {"url": "probability", "valueDecimal": probability},
        ]}
        for cluster, probability in encounter.pretest_probabilities.items()
    ]
    if encounter.notes:
        extensions.append({"url": extension_url(EXT_NOTES), "valueString": encounter.notes})
    if encounter.previous_encounter_id:
        extensions.append({"url": extension_url(EXT_PREVIOUS), "valueIdentifier": {
            "system": identifier_system("encounter-id"), "value": str(encounter.previous_encounter_id)}})
    emergency = encounter.setting == "emergency"
    out: dict[str, Any] = {
        "resourceType": "Encounter",
        "id": resource_id,
        "identifier": [{"system": identifier_system("encounter-id"), "value": str(encounter.id)}],
        "status": "finished" if encounter.status == "final" else "in-progress",
        "class": {"system": f"{HL7_TERMINOLOGY.replace('CodeSystem', 'CodeSystem/v3-ActCode')}",
                  "code": "EMER" if emergency else "AMB", "display": "emergency" if emergency else "ambulatory"},
        "serviceType": concept(f"setting.{encounter.setting}", encounter.setting.replace("_", " ").capitalize()),
        "subject": refs["patient"],
        "period": {"start": encounter.created_at.isoformat()},
    }
    if extensions:
        out["extension"] = extensions
    if encounter.finalised_at:
        out["period"]["end"] = encounter.finalised_at.isoformat()
    if "practitioner" in refs:
        out["participant"] = [{"individual": refs["practitioner"]}]
    if encounter.chief_complaint.strip():
        out["reasonCode"] = [{"text": encounter.chief_complaint}]
    if "organization" in refs:
        out["serviceProvider"] = refs["organization"]
    return out


def provenance(
    encounter: Encounter, resource_id: str, targets: list[dict[str, str]], refs: dict[str, dict[str, str]]
) -> dict[str, Any]:
    """Who signed (or, for a draft, last recorded) the note, and when."""
    recorded: datetime = encounter.finalised_at or encounter.updated_at
    who = refs.get("practitioner") or refs.get("organization") or {"display": "Exam Assistant (no clinician recorded)"}
    agent: dict[str, Any] = {
        "type": {"coding": [{"system": f"{HL7_TERMINOLOGY}/provenance-participant-type", "code": "author",
                             "display": "Author"}]},
        "who": who,
    }
    if "organization" in refs and who is not refs.get("organization"):
        agent["onBehalfOf"] = refs["organization"]
    return {
        "resourceType": "Provenance",
        "id": resource_id,
        "target": targets,
        "recorded": recorded.isoformat(),
        "agent": [agent],
    }
