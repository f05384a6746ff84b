"""The document Bundle an encounter exports to: its resources, their links, their codes, their validity."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest

from exam_assistant.fhir.bundle import build_bundle
from exam_assistant.fhir.codes import codesystem_url, load_codes, questionnaire_url
from exam_assistant.fhir.validate import validate_resource
from exam_assistant.library import Library
from exam_assistant.models import Encounter
from tests.fhir.conftest import EXAMPLES, SCHEMA, STAMP, codes_of, example, resources

Exported = dict[str, tuple[Encounter, dict[str, Any]]]
NAMES = [p.name for p in EXAMPLES]


def _walk(node: Any) -> Any:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def test_c6_bundle_holds_what_the_issue_must_show(exported: Exported) -> None:
    """The C6 example exports a document with Patient, Encounter, Composition, Spurling and neuro Observations and the Wainner RiskAssessment."""
    _, bundle = exported["c6_radiculopathy.json"]
    assert bundle["type"] == "document"
    assert resources(bundle)[0]["resourceType"] == "Composition"
    for kind in ("Patient", "Encounter", "Practitioner", "PractitionerRole", "Provenance", "CodeSystem"):
        assert len(resources(bundle, kind)) == 1, kind
    observed = set().union(*(codes_of(o["code"]) for o in resources(bundle, "Observation")))
    assert {"radic.spurling", "neuro.sens_c6", "neuro.power_wrist_extension", "neuro.reflex_brachioradialis"} <= observed
    wainner = [r for r in resources(bundle, "RiskAssessment") if "radic.wainner" in codes_of(r["code"])]
    assert len(wainner) == 1
    assert 0 < wainner[0]["prediction"][0]["probabilityDecimal"] < 1


@pytest.mark.parametrize("name", NAMES)
def test_every_resource_validates_with_fhir_resources(name: str, exported: Exported) -> None:
    """Each resource of each example's bundle parses with its fhir.resources R4B model."""
    _, bundle = exported[name]
    for resource in resources(bundle):
        validate_resource(resource)
    validate_resource(bundle)


@pytest.mark.parametrize("name", NAMES)
def test_bundle_validates_against_the_official_r4_json_schema(name: str, exported: Exported, r4_schema: Any) -> None:
    """Each example's bundle passes the HL7 FHIR R4 JSON Schema, an independent validator."""
    _, bundle = exported[name]
    errors = [f"{list(e.absolute_path)}: {e.message[:200]}" for e in r4_schema.iter_errors(bundle)]
    assert errors == []


def test_json_schema_rejects_a_code_outside_a_required_binding(exported: Exported, r4_schema: Any) -> None:
    """The schema validator is not a rubber stamp: an Observation status of 'done' fails it."""
    _, bundle = exported["c6_radiculopathy.json"]
    broken = json.loads(json.dumps(bundle))
    resources(broken, "Observation")[0]["status"] = "done"
    assert list(r4_schema.iter_errors(broken))


