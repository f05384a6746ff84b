"""Every example encounter's note rendered to PNG pages, kept under artifacts/pdf/ for looking at."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from exam_assistant.engine.assess import assess
from exam_assistant.library import Library
from reports import ClinicProfile, NoteOptions, render_note
from tests.reports.conftest import ARTIFACTS, example
from tests.support import skip_or_fail

EXAMPLES = sorted(p.stem for p in (Path(__file__).resolve().parents[2] / "examples" / "encounters").glob("*.json"))


@pytest.mark.parametrize("name", EXAMPLES)
def test_each_example_note_renders_one_png_per_page(name: str, library: Library, tmp_path: Path) -> None:
    """pdftoppm turns every page of the note into an image: none is blank-sized or missing."""
    if shutil.which("pdftoppm") is None:
        skip_or_fail("pdftoppm (poppler-utils) is not installed")
    encounter = example(name)
    pdf = render_note(encounter, assess(encounter, library), library,
                      ClinicProfile(name="Riverside Spine Clinic", address="1 River Road"), NoteOptions())
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    out = ARTIFACTS / "pages"
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob(f"{name}-*.png"):
        old.unlink()
    (tmp_path / "note.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(tmp_path / "note.pdf"), str(out / name)], check=True)
    images = sorted(out.glob(f"{name}-*.png"))
    assert len(images) == pages
    assert all(img.stat().st_size > 5_000 for img in images)
