"""The document Bundle: Composition first, then every resource it points at, each validated by its R4B model.

Resource ids are UUIDv5 of the encounter id and the resource's role, so exporting the same
encounter twice gives the same ids (only the bundle timestamp moves).
"""

from __future__ import annotations

import html
import uuid
from datetime import UTC, datetime
from typing import Any

from exam_assistant.engine.assessment import Assessment
from exam_assistant.fhir import conclusions, decisions, observations, parties
from exam_assistant.fhir.codes import codesystem_resource, codesystem_url, codesystem_version, identifier_system
from exam_assistant.fhir.questionnaire import canonical, questionnaire, questionnaire_response, response_packs
from exam_assistant.fhir.validate import validate_resource
from exam_assistant.library import Library
from exam_assistant.models import Encounter

Ref = dict[str, str]


def _narrative(text: str) -> dict[str, str]:
    paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line.strip())
    return {"status": "generated", "div": f'<div xmlns="http://www.w3.org/1999/xhtml">{paragraphs or "<p/>"}</div>'}


def _section(title: str, entries: list[Ref] | None = None, text: str | None = None) -> dict[str, Any] | None:
    """A Composition section, or None when it would be empty (a section must hold text or entries)."""
    if not entries and not (text and text.strip()):
        return None
    out: dict[str, Any] = {"title": title}
    if text and text.strip():
        out["text"] = _narrative(text)
    if entries:
        out["entry"] = entries
    return out


def present(items: list[Ref | None]) -> list[Ref]:
    return [i for i in items if i is not None]


def _definition_id(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, name))


class _Builder:
    """Collects resources with stable ids and references between them."""

    def __init__(self, encounter: Encounter) -> None:
        self.namespace = encounter.id
        self.entries: list[dict[str, Any]] = []

    def new_id(self, role: str) -> str:
        return str(uuid.uuid5(self.namespace, role))

    @staticmethod
    def ref(resource: dict[str, Any]) -> Ref:
        return {"reference": f"urn:uuid:{resource['id']}"}

    def add(self, resource: dict[str, Any] | None) -> Ref | None:
        if resource is None:
            return None
        self.entries.append(resource)
        return self.ref(resource)


