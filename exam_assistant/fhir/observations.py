"""Observations: one per examination finding (per side for sided ones), one per outcome-score total."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from exam_assistant.engine.assessment import Assessment
from exam_assistant.fhir.answers import _number
from exam_assistant.fhir.codes import (
    OBSERVATION_CATEGORY,
    RESULTS,
    SENSATION,
    YES_NO,
    concept,
    load_codes,
    option_code,
    project_coding,
)
from exam_assistant.library import Library
from exam_assistant.models import (
    Choice,
    Encounter,
    Finding,
    Mrc,
    MultiChoice,
    Number,
    Reflex,
    Sensation,
    SidedTest,
    Text,
    YesNo,
)
from exam_assistant.protocol import Item

# Items a clinician examines or measures; history questions and score items stay in the responses.
EXAMINATION_KINDS = ("test", "sign", "measurement")
UCUM = "http://unitsofmeasure.org"
NewId = Callable[[str], str]


def _category(code: str, display: str) -> list[dict[str, Any]]:
    return [{"coding": [{"system": OBSERVATION_CATEGORY, "code": code, "display": display}]}]


def _side_value(finding: Finding, side: str) -> tuple[dict[str, Any], list[dict[str, Any]], str | None] | None:
    """(value[x], components, note) of one side, or None when that side records nothing."""
    value = getattr(finding, side)
    if isinstance(finding, SidedTest):
        if value.result == "not_tested":
            return None
        components: list[dict[str, Any]] = []
        return {"valueCodeableConcept": concept(f"result.{value.result}", RESULTS[value.result])}, components, value.note
    if isinstance(finding, Sensation):
        if value == "not_tested":
            return None
        return {"valueCodeableConcept": concept(f"sensation.{value}", SENSATION[value])}, [], None
    if value is None:  # Mrc, Reflex side not graded
        return None
    return {"valueInteger": value}, [], None


def _criteria_components(item: Item, finding: SidedTest, side: str) -> list[dict[str, Any]]:
    labels = {c.value: c.label for c in item.criteria}
    recorded = getattr(finding, side)
    out = [
        {"code": concept(option_code(item.id, c), labels.get(c, c)), "valueBoolean": True}
        for c in recorded.criteria
    ]
    if recorded.seconds is not None:
        out.append({"code": concept("component.seconds", "Seconds to symptoms"),
                    "valueQuantity": {"value": _number(recorded.seconds), "unit": "s", "system": UCUM, "code": "s"}})
    return out


def _single_value(item: Item, finding: Finding) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
    if isinstance(finding, YesNo):
        return {"valueCodeableConcept": concept(f"answer.{finding.value}", YES_NO[finding.value])}, []
    if isinstance(finding, Number):
        quantity: dict[str, Any] = {"value": _number(finding.value)}
        if finding.unit or item.unit:
            quantity["unit"] = finding.unit or item.unit
        return {"valueQuantity": quantity}, []
    labels = {o.value: o.label for o in item.options}
    if isinstance(finding, Choice):
        return {"valueCodeableConcept": concept(option_code(item.id, finding.value), labels.get(finding.value))}, []
    if isinstance(finding, MultiChoice) and finding.values:
        # Several answers are several facts, not one concept with several codings.
        return {}, [{"code": concept(option_code(item.id, v), labels.get(v)), "valueBoolean": True} for v in finding.values]
    if isinstance(finding, Text) and finding.value.strip():
        return {"valueString": finding.value}, []
    return None


def finding_observations(
    encounter: Encounter, library: Library, new_id: NewId, refs: dict[str, dict[str, str]], derived: dict[str, dict[str, str]]
) -> Iterator[tuple[str, dict[str, Any]]]:
    """(item id, Observation) for every recorded examination finding; sided findings give one per side."""
    laterality = load_codes().codes.laterality
    status = "final" if encounter.status == "final" else "preliminary"
    for item_id, finding in encounter.findings.items():
        item = library.items.get(item_id)
        if item is None or item.kind not in EXAMINATION_KINDS:
            continue
        base: dict[str, Any] = {
            "resourceType": "Observation",
            "status": status,
            "category": _category("exam", "Exam"),
            "code": concept(item.id, item.label),
            "subject": refs["patient"],
            "encounter": refs["encounter"],
            "effectiveDateTime": encounter.created_at.isoformat(),
        }
        if "practitioner" in refs:
            base["performer"] = [refs["practitioner"]]
        pack = library.item_pack.get(item_id)
        if pack in derived:
            base["derivedFrom"] = [derived[pack]]
        if isinstance(finding, SidedTest | Sensation | Mrc | Reflex):
            for side in ("left", "right"):
                got = _side_value(finding, side)
                if got is None:
                    continue
                value, components, note = got
                obs = {**base, "id": new_id(f"Observation/{item_id}/{side}"), **value}
                site: dict[str, Any] = {"text": f"{side.capitalize()} side"}
                if side in laterality:
                    site["coding"] = [laterality[side].coding()]
                obs["bodySite"] = site
                if isinstance(finding, SidedTest):
                    components = _criteria_components(item, finding, side)
                if components:
                    obs["component"] = components
                if note:
                    obs["note"] = [{"text": note}]
                yield item_id, obs
            continue
        got_single = _single_value(item, finding)
        if got_single is None:
            continue
        value, components = got_single
        obs = {**base, "id": new_id(f"Observation/{item_id}"), **value}
        if components:
            obs["component"] = components
        yield item_id, obs


def score_observations(
    encounter: Encounter, assessment: Assessment, new_id: NewId, refs: dict[str, dict[str, str]],
    derived: dict[str, str] | None,
) -> Iterator[tuple[str, dict[str, Any]]]:
    """(score id, Observation) for every computed outcome-score total, LOINC-coded only where verified."""
    external = load_codes().codes.scores
    for score in assessment.scores:
        if score.value is None:
            continue
        codings = [project_coding(score.id, score.title)]
        if score.id in external:
            codings.insert(0, external[score.id].coding())
        obs: dict[str, Any] = {
            "resourceType": "Observation",
            "id": new_id(f"Observation/{score.id}"),
            "status": "final" if encounter.status == "final" else "preliminary",
            "category": _category("survey", "Survey"),
            "code": {"coding": codings, "text": score.title},
            "subject": refs["patient"],
            "encounter": refs["encounter"],
            "effectiveDateTime": encounter.created_at.isoformat(),
            # "{score}" is a UCUM annotation: a dimensionless count with a label.
            "valueQuantity": {"value": _number(score.value), "unit": "{score}", "system": UCUM, "code": "{score}"},
        }
        if score.band:
            obs["interpretation"] = [{"text": score.band}]
        if score.note:
            obs["note"] = [{"text": score.note}]
        if derived:
            obs["derivedFrom"] = [derived]
        yield score.id, obs
