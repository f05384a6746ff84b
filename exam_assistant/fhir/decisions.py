"""What the clinician decided: a ServiceRequest per imaging request and referral, and a CarePlan.

Decisions are not findings (ARCHITECTURE): they are only exported when the encounter has any.
The ServiceRequests and the CarePlan's activities are the readable view; the CarePlan also
carries the decisions field by field in one project extension, so import gives them back
exactly without this module knowing every field (the decisions model belongs to another area
and grows). Read with ``getattr`` for the same reason.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from exam_assistant.fhir.codes import extension_url
from exam_assistant.models import Encounter

EXT_DECISIONS = "clinician-decisions"
NewId = Callable[[str], str]
# The decisions' four urgencies onto FHIR's request-priority codes, one to one so import can invert it.
PRIORITY = {"routine": "routine", "soon": "asap", "urgent": "urgent", "emergency": "stat"}
ACTIVITY_STATUS = {"accepted": "scheduled", "changed": "scheduled", "declined": "cancelled"}


def decisions_data(encounter: Encounter) -> dict[str, Any] | None:
    """The encounter's decisions as JSON data, or None when it has none (or the model has no decisions yet)."""
    decisions = getattr(encounter, "decisions", None)
    if decisions is None or getattr(decisions, "empty", False):
        return None
    data: dict[str, Any] = decisions.model_dump(mode="json")
    return data


def encode(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Nested extensions, one per field; a list field's elements carry the field name with ``[]``."""
    out: list[dict[str, Any]] = []
    for key, value in data.items():
        values, url = (value, f"{key}[]") if isinstance(value, list) else ([value], key)
        for v in values:
            if v is None or v == "":  # FHIR strings cannot be empty; the model's default comes back
                continue
            if isinstance(v, dict):
                out.append({"url": url, "extension": encode(v)})
            elif isinstance(v, bool):
                out.append({"url": url, "valueBoolean": v})
            elif isinstance(v, int | float):
                out.append({"url": url, "valueDecimal": v})
            else:
                out.append({"url": url, "valueString": str(v)})
    return out


def decode(extensions: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for ext in extensions:
        url = str(ext.get("url", ""))
        if "extension" in ext:
            value: Any = decode(ext["extension"])
        else:
            value = next((ext[k] for k in ("valueString", "valueBoolean", "valueDecimal") if k in ext), None)
        if url.endswith("[]"):
            out.setdefault(url[:-2], []).append(value)
        else:
            out[url] = value
    return out


def decisions_from(careplan: dict[str, Any]) -> dict[str, Any] | None:
    """The decisions a CarePlan exported by this project carries, as data for the encounter model."""
    url = extension_url(EXT_DECISIONS)
    found = [e for e in careplan.get("extension") or [] if e.get("url") == url]
    return decode(found[0].get("extension") or []) if found else None


def _request(
    encounter: Encounter, resource_id: str, refs: dict[str, dict[str, str]], category: str, code: str,
    urgency: str, reason: str | None,
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "resourceType": "ServiceRequest",
        "id": resource_id,
        "status": "active" if encounter.status == "final" else "draft",
        "intent": "order",
        "category": [{"text": category}],
        "priority": PRIORITY.get(urgency, "routine"),
        "code": {"text": code},
        "subject": refs["patient"],
        "encounter": refs["encounter"],
        "authoredOn": encounter.updated_at.isoformat(),
    }
    if reason:
        out["reasonCode"] = [{"text": reason}]
    if "practitioner" in refs:
        out["requester"] = refs["practitioner"]
    return out


def service_requests(encounter: Encounter, new_id: NewId, refs: dict[str, dict[str, str]]) -> list[dict[str, Any]]:
    """One ServiceRequest per imaging request and per referral the clinician decided."""
    data = decisions_data(encounter) or {}
    out = []
    for n, request in enumerate(data.get("imaging_requests", [])):
        out.append(_request(encounter, new_id(f"ServiceRequest/imaging/{n}"), refs, "Imaging",
                            str(request.get("study", "")), str(request.get("urgency", "routine")), request.get("reason")))
    for n, referral in enumerate(data.get("referrals", [])):
        req = _request(encounter, new_id(f"ServiceRequest/referral/{n}"), refs, "Referral",
                       f"Referral to {referral.get('to', '')}", str(referral.get("urgency", "routine")),
                       referral.get("reason"))
        req["performer"] = [{"display": str(referral.get("to", ""))}]
        out.append(req)
    return out


def _detail(text: str, status: str = "scheduled", code: dict[str, Any] | None = None) -> dict[str, Any]:
    detail: dict[str, Any] = {"status": status, "description": text}
    if code:
        detail["code"] = code
    return {"detail": detail}


def care_plan(
    encounter: Encounter, new_id: NewId, refs: dict[str, dict[str, str]], requests: list[dict[str, str]]
) -> dict[str, Any] | None:
    """The decided plan: requests, prescriptions, advice, follow-up and the answer to each suggestion."""
    data = decisions_data(encounter)
    if data is None:
        return None
    activities: list[dict[str, Any]] = [{"reference": ref} for ref in requests]
    for p in data.get("prescriptions", []):
        activities.append(_detail(", ".join(str(p.get(k, "")) for k in ("drug", "dose", "route", "frequency", "duration")),
                                  code={"text": "Prescription"}))
    activities += [_detail(str(advice), code={"text": "Advice given"}) for advice in data.get("advice", [])]
    if data.get("follow_up"):
        activities.append(_detail(f"Follow-up on {data['follow_up']}", code={"text": "Follow-up"}))
    for d in data.get("suggestions", []):
        words = {"accepted": "Accepted", "changed": f"Changed: {d.get('change') or ''}", "declined": "Declined"}
        text = words.get(d.get("status", ""), str(d.get("status")))
        if d.get("reason"):
            text += f" (reason: {d['reason']})"
        # Suggestion ids (``img.x:review``, ``tx.y:0``) are not CodeSystem concepts, so they go as text.
        activities.append(_detail(text, ACTIVITY_STATUS.get(d.get("status", ""), "unknown"),
                                  {"text": f"Suggestion {d.get('suggestion', '')}"}))
    out: dict[str, Any] = {
        "resourceType": "CarePlan",
        "id": new_id("CarePlan"),
        "extension": [{"url": extension_url(EXT_DECISIONS), "extension": encode(data)}],
        "status": "active" if encounter.status == "final" else "draft",
        "intent": "plan",
        "title": "Plan decided at this visit",
        "subject": refs["patient"],
        "encounter": refs["encounter"],
        "created": encounter.updated_at.isoformat(),
    }
    if data.get("shared_decision"):
        out["description"] = data["shared_decision"]
    if "practitioner" in refs:
        out["author"] = refs["practitioner"]
    if activities:
        out["activity"] = activities
    return out
