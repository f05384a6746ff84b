"""The dermatome and myotome figure: abnormal levels marked by pattern and text, SVG and PNG exports."""

from __future__ import annotations

import shutil

from exam_assistant.library import Library
from exam_assistant.models import Mrc, Sensation
from reports import FigureUnavailable, figure_png, figure_svg
from reports.figure import marks_from, neuro_drawing
from tests.reports.conftest import example
from tests.support import skip_or_fail


def test_marks_name_the_abnormal_level_side_and_modality(library: Library) -> None:
    """The C6 radiculopathy example marks C6 on the left for sensation, power and reflex, nothing on the right."""
    marks = marks_from(example("c6_radiculopathy"), library)
    modalities = {m for m, _ in marks.abnormal[("C6", "left")]}
    assert modalities == {"sensation", "power", "reflex"}
    assert not any(side == "right" for (_, side) in marks.abnormal)
    assert ("C6", "right") in marks.tested


def test_abnormal_level_is_marked_by_text_not_colour_alone(library: Library) -> None:
    """The drawing's strings say which level and modalities are abnormal on which side."""
    strings = _strings(neuro_drawing(marks_from(example("c6_radiculopathy"), library)))
    assert "Abnormal: C6 (SPR)" in strings
    assert "No abnormal level recorded" in strings
    assert "C6 SPR" in strings
    assert "Patient's left arm" in strings and "Patient's right arm" in strings


def test_right_side_weakness_marks_the_right_arm(library: Library) -> None:
    """Weak finger abduction on the right marks T1 on the right only."""
    encounter = example("neck_pain_normal_exam")
    findings = {
        **encounter.findings,
        "neuro.power_finger_abduction": Mrc(left=5, right=3),
        "neuro.sens_t1": Sensation(left="normal", right="reduced"),
    }
    marks = marks_from(encounter.model_copy(update={"findings": findings}), library)
    assert {m for m, _ in marks.abnormal[("T1", "right")]} == {"power", "sensation"}
    assert ("T1", "left") not in marks.abnormal


def test_svg_export_is_a_vector_document_with_the_labels(library: Library) -> None:
    """The SVG has the level labels as text and hatch lines as paths or lines."""
    svg = figure_svg(example("c6_radiculopathy"), library)
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert "Abnormal: C6 (SPR)" in svg
    assert "<line" in svg or "<path" in svg


def test_png_export_is_a_png_image(library: Library) -> None:
    """The PNG comes from renderPM or, failing that, poppler's pdftoppm."""
    if shutil.which("pdftoppm") is None:
        skip_or_fail("pdftoppm (poppler-utils) is not installed")
    try:
        png = figure_png(example("c6_radiculopathy"), library, dpi=72)
    except FigureUnavailable as exc:
        skip_or_fail(str(exc))
        return
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def _strings(node: object) -> list[str]:
    found: list[str] = []
    text = getattr(node, "text", None)
    if isinstance(text, str):
        found.append(text)
    for child in getattr(node, "contents", []):
        found += _strings(child)
    return found
