"""Fixtures for the FHIR tests: every example encounter exported once, and the official R4 JSON Schema."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from exam_assistant.fhir.bundle import build_bundle
from exam_assistant.library import Library
from exam_assistant.models import Encounter
from exam_assistant.validation import load_encounter

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((REPO / "examples" / "encounters").glob("*.json"))
SCHEMA = Path(__file__).parent / "schema" / "fhir.schema.json"
STAMP = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)


def example(name: str, library: Library) -> Encounter:
    encounter, problems = load_encounter(REPO / "examples" / "encounters" / name, library)
    assert encounter is not None and not problems, problems
    return encounter


@pytest.fixture(scope="session")
def exported(library: Library) -> dict[str, tuple[Encounter, dict[str, Any]]]:
    """Example file name -> (encounter, its bundle as JSON would carry it)."""
    out = {}
    for path in EXAMPLES:
        encounter = example(path.name, library)
        out[path.name] = (encounter, json.loads(json.dumps(build_bundle(encounter, library, timestamp=STAMP))))
    return out


@pytest.fixture(scope="session")
def r4_schema() -> Any:
    """A validator for the official FHIR R4 JSON Schema (vendored from npm; see schema/README.md)."""
    jsonschema = pytest.importorskip("jsonschema")
    return jsonschema.Draft6Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))


def resources(bundle: dict[str, Any], kind: str | None = None) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if kind is None or e["resource"]["resourceType"] == kind]


def codes_of(concept: dict[str, Any]) -> set[str]:
    return {c["code"] for c in concept.get("coding", [])}
