"""The clinician's decisions: ServiceRequests and a CarePlan on export, the same decisions back on import."""

from __future__ import annotations

import json
from typing import Any

import pytest

from exam_assistant.fhir.bundle import build_bundle
from exam_assistant.fhir.importer import encounter_from_bundle
from exam_assistant.library import Library
from exam_assistant.models import Encounter
from tests.fhir.conftest import STAMP, example, resources

DECIDED = {
    "imaging_requests": [{"study": "MRI cervical spine", "reason": "progressive weakness", "urgency": "soon"}],
    "referrals": [{"to": "Spinal surgery clinic", "urgency": "urgent"}],
    "prescriptions": [{"drug": "Naproxen", "dose": "500 mg", "route": "oral", "frequency": "twice daily",
                       "duration": "7 days"}],
    "advice": ["Keep active within comfort", "Return at once if the hand weakens"],
    "follow_up": "2026-06-01",
    "shared_decision": "Discussed imaging now or physiotherapy first; chose imaging.",
    "suggestions": [{"suggestion": "img.radiculopathy:review", "kind": "review", "status": "declined",
                     "reason": "imaging requested instead"}],
}


@pytest.fixture
def decided(library: Library) -> Encounter:
    if "decisions" not in Encounter.model_fields:
        pytest.skip("the encounter model has no decisions field yet (issue 14)")
    encounter = example("c6_radiculopathy.json", library)
    return Encounter.model_validate({**encounter.model_dump(mode="json"), "decisions": DECIDED})


def _bundle(encounter: Encounter, library: Library) -> dict[str, Any]:
    out: dict[str, Any] = json.loads(json.dumps(build_bundle(encounter, library, timestamp=STAMP)))
    return out


def test_decided_requests_become_service_requests_in_a_care_plan(decided: Encounter, library: Library) -> None:
    """An imaging request and a referral are ServiceRequests with their priority; the CarePlan lists them and the plan."""
    bundle = _bundle(decided, library)
    requests = {r["code"]["text"]: r for r in resources(bundle, "ServiceRequest")}
    assert requests["MRI cervical spine"]["priority"] == "asap"
    assert requests["Referral to Spinal surgery clinic"]["priority"] == "urgent"
    (plan,) = resources(bundle, "CarePlan")
    assert plan["description"] == DECIDED["shared_decision"]
    listed = {a["reference"]["reference"] for a in plan["activity"] if "reference" in a}
    assert listed == {f"urn:uuid:{r['id']}" for r in requests.values()}
    details = [a["detail"]["description"] for a in plan["activity"] if "detail" in a]
    assert "Naproxen, 500 mg, oral, twice daily, 7 days" in details and "Keep active within comfort" in details


def test_decisions_come_back_unchanged_on_import(decided: Encounter, library: Library) -> None:
    """Export then import gives the same decisions (and the same encounter)."""
    back = encounter_from_bundle(_bundle(decided, library), library)
    assert back.model_dump()["decisions"] == decided.model_dump()["decisions"]
    assert back == decided


def test_bundle_with_decisions_passes_the_r4_json_schema(decided: Encounter, library: Library, r4_schema: Any) -> None:
    """The ServiceRequests, CarePlan and its decisions extension are valid FHIR R4."""
    errors = [f"{list(e.absolute_path)}: {e.message[:200]}" for e in r4_schema.iter_errors(_bundle(decided, library))]
    assert errors == []


def test_an_encounter_without_decisions_exports_no_plan(library: Library) -> None:
    """No decisions, no CarePlan and no ServiceRequest: the assessment's suggestions are not decisions."""
    bundle = _bundle(example("c6_radiculopathy.json", library), library)
    assert resources(bundle, "CarePlan") == [] and resources(bundle, "ServiceRequest") == []
