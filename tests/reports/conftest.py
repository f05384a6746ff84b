"""Fixtures for the PDF note tests: example encounters, real assessments, rendered notes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from exam_assistant.engine.assess import assess
from exam_assistant.library import Library, PackSource, build_library
from exam_assistant.models import Encounter
from reports import ClinicProfile, NoteOptions, render_note

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples" / "encounters"
DATA = Path(__file__).parent / "data"
ARTIFACTS = REPO / "artifacts" / "pdf"
FIXED_TIME = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)

Render = Callable[..., bytes]


def example(name: str) -> Encounter:
    """An example encounter from examples/encounters by file stem."""
    return Encounter.model_validate_json((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))


def finalised(encounter: Encounter) -> Encounter:
    return encounter.model_copy(update={"status": "final", "finalised_at": datetime(2026, 5, 4, 10, 0, tzinfo=UTC)})


def with_patient(encounter: Encounter, **changes: Any) -> Encounter:
    return encounter.model_copy(update={"patient": encounter.patient.model_copy(update=changes)})


def save_artifact(name: str, pdf: bytes) -> Path:
    """Keep a rendered note under artifacts/pdf/ (gitignored) for looking at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.pdf"
    path.write_bytes(pdf)
    return path


@pytest.fixture(scope="session")
def clinic() -> ClinicProfile:
    return ClinicProfile(
        name="Riverside Spine & Physio", address="12 Mill Lane, Exeter EX1 2AB", phone="+44 1392 000000",
        timezone="UTC", date_format="yyyy-mm-dd",  # fixed, so notes do not depend on the test machine
    )


@pytest.fixture(scope="session")
def note_library() -> Library:
    """The test-owned pack: stable content for golden output."""
    lib = build_library([PackSource(DATA / "note_pack.yaml", "test")])
    assert not lib.problems, lib.problems
    return lib


@pytest.fixture(scope="session")
def render(library: Library, clinic: ClinicProfile) -> Render:
    """Assess an encounter with the built-in library and render its note."""

    def run(
        encounter: Encounter, lib: Library | None = None, profile: ClinicProfile | None = None, **options: Any
    ) -> bytes:
        lib = lib or library
        options.setdefault("generated_at", FIXED_TIME)
        return render_note(encounter, assess(encounter, lib), lib, profile or clinic, NoteOptions(**options))

    return run
