"""PDF clinical notes from an encounter and its assessment (reportlab; no Streamlit).

``render_note(encounter, assessment, library, profile, options) -> bytes`` is the entry point;
``export_batch`` renders many notes on every core; ``figure_svg``/``figure_png`` give the
dermatome and myotome figure for the screen.
"""

from reports.batch import BatchFailure, BatchSummary, export_batch
from reports.figure import FigureUnavailable, figure_png, figure_svg
from reports.note import render_note
from reports.options import ClinicProfile, NoteOptions

__all__ = [
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
