"""What the assessment concluded: RiskAssessment per cluster, Condition, Flag per red flag; the frozen note.

These are exported, never imported: the assessment is a pure function of the findings, so
import recomputes it instead of trusting a copy.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Iterator
from typing import Any

from exam_assistant.engine.assessment import Assessment, ClusterResult
from exam_assistant.fhir.codes import HL7_TERMINOLOGY, concept
from exam_assistant.models import Encounter

NewId = Callable[[str], str]


def _status(encounter: Encounter) -> str:
    return "final" if encounter.status == "final" else "preliminary"


def _cluster_note(cluster: ClusterResult) -> str:
    parts = [f"{cluster.positive} of {cluster.total} items positive, {cluster.not_tested} not tested"]
    if cluster.band:
        parts.append(f"band: {cluster.band}")
    if cluster.lr_positive is not None:
        parts.append(f"LR+ {cluster.lr_positive:g}")
    if cluster.pretest_probability is not None:
        source = f" ({cluster.pretest_source})" if cluster.pretest_source else ""
        parts.append(f"pre-test probability {cluster.pretest_probability:g}{source}")
    if cluster.caveat:
        parts.append(cluster.caveat)
    return "; ".join(parts)


def risk_assessments(
    encounter: Encounter, assessment: Assessment, new_id: NewId, refs: dict[str, dict[str, str]],
    diagnoses: dict[str, str] | None = None,
) -> Iterator[tuple[str, dict[str, Any]]]:
    """(cluster id, RiskAssessment): the post-test probability where the cluster gives one.

    ``diagnoses`` (id -> name) codes the predicted outcome when the cluster's target is a diagnosis.
    """
    for cluster in assessment.clusters:
        name = (diagnoses or {}).get(cluster.target)
        outcome = concept(cluster.target, name) if name else {"text": cluster.target}
        prediction: dict[str, Any] = {"outcome": outcome, "rationale": cluster.interpretation}
        if cluster.posttest_probability is not None:
            prediction["probabilityDecimal"] = cluster.posttest_probability
        out: dict[str, Any] = {
            "resourceType": "RiskAssessment",
            "id": new_id(f"RiskAssessment/{cluster.id}"),
            "status": _status(encounter),
            "code": concept(cluster.id, cluster.title),
            "subject": refs["patient"],
            "encounter": refs["encounter"],
            "occurrenceDateTime": encounter.created_at.isoformat(),
            "prediction": [prediction],
            "note": [{"text": _cluster_note(cluster)}],
        }
        if "practitioner" in refs:
            out["performer"] = refs["practitioner"]
        yield cluster.id, out


def working_diagnosis(
    encounter: Encounter, assessment: Assessment, new_id: NewId, refs: dict[str, dict[str, str]]
) -> dict[str, Any] | None:
    """The top of the differential as a provisional Condition: a ranking is not a diagnosis."""
    if not assessment.differential:
        return None
    top = assessment.differential[0]
    out: dict[str, Any] = {
        "resourceType": "Condition",
        "id": new_id(f"Condition/{top.id}"),
        "clinicalStatus": {"coding": [{"system": f"{HL7_TERMINOLOGY}/condition-clinical", "code": "active"}]},
        "verificationStatus": {"coding": [{"system": f"{HL7_TERMINOLOGY}/condition-ver-status", "code": "provisional"}]},
        "category": [{"coding": [{"system": f"{HL7_TERMINOLOGY}/condition-category", "code": "encounter-diagnosis"}]}],
        "code": concept(top.id, top.name),
        "subject": refs["patient"],
        "encounter": refs["encounter"],
        "recordedDate": encounter.updated_at.isoformat(),
        "note": [{"text": f"Working diagnosis: first of {len(assessment.differential)} ranked by summed rule weights "
                          f"(score {top.score:g}). {top.reason}"}],
    }
    if "practitioner" in refs:
        out["recorder"] = refs["practitioner"]
    return out


def flags(
    encounter: Encounter, assessment: Assessment, new_id: NewId, refs: dict[str, dict[str, str]]
) -> Iterator[tuple[str, dict[str, Any]]]:
    """(red flag id, Flag) with the urgency tier as the flag's category and the action as its text."""
    for flag in assessment.red_flags:
        out: dict[str, Any] = {
            "resourceType": "Flag",
            "id": new_id(f"Flag/{flag.id}"),
            "status": "active",
            "category": [concept(f"tier.{flag.tier}", flag.tier.replace("_", " ").title())],
            "code": {**concept(flag.id, flag.title), "text": f"{flag.title}. {flag.action}"},
            "subject": refs["patient"],
            "encounter": refs["encounter"],
            "period": {"start": encounter.created_at.isoformat()},
        }
        if "practitioner" in refs:
            out["author"] = refs["practitioner"]
        yield flag.id, out


def document_reference(
    encounter: Encounter, pdf: bytes, new_id: NewId, refs: dict[str, dict[str, str]]
) -> dict[str, Any]:
    """The frozen PDF of a final note: its bytes are the record, so they travel as they are."""
    out: dict[str, Any] = {
        "resourceType": "DocumentReference",
        "id": new_id("DocumentReference/note"),
        "status": "current",
        "docStatus": "final",
        "type": {"text": "Clinical note (PDF)"},
        "subject": refs["patient"],
        "content": [{"attachment": {
            "contentType": "application/pdf",
            "data": base64.b64encode(pdf).decode("ascii"),
            "size": len(pdf),
            # FHIR R4 Attachment.hash is the base64 SHA-1 of the data.
            "hash": base64.b64encode(hashlib.sha1(pdf).digest()).decode("ascii"),  # noqa: S324
            "title": f"Clinical note {encounter.id}.pdf",
        }}],
        "context": {"encounter": [refs["encounter"]]},
    }
    if encounter.finalised_at:
        out["date"] = encounter.finalised_at.isoformat()
    if "practitioner" in refs:
        out["author"] = [refs["practitioner"]]
    return out
