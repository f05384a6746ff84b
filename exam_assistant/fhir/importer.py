"""A Bundle from this project (or one QuestionnaireResponse) back into an encounter.

Findings come from the QuestionnaireResponses only: they hold every answer with its full
detail, while Observations are a per-finding view of the same facts. The assessment is not
imported; ``assess`` recomputes it from the findings.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError

from exam_assistant.fhir.answers import AnswerError, finding_from
from exam_assistant.fhir.codes import extension_url, identifier_system, questionnaire_url
from exam_assistant.fhir.decisions import decisions_from
from exam_assistant.fhir.parties import EXT_NOTES, EXT_PRETEST, EXT_PREVIOUS
from exam_assistant.fhir.questionnaire import CONTENT_HASH
from exam_assistant.fhir.validate import FhirValidationError, validate_resource
from exam_assistant.library import Library
from exam_assistant.models import Encounter, Finding


class ImportProblem(ValueError):
    """The input cannot be turned into an encounter; the message is one plain line."""


def _by_type(bundle: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for entry in bundle.get("entry") or []:
        resource = entry.get("resource") or {}
        out.setdefault(resource.get("resourceType", ""), []).append(resource)
    return out


def _one(found: dict[str, list[dict[str, Any]]], kind: str, required: bool = True) -> dict[str, Any] | None:
    resources = found.get(kind, [])
    if len(resources) > 1:
        raise ImportProblem(f"the bundle holds {len(resources)} {kind} resources; expected one")
    if not resources and required:
        raise ImportProblem(f"the bundle holds no {kind}")
    return resources[0] if resources else None


def _ext(resource: dict[str, Any], name: str) -> list[dict[str, Any]]:
    url = extension_url(name)
    return [e for e in resource.get("extension") or [] if e.get("url") == url]


def _identifier(resource: dict[str, Any], system: str) -> str | None:
    identifiers = resource.get("identifier") or []
    if isinstance(identifiers, dict):
        identifiers = [identifiers]
    return next((i.get("value") for i in identifiers if i.get("system") == system), None)


def _findings(responses: list[dict[str, Any]], library: Library) -> tuple[dict[str, Finding], list[dict[str, str]]]:
    """Findings from the responses' items, and the ProtocolUse of each response that recorded one."""
    findings: dict[str, Finding] = {}
    protocols: list[dict[str, str]] = []
    prefix = questionnaire_url("")
    for qr in responses:
        canonical = str(qr.get("questionnaire", ""))
        url, _, version = canonical.partition("|")
        if not url.startswith(prefix):
            raise ImportProblem(f"QuestionnaireResponse {qr.get('id', '')} answers '{url}', not a questionnaire of this project")
        hashes = _ext(qr, CONTENT_HASH)
        if hashes:
            protocols.append({"id": url[len(prefix):], "version": version, "content_hash": hashes[0].get("valueString", "")})
        for group in qr.get("item") or []:
            for node in group.get("item") or []:
                item_id = node.get("linkId", "")
                item = library.items.get(item_id)
                if item is None:
                    raise ImportProblem(f"answer to '{item_id}', which no loaded protocol pack defines")
                try:
                    finding = finding_from(item, node)
                except (AnswerError, ValidationError) as exc:
                    message = str(exc) if isinstance(exc, AnswerError) else f"{item_id}: answer out of range"
                    raise ImportProblem(message) from exc
                if finding is not None:
                    findings[item_id] = finding
    return findings, protocols


def encounter_from_bundle(bundle: dict[str, Any], library: Library) -> Encounter:
    """The encounter a document Bundle exported by this project records."""
    _check(bundle)
    found = _by_type(bundle)
    composition = _one(found, "Composition")
    patient = _one(found, "Patient")
    enc = _one(found, "Encounter")
    practitioner = _one(found, "Practitioner", required=False)
    role = _one(found, "PractitionerRole", required=False)
    assert composition is not None and patient is not None and enc is not None  # _one raised otherwise
    encounter_id = _identifier(enc, identifier_system("encounter-id"))
    if encounter_id is None:
        raise ImportProblem("the Encounter carries no encounter-id identifier from this project")
    findings, protocols = _findings(found.get("QuestionnaireResponse", []), library)
    attester = (composition.get("attester") or [{}])[0]
    data: dict[str, Any] = {
        "id": encounter_id,
        "created_at": (enc.get("period") or {}).get("start"),
        "updated_at": composition.get("date"),
        "status": "final" if composition.get("status") == "final" else "draft",
        "setting": _setting(enc),
        "patient": _patient(patient),
        "chief_complaint": ((enc.get("reasonCode") or [{}])[0]).get("text", ""),
        "findings": findings,
        "protocols": protocols,
        "pretest_probabilities": {
            _sub(e, "cluster", "valueCode"): _sub(e, "probability", "valueDecimal") for e in _ext(enc, EXT_PRETEST)
        },
        "notes": next((e.get("valueString", "") for e in _ext(enc, EXT_NOTES)), ""),
        "previous_encounter_id": next(((e.get("valueIdentifier") or {}).get("value") for e in _ext(enc, EXT_PREVIOUS)), None),
        "finalised_at": attester.get("time") or (enc.get("period") or {}).get("end"),
    }
    careplan = _one(found, "CarePlan", required=False)
    decided = decisions_from(careplan) if careplan is not None else None
    if decided is not None:
        data["decisions"] = decided
    if practitioner is not None:
        data["clinician"] = {
            "name": (practitioner.get("name") or [{}])[0].get("text", ""),
            "registration_number": _identifier(practitioner, identifier_system("registration-number")),
            **({"role": ((role.get("code") or [{}])[0]).get("text")} if role and role.get("code") else {}),
        }
    try:
        return Encounter.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise ImportProblem(f"the bundle does not make a valid encounter: {where}: {err['msg']}") from exc


def encounter_from_response(
    response: dict[str, Any], library: Library, patient_name: str, birth_date: date, created_at: datetime | None = None
) -> Encounter:
    """An encounter from a lone QuestionnaireResponse: its answers, and the patient given separately.

    A response names its patient only by reference, so name and date of birth come from the caller.
    """
    _check(response)
    findings, protocols = _findings([response], library)
    when = created_at or response.get("authored")
    try:
        return Encounter.model_validate({
            "id": str(uuid.uuid4()),
            "created_at": when,
            "updated_at": when,
            "patient": {"name": patient_name, "date_of_birth": birth_date},
            "findings": findings,
            "protocols": protocols,
        })
    except ValidationError as exc:
        err = exc.errors()[0]
        raise ImportProblem(f"not a valid encounter: {'.'.join(str(p) for p in err['loc'])}: {err['msg']}") from exc


def _check(resource: dict[str, Any]) -> None:
    try:
        validate_resource(resource)
    except FhirValidationError as exc:
        raise ImportProblem(f"not valid FHIR R4: {exc}") from exc


def _sub(extension: dict[str, Any], url: str, key: str) -> Any:
    return next((e.get(key) for e in extension.get("extension") or [] if e.get("url") == url), None)


def _setting(enc: dict[str, Any]) -> str:
    codes = [c.get("code", "") for st in [enc.get("serviceType") or {}] for c in st.get("coding") or []]
    return next((c.removeprefix("setting.") for c in codes if c.startswith("setting.")), "primary_care")


def _patient(patient: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": (patient.get("name") or [{}])[0].get("text", ""),
        "date_of_birth": patient.get("birthDate"),
        "sex": patient.get("gender", "unknown"),
        "identifier": _identifier(patient, identifier_system("patient-identifier")),
    }
