"""Invariant output: the same inputs give byte-identical PDFs, matching the committed golden hash.

The golden note uses the test-owned pack (tests/reports/data/note_pack.yaml), so edits to the
clinical packs do not change it; a change to the layout, the fonts or reportlab does.
To regenerate after an intended change, look at the new PDF first, then run:

    EXAM_ASSISTANT_REGENERATE_GOLDEN=1 .venv/bin/python -m pytest tests/reports/test_golden.py

which rewrites tests/reports/golden/note_pack.sha256 (and writes the PDF to artifacts/pdf/golden_note_pack.pdf).
"""

from __future__ import annotations

import hashlib
import os
from datetime import UTC, datetime
from pathlib import Path

from exam_assistant.engine.assess import assess
from exam_assistant.library import Library
from reports import ClinicProfile, NoteOptions, render_note
from tests.reports.conftest import finalised, save_artifact
from tests.reports.test_note_content import emergency_note_encounter

GOLDEN = Path(__file__).parent / "golden" / "note_pack.sha256"
OPTIONS = NoteOptions(invariant=True, generated_at=datetime(2026, 5, 4, 12, 0, tzinfo=UTC), app_version="golden")
PROFILE = ClinicProfile(  # zone and date format fixed: the golden file must not depend on the machine
    name="Golden Clinic", address="1 Test Street", phone="000", timezone="UTC", date_format="yyyy-mm-dd"
)


def golden_pdf(library: Library) -> bytes:
    encounter = finalised(emergency_note_encounter())
    return render_note(encounter, assess(encounter, library), library, PROFILE, OPTIONS)


def test_invariant_rendering_is_byte_identical(note_library: Library) -> None:
    """Rendering the same note twice with invariant=True gives the same bytes."""
    assert golden_pdf(note_library) == golden_pdf(note_library)


def test_invariant_rendering_matches_the_golden_hash(note_library: Library) -> None:
    """The golden note's SHA-256 is the committed one (see the module docstring to regenerate)."""
    pdf = golden_pdf(note_library)
    digest = hashlib.sha256(pdf).hexdigest()
    path = save_artifact("golden_note_pack", pdf)
    if os.environ.get("EXAM_ASSISTANT_REGENERATE_GOLDEN") == "1":
        GOLDEN.write_text(digest + "\n", encoding="utf-8")
    assert GOLDEN.read_text(encoding="utf-8").strip() == digest, f"new output in {path}; see the module docstring"


def test_without_invariant_the_document_id_changes(note_library: Library) -> None:
    """Normal output is not frozen: two renderings differ (the PDF document id is fresh each time)."""
    encounter = finalised(emergency_note_encounter())
    result = assess(encounter, note_library)
    options = OPTIONS.model_copy(update={"invariant": False})
    first = render_note(encounter, result, note_library, PROFILE, options)
    second = render_note(encounter, result, note_library, PROFILE, options)
    assert first != second