def build_bundle(
    encounter: Encounter,
    library: Library,
    assessment: Assessment | None = None,
    *,
    clinic: parties.Clinic | None = None,
    pdf: bytes | None = None,
    timestamp: datetime | None = None,
) -> dict[str, Any]:
    """The encounter, its answers and its assessment as a FHIR R4 document Bundle (JSON-ready dict).

    ``pdf`` is the frozen note of a final encounter; it is ignored for a draft. Raises
    ``ExportError`` for a finding of an unknown item and ``FhirValidationError`` if a resource
    fails its model (a bug here, never the user's input).
    """
    if assessment is None:
        from exam_assistant.engine.assess import assess

        assessment = assess(encounter, library)
    b = _Builder(encounter)
    refs: dict[str, Ref] = {}
    patient = parties.patient(encounter, b.new_id("Patient"))
    refs["patient"] = b.ref(patient)
    practitioner = parties.practitioner(encounter, b.new_id("Practitioner"))
    if practitioner:
        refs["practitioner"] = b.ref(practitioner)
    organization = parties.organization(clinic, b.new_id("Organization"))
    if organization:
        refs["organization"] = b.ref(organization)
    role = parties.practitioner_role(encounter, b.new_id("PractitionerRole"), refs)
    encounter_res = parties.encounter_resource(encounter, b.new_id("Encounter"), refs)
    refs["encounter"] = b.ref(encounter_res)
    for resource in (patient, practitioner, role, organization, encounter_res):
        b.add(resource)
    # Definitions are named by their canonical URL and version, not by the encounter, so every
    # export (and the bulk files) share one id per definition.
    b.add(codesystem_resource(library, _definition_id(f"{codesystem_url()}|{codesystem_version(library)}")))

    packs = response_packs(encounter, library)
    for pack_id, _, _ in packs:
        if pack_id in library.packs:
            loaded = library.packs[pack_id]
            b.add(questionnaire(loaded, _definition_id(f"{canonical(pack_id, loaded.pack.version)}|{loaded.content_hash}")))
    responses: dict[str, Ref] = {}
    for pack in packs:
        qr = questionnaire_response(encounter, library, pack, b.new_id(f"QuestionnaireResponse/{pack[0]}"), refs)
        responses[pack[0]] = b.add(qr) or {}
    findings = [b.add(obs) for _, obs in observations.finding_observations(encounter, library, b.new_id, refs, responses)]
    scores_pack = next((library.item_pack[i] for s in assessment.scores for i in library.scores[s.id].items
                        if i in library.item_pack), None) if assessment.scores else None
    scores = [b.add(obs) for _, obs in observations.score_observations(
        encounter, assessment, b.new_id, refs, responses.get(scores_pack or ""))]
    names = {d.id: d.name for d in library.diagnoses.values()}
    risks = [b.add(r) for _, r in conclusions.risk_assessments(encounter, assessment, b.new_id, refs, names)]
    condition = b.add(conclusions.working_diagnosis(encounter, assessment, b.new_id, refs))
    flag_refs = [b.add(f) for _, f in conclusions.flags(encounter, assessment, b.new_id, refs)]
    requests = [b.add(r) for r in decisions.service_requests(encounter, b.new_id, refs)]
    plan = b.add(decisions.care_plan(encounter, b.new_id, refs, present(requests)))
    document = None
    if pdf is not None and encounter.status == "final":
        document = b.add(conclusions.document_reference(encounter, pdf, b.new_id, refs))

    sections = [
        _section("Presenting complaint", text=encounter.chief_complaint),
        _section("Red flags", present(flag_refs), assessment.headline),
        _section("History and questionnaires", list(responses.values())),
        _section("Examination findings", present(findings)),
        _section("Outcome scores", present(scores)),
        _section("Test clusters", present(risks)),
        _section("Working diagnosis", present([condition])),
        _section("Plan decided", present([*requests, plan])),
        _section("Clinician's notes", text=encounter.notes),
        _section("Signed note", present([document])),
    ]
    author = refs.get("practitioner") or refs.get("organization") or {"display": "Exam Assistant"}
    composition: dict[str, Any] = {
        "resourceType": "Composition",
        "id": b.new_id("Composition"),
        "identifier": {"system": identifier_system("encounter-id"), "value": str(encounter.id)},
        "status": "final" if encounter.status == "final" else "preliminary",
        "type": {"text": "Neck, upper-back and arm examination note"},
        "subject": refs["patient"],
        "encounter": refs["encounter"],
        "date": encounter.updated_at.isoformat(),
        "author": [author],
        "title": f"Examination note: {encounter.patient.name}",
        "section": [s for s in sections if s is not None],
    }
    if encounter.status == "final" and "practitioner" in refs:
        composition["attester"] = [{"mode": "legal", "party": refs["practitioner"],
                                    **({"time": encounter.finalised_at.isoformat()} if encounter.finalised_at else {})}]
    if "organization" in refs:
        composition["custodian"] = refs["organization"]
    targets = [b.ref(composition)] + [b.ref(r) for r in b.entries]
    provenance = parties.provenance(encounter, b.new_id("Provenance"), targets, refs)
    resources = [composition, *b.entries, provenance]
    bundle = {
        "resourceType": "Bundle",
        "id": b.new_id("Bundle"),
        "identifier": {"system": identifier_system("bundle"), "value": b.new_id(f"Bundle/{encounter.updated_at.isoformat()}")},
        "type": "document",
        "timestamp": (timestamp or datetime.now(UTC)).isoformat(),
        "entry": [{"fullUrl": f"urn:uuid:{r['id']}", "resource": validate_resource(r)} for r in resources],
    }
    return validate_resource(bundle)
