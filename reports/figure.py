"""A vector dermatome and myotome figure, C4 to T1, both arms, abnormal levels marked.

Abnormal is shown three ways, never by colour alone: a hatch pattern, a bold label with the
modality letters (S sensation, P power, R reflex), and a line of text per side. The same
``Drawing`` goes into the PDF and exports as SVG (and PNG where a rasteriser is available).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.graphics import renderPDF, renderSVG
from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm

from exam_assistant.engine.describe import graded_text
from exam_assistant.library import Library
from exam_assistant.models import Encounter, Mrc, Reflex, Sensation
from exam_assistant.protocol import LEVELS
from reports.fonts import register_fonts

ABNORMAL = colors.HexColor("#f2b35a")
HATCH = colors.HexColor("#7a3e00")
UNTESTED = colors.HexColor("#e6e6e6")
LINE = colors.HexColor("#6b7785")
LETTER = {"sensation": "S", "power": "P", "reflex": "R"}

# (level, half, start, end) along the abducted arm, palm forward: shoulder 0, fingertips 1;
# the upper half is the thumb (preaxial) side, the lower half the little-finger side.
REGIONS = [
    ("C4", "top", 0.00, 0.14),
    ("C5", "top", 0.14, 0.44),
    ("C6", "top", 0.44, 0.80),
    ("T1", "bottom", 0.00, 0.44),
    ("C8", "bottom", 0.44, 0.80),
    ("C6", "hand_top", 0.80, 1.00),
    ("C7", "hand_mid", 0.80, 1.00),
    ("C8", "hand_bottom", 0.80, 1.00),
]


class FigureUnavailable(RuntimeError):
    """No rasteriser for PNG output here (reportlab's renderPM backend or poppler's pdftoppm)."""


@dataclass
class NeuroMarks:
    """Abnormal findings by (level, side), and which (level, side) were examined at all."""

    abnormal: dict[tuple[str, str], list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))
    tested: set[tuple[str, str]] = field(default_factory=set)


def marks_from(encounter: Encounter, library: Library) -> NeuroMarks:
    marks = NeuroMarks()
    for item in library.items.values():
        if item.level is None or item.modality is None:
            continue
        finding = encounter.findings.get(item.id)
        for side in ("left", "right"):
            text: str | None = None
            if isinstance(finding, Sensation) and getattr(finding, side) != "not_tested":
                marks.tested.add((item.level, side))
                value = getattr(finding, side)
                text = value if value in ("reduced", "absent") else None
            elif isinstance(finding, (Mrc, Reflex)) and getattr(finding, side) is not None:
                marks.tested.add((item.level, side))
                grade = getattr(finding, side)
                bad = grade < 5 if isinstance(finding, Mrc) else grade != 2
                text = graded_text(finding.kind, grade) if bad else None
            if text is not None:
                marks.abnormal[(item.level, side)].append((item.modality, f"{item.label} {text}"))
    return marks


def _hatch(x: float, y: float, w: float, h: float, step: float = 3.2) -> list[Line]:
    """45-degree lines clipped to the rectangle."""
    lines = []
    c = -h
    while c < w:
        x0, y0 = x + max(c, 0), y + max(-c, 0)
        length = min(w - max(c, 0), h - max(-c, 0))
        if length > 0:
            lines.append(Line(x0, y0, x0 + length, y0 + length, strokeColor=HATCH, strokeWidth=0.5))
        c += step
    return lines


def _arm(
    marks: NeuroMarks, side: str, x0: float, y0: float, length: float, height: float, outward: int, font: str, bold: str
) -> Group:
    g = Group()
    thirds = height / 3
    for level, part, start, end in REGIONS:
        a, b = x0 + outward * start * length, x0 + outward * end * length
        left, w = min(a, b), abs(b - a)
        if part == "top":
            y, h = y0 + height / 2, height / 2
        elif part == "bottom":
            y, h = y0, height / 2
        else:
            y, h = y0 + {"hand_top": 2, "hand_mid": 1, "hand_bottom": 0}[part] * thirds, thirds
        sens_bad = any(m == "sensation" for m, _ in marks.abnormal.get((level, side), []))
        fill = ABNORMAL if sens_bad else (colors.white if (level, side) in marks.tested else UNTESTED)
        g.add(Rect(left, y, w, h, fillColor=fill, strokeColor=LINE, strokeWidth=0.6))
        if sens_bad:
            for line in _hatch(left, y, w, h):
                g.add(line)
        label = f"{level} S" if sens_bad else level
        if sens_bad:
            g.add(Rect(left + w / 2 - 11, y + h / 2 - 4.2, 22, 8.6, fillColor=colors.white, strokeColor=None))
        g.add(
            String(
                left + w / 2,
                y + h / 2 - 2.4,
                label,
                fontName=bold if sens_bad else font,
                fontSize=6.6,
                textAnchor="middle",
                fillColor=colors.black,
            )
        )
    return g


def _strip(marks: NeuroMarks, side: str, x: float, y: float, width: float, font: str, bold: str) -> Group:
    g = Group()
    box = width / len(LEVELS)
    for n, level in enumerate(LEVELS):
        found = sorted({LETTER[m] for m, _ in marks.abnormal.get((level, side), [])}, key="SPR".index)
        bx = x + n * box
        fill = ABNORMAL if found else (colors.white if (level, side) in marks.tested else UNTESTED)
        g.add(Rect(bx, y, box - 2, 15, fillColor=fill, strokeColor=LINE, strokeWidth=0.6))
        if found:
            for line in _hatch(bx, y, box - 2, 15):
                g.add(line)
        text = f"{level} {''.join(found)}" if found else level
        if found:
            g.add(Rect(bx + (box - 2) / 2 - 16, y + 2.6, 32, 9.4, fillColor=colors.white, strokeColor=None))
        g.add(
            String(
                bx + (box - 2) / 2, y + 4.5, text, fontName=bold if found else font, fontSize=6.8, textAnchor="middle"
            )
        )
    return g


def _letters(marks: NeuroMarks, level: str, side: str) -> str:
    return "".join(sorted({LETTER[m] for m, _ in marks.abnormal.get((level, side), [])}, key="SPR".index))


def neuro_drawing(
    marks: NeuroMarks, width: float = 180 * mm, font: str | None = None, bold: str | None = None
) -> Drawing:
    """A figure facing the patient, arms out: the patient's right arm on the left of the page.

    Each arm carries its dermatomes (sensation); below it a strip of the six levels marks any
    abnormal sensation (S), power (P) or reflex (R), with a line of text per side.
    """
    fonts = register_fonts() if font is None or bold is None else None
    font = font or (fonts.regular if fonts else "Helvetica")
    bold = bold or (fonts.bold if fonts else "Helvetica-Bold")
    height = 150.0
    torso_w, arm_h = 46.0, 40.0
    centre = width / 2
    arm_len = centre - torso_w / 2 - 6
    shoulder_y = height - 70
    d = Drawing(width, height)
    # head, neck and trunk: context only, in outline
    torso_top = shoulder_y + arm_h
    d.add(
        Rect(
            centre - torso_w / 2,
            22,
            torso_w,
            torso_top - 22,
            rx=6,
            ry=6,
            fillColor=colors.white,
            strokeColor=LINE,
            strokeWidth=0.7,
        )
    )
    d.add(Rect(centre - 5, torso_top, 10, 5, fillColor=colors.white, strokeColor=LINE, strokeWidth=0.7))
    d.add(Circle(centre, torso_top + 15, 10, fillColor=colors.white, strokeColor=LINE, strokeWidth=0.7))
    for side, outward in (("right", -1), ("left", 1)):
        shoulder_x = centre + outward * torso_w / 2
        d.add(_arm(marks, side, shoulder_x, shoulder_y, arm_len, arm_h, outward, font, bold))
        px = 0.0 if side == "right" else centre + torso_w / 2 + 6
        d.add(
            String(
                px + arm_len / 2,
                shoulder_y + arm_h + 6,
                f"Patient's {side} arm",
                fontName=bold,
                fontSize=8,
                textAnchor="middle",
            )
        )
        d.add(_strip(marks, side, px, shoulder_y - 30, arm_len, font, bold))
        bad = [lv for lv in LEVELS if marks.abnormal.get((lv, side))]
        summary = (
            "Abnormal: " + ", ".join(f"{lv} ({_letters(marks, lv, side)})" for lv in bad)
            if bad
            else "No abnormal level recorded"
        )
        d.add(String(px, shoulder_y - 42, summary, fontName=bold if bad else font, fontSize=7))
    d.add(
        String(
            0,
            12,
            "Arms: dermatomes, hatched where sensation is abnormal. Strips: key levels; "
            "S sensation, P power, R reflex abnormal.",
            fontName=font,
            fontSize=6.2,
            fillColor=LINE,
        )
    )
    d.add(
        String(
            0,
            3,
            "Hatched = abnormal; grey = not examined; white = examined, normal. Schematic, not to scale.",
            fontName=font,
            fontSize=6.2,
            fillColor=LINE,
        )
    )
    return d


def figure_flowable(marks: NeuroMarks, width: float = 180 * mm) -> Drawing:
    return neuro_drawing(marks, width)


def figure_svg(encounter: Encounter, library: Library, width: float = 180 * mm) -> str:
    """The figure as an SVG document (Helvetica names map to the browser's sans-serif)."""
    drawing = neuro_drawing(marks_from(encounter, library), width, "Helvetica", "Helvetica-Bold")
    return str(renderSVG.drawToString(drawing))


def figure_png(encounter: Encounter, library: Library, dpi: int = 144, width: float = 180 * mm) -> bytes:
    """The figure as PNG: reportlab's renderPM when its backend is installed, else poppler's pdftoppm."""
    drawing = neuro_drawing(marks_from(encounter, library), width)
    try:
        from reportlab.graphics import renderPM

        return bytes(renderPM.drawToString(drawing, fmt="PNG", dpi=dpi))
    except Exception:  # noqa: S110 - renderPM needs rlPyCairo or the C extension; fall back to poppler
        pass
    tool = shutil.which("pdftoppm")
    if tool is None:
        raise FigureUnavailable("no PNG rasteriser: install rlPyCairo or poppler-utils, or use figure_svg()")
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "figure.pdf"
        pdf.write_bytes(renderPDF.drawToString(drawing))
        subprocess.run(
            [tool, "-png", "-r", str(dpi), "-singlefile", str(pdf), str(Path(tmp) / "figure")],
            check=True,
            capture_output=True,
            timeout=60,
        )
        return (Path(tmp) / "figure.png").read_bytes()
