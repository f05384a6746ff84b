"""The reports package's public names, and that it stays free of Streamlit."""

from __future__ import annotations

import subprocess
import sys

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
    """Importing reports and its CLI leaves streamlit unloaded."""
    code = "import sys, reports, reports.cli, reports.note; print('streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout.strip() == "False"