def test_vendored_schema_is_the_file_its_readme_names() -> None:
    """The vendored R4 schema has the SHA-256 recorded beside it, so an edit to it cannot pass unnoticed."""
    digest = hashlib.sha256(SCHEMA.read_bytes()).hexdigest()
    assert digest in (SCHEMA.parent / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", NAMES)
def test_every_reference_resolves_inside_the_bundle(name: str, exported: Exported) -> None:
    """Every reference (Composition sections included) points at an entry of the same bundle."""
    _, bundle = exported[name]
    full_urls = {e["fullUrl"] for e in bundle["entry"]}
    refs = [n["reference"] for n in _walk(bundle) if isinstance(n.get("reference"), str)]
    assert refs and set(refs) <= full_urls
    sectioned = {e["reference"] for s in resources(bundle, "Composition")[0]["section"] for e in s.get("entry", [])}
    findings = {f"urn:uuid:{o['id']}" for o in resources(bundle, "Observation")}
    assert findings <= sectioned


@pytest.mark.parametrize("name", NAMES)
def test_every_project_code_is_defined_by_the_bundled_codesystem(name: str, exported: Exported) -> None:
    """No project code goes out that the bundle's own CodeSystem does not define."""
    _, bundle = exported[name]
    defined = {c["code"] for c in resources(bundle, "CodeSystem")[0]["concept"]}
    used = {n["code"] for n in _walk(bundle) if n.get("system") == codesystem_url() and "code" in n}
    assert used and used <= defined


@pytest.mark.parametrize("name", NAMES)
def test_loinc_and_snomed_codes_come_only_from_the_sourced_table(name: str, exported: Exported) -> None:
    """Every LOINC or SNOMED CT code in a bundle is one listed, with its source, in protocols/fhir/codes.yaml."""
    tables = load_codes().codes
    listed = {(c.system, c.code) for table in (tables.scores, tables.panels, tables.laterality) for c in table.values()}
    _, bundle = exported[name]
    external = {(n["system"], n["code"]) for n in _walk(bundle)
                if n.get("system") in ("http://loinc.org", "http://snomed.info/sct")}
    assert external <= listed
    not_used = {(c.system, c.code) for c in load_codes().not_used}
    assert not external & not_used


def test_sided_finding_is_one_observation_per_side_with_laterality_and_criteria(exported: Exported) -> None:
    """Spurling's positive on the left is an exam Observation with left laterality and its recorded criteria as components."""
    _, bundle = exported["c6_radiculopathy.json"]
    spurling = [o for o in resources(bundle, "Observation") if "radic.spurling" in codes_of(o["code"])]
    assert len(spurling) == 2  # left positive, right negative
    left = next(o for o in spurling if "419161000" in codes_of(o["bodySite"]))
    assert codes_of(left["category"][0]) == {"exam"}
    assert codes_of(left["valueCodeableConcept"]) == {"result.positive"}
    assert {c for comp in left["component"] for c in codes_of(comp["code"])} == {
        "radic.spurling:arm_pain", "radic.spurling:paraesthesia"}


def test_nprs_total_carries_the_verified_loinc_code(exported: Exported) -> None:
    """The NPRS total is a survey Observation coded with LOINC 72514-3 beside the project code."""
    _, bundle = exported["c6_radiculopathy.json"]
    nprs = [o for o in resources(bundle, "Observation") if "scores.nprs" in codes_of(o["code"])]
    assert len(nprs) == 1
    assert "72514-3" in codes_of(nprs[0]["code"])
    assert nprs[0]["valueQuantity"]["value"] == 6


def test_questionnaires_are_canonical_per_pack_and_responses_keep_sections(exported: Exported, library: Library) -> None:
    """Each answered pack has a Questionnaire at its canonical URL and a response whose groups are its sections."""
    _, bundle = exported["c6_radiculopathy.json"]
    questionnaires = {q["url"]: q for q in resources(bundle, "Questionnaire")}
    for qr in resources(bundle, "QuestionnaireResponse"):
        url, version = qr["questionnaire"].split("|")
        pack_id = url.removeprefix(questionnaire_url(""))
        assert version == library.packs[pack_id].pack.version
        assert questionnaires[url]["version"] == version
        sections = {s.id for s in library.packs[pack_id].pack.sections}
        assert qr["item"] and {g["linkId"] for g in qr["item"]} <= sections


def test_working_diagnosis_is_the_top_of_the_differential_and_provisional(exported: Exported) -> None:
    """The Condition is the first differential entry, marked provisional."""
    _, bundle = exported["c6_radiculopathy.json"]
    (condition,) = resources(bundle, "Condition")
    assert codes_of(condition["code"]) == {"cervical_radiculopathy"}
    assert codes_of(condition["verificationStatus"]) == {"provisional"}


def test_each_red_flag_is_a_flag_with_its_tier(exported: Exported) -> None:
    """The trauma example's two red flags become two Flags whose category is their tier."""
    _, bundle = exported["trauma_fall_older_adult.json"]
    tiers = {next(iter(codes_of(f["code"]))): codes_of(f["category"][0]) for f in resources(bundle, "Flag")}
    assert tiers == {"rf.fracture_emergency": {"tier.EMERGENCY"}, "rf.fracture": {"tier.SAME_DAY"}}


def test_provenance_names_the_clinician(exported: Exported) -> None:
    """The Provenance agent is the Practitioner, and it targets the Composition."""
    _, bundle = exported["c6_radiculopathy.json"]
    (provenance,) = resources(bundle, "Provenance")
    (practitioner,) = resources(bundle, "Practitioner")
    assert provenance["agent"][0]["who"]["reference"] == f"urn:uuid:{practitioner['id']}"
    assert practitioner["name"][0]["text"] == "Dr Sam Okafor"
    composition = resources(bundle, "Composition")[0]
    assert provenance["target"][0]["reference"] == f"urn:uuid:{composition['id']}"


def test_export_is_reproducible(library: Library) -> None:
    """Exporting the same encounter twice with the same timestamp gives identical bundles."""
    encounter = example("tos_neurogenic.json", library)
    first = build_bundle(encounter, library, timestamp=STAMP)
    assert build_bundle(encounter, library, timestamp=STAMP) == first


def test_final_note_pdf_travels_as_a_document_reference(library: Library) -> None:
    """A final encounter's frozen PDF goes out as a DocumentReference with its bytes and SHA-1; a draft's does not."""
    import base64

    encounter = example("c6_radiculopathy.json", library)
    final = encounter.model_copy(update={"status": "final", "finalised_at": encounter.updated_at})
    pdf = b"%PDF-1.7 frozen note bytes"
    (doc,) = resources(build_bundle(final, library, pdf=pdf, timestamp=STAMP), "DocumentReference")
    attachment = doc["content"][0]["attachment"]
    assert base64.b64decode(attachment["data"]) == pdf
    assert attachment["hash"] == base64.b64encode(hashlib.sha1(pdf).digest()).decode()
    assert resources(build_bundle(encounter, library, pdf=pdf, timestamp=STAMP), "DocumentReference") == []


def test_clinic_profile_becomes_the_organization(library: Library) -> None:
    """A clinic given to the export is the Organization, the note's custodian and the role's organisation."""
    from exam_assistant.fhir.parties import Clinic

    bundle = build_bundle(example("c6_radiculopathy.json", library), library,
                          clinic=Clinic(name="Riverside Physio", phone="+44 20 7946 0000"), timestamp=STAMP)
    (org,) = resources(bundle, "Organization")
    assert org["name"] == "Riverside Physio"
    ref = f"urn:uuid:{org['id']}"
    assert resources(bundle, "Composition")[0]["custodian"]["reference"] == ref
    assert resources(bundle, "PractitionerRole")[0]["organization"]["reference"] == ref
