"""Code systems and canonical URLs: the verified external codes (data) and the project's own CodeSystem.

External codes live in ``protocols/fhir/codes.yaml`` with their source; this module never
spells a LOINC or SNOMED CT code itself.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field

from exam_assistant.library import Library, builtin_protocol_dir
from exam_assistant.protocol import TIER_ORDER, ClusterEffect, RedFlagEffect

HL7_TERMINOLOGY = "http://terminology.hl7.org/CodeSystem"
DATA_ABSENT = f"{HL7_TERMINOLOGY}/data-absent-reason"
OBSERVATION_CATEGORY = f"{HL7_TERMINOLOGY}/observation-category"

# Values a finding can take that are the project's own words (not any standard's).
RESULTS = {
    "positive": "Positive",
    "negative": "Negative",
    "not_tested": "Not tested",
    "could_not_complete": "Could not complete",
}
YES_NO = {"yes": "Yes", "no": "No", "unknown": "Unknown"}
SENSATION = {"normal": "Normal", "reduced": "Reduced", "absent": "Absent", "not_tested": "Not tested"}
SETTINGS = ("primary_care", "physiotherapy", "sports", "spine_clinic", "emergency", "teaching", "other")


class ExternalCode(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    system: str
    code: str
    display: str
    source: str = Field(min_length=10)

    def coding(self) -> dict[str, str]:
        return {"system": self.system, "code": self.code, "display": self.display}


class NotUsed(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str
    system: str
    proposed_for: str
    reason: str


class CodeTables(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    scores: dict[str, ExternalCode] = Field(default_factory=dict)
    panels: dict[str, ExternalCode] = Field(default_factory=dict)
    laterality: dict[str, ExternalCode] = Field(default_factory=dict)


class FhirCodes(BaseModel):
    """The content of ``protocols/fhir/codes.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    canonical_base: str
    codes: CodeTables
    not_used: list[NotUsed] = Field(default_factory=list)


def codes_path() -> Path:
    return builtin_protocol_dir() / "fhir" / "codes.yaml"


@lru_cache(maxsize=1)
def load_codes() -> FhirCodes:
    return FhirCodes.model_validate(yaml.safe_load(codes_path().read_text(encoding="utf-8")))


def base() -> str:
    return load_codes().canonical_base


def codesystem_url() -> str:
    return f"{base()}/CodeSystem/exam-assistant"


def questionnaire_url(pack_id: str) -> str:
    return f"{base()}/Questionnaire/{pack_id}"


def extension_url(name: str) -> str:
    return f"{base()}/StructureDefinition/{name}"


def identifier_system(name: str) -> str:
    return f"{base()}/NamingSystem/{name}"


def codesystem_version(library: Library) -> str:
    """Changes whenever a pack's id or version does: the packs are what define the codes."""
    packs = sorted(f"{lp.pack.id}@{lp.pack.version}" for lp in library.packs.values())
    return "packs-" + hashlib.sha256("\n".join(packs).encode()).hexdigest()[:12]


def project_coding(code: str, display: str | None = None) -> dict[str, str]:
    out = {"system": codesystem_url(), "code": code}
    if display:
        out["display"] = display
    return out


def concept(code: str, display: str | None = None) -> dict[str, Any]:
    """A CodeableConcept with one project coding, and the display as its text."""
    out: dict[str, Any] = {"coding": [project_coding(code, display)]}
    if display:
        out["text"] = display
    return out


def option_code(item_id: str, value: str) -> str:
    """Options and criteria are item-local words; the item id makes them unique in the CodeSystem."""
    return f"{item_id}:{value}"


def project_concepts(library: Library) -> dict[str, str]:
    """Every project code -> its display: items, their options and criteria, sections, rules, scores, diagnoses."""
    out: dict[str, str] = {}

    def add(code: str, display: str) -> None:
        out.setdefault(code, display)  # first definition wins; ids are unique within their own kind

    for key, label in RESULTS.items():
        add(f"result.{key}", label)
    for key, label in YES_NO.items():
        add(f"answer.{key}", label)
    for key, label in SENSATION.items():
        add(f"sensation.{key}", label)
    add("component.seconds", "Seconds to symptoms")
    for tier in TIER_ORDER:
        add(f"tier.{tier}", tier.replace("_", " ").title())
    for setting in SETTINGS:
        add(f"setting.{setting}", setting.replace("_", " ").capitalize())
    for lp in library.ordered_packs():
        for section in lp.pack.sections:
            add(section.id, section.title)
            for item in section.items:
                add(item.id, item.label)
                for option in item.options:
                    add(option_code(item.id, option.value), option.label)
                for criterion in item.criteria:
                    add(option_code(item.id, criterion.value), criterion.label)
        for score in lp.pack.scores:
            add(score.id, score.title)
        for diagnosis in lp.pack.diagnoses:
            add(diagnosis.id, diagnosis.name)
        for rule in lp.pack.rules:
            if isinstance(rule.effect, (ClusterEffect, RedFlagEffect)) or rule.effect.type in ("decision", "points"):
                add(rule.id, rule.title)
    return out


def codesystem_resource(library: Library, resource_id: str) -> dict[str, Any]:
    """The project's CodeSystem as published in every bundle (so a receiver can read every project code)."""
    concepts = project_concepts(library)
    return {
        "resourceType": "CodeSystem",
        "id": resource_id,
        "url": codesystem_url(),
        "version": codesystem_version(library),
        "name": "ExamAssistantCodes",
        "title": "Exam Assistant item, rule, score and diagnosis codes",
        "status": "active",
        "experimental": False,
        "publisher": "Exam Assistant contributors",
        "description": "Stable ids from the loaded protocol packs; used where no verified LOINC or SNOMED CT code exists.",
        "caseSensitive": True,
        "content": "complete",
        "count": len(concepts),
        "concept": [{"code": code, "display": display} for code, display in concepts.items()],
    }
