"""The reports package's public names, and that it stays free of Streamlit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import reports


def test_public_names_are_pinned() -> None:
    """Adding or removing a public name is a deliberate change to this list."""
    assert sorted(reports.__all__) == [
        "BatchFailure",
        "BatchSummary",
        "ClinicProfile",
        "FigureUnavailable",
        "NoteOptions",
        "export_batch",
        "figure_png",
        "figure_svg",
        "render_note",
    ]


def test_rendering_a_note_never_imports_streamlit() -> None:
    """Importing reports and its CLI, and rendering and freezing a note, leave streamlit unloaded."""
    code = (
        "import sys, reports, reports.cli, reports.note, reports.frozen\n"
        "from exam_assistant.engine.assess import assess\n"
        "from exam_assistant.library import load_library\n"
        "from exam_assistant.models import Encounter\n"
        "lib = load_library()\n"
        "e = Encounter.model_validate_json(open('examples/encounters/c6_radiculopathy.json').read())\n"
        "reports.note.render_note(e, assess(e, lib), lib)\n"
        "reports.frozen.render_final(e, lib, reports.ClinicProfile())\n"
        "print('streamlit' in sys.modules)"
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120, cwd=root)
    assert out.stdout.strip() == "False"
