"""A small dermatome chart (SVG) of both arms, shaded from the neuro screen's sensation findings.

No Streamlit here. Each region carries its root and a symbol (✓ normal, ↓ reduced, ✕ absent,
? not tested), so the chart reads without colour. Power or reflex findings below normal at a
root add "M" or "R" to its label. The figure is a schematic, not an anatomical drawing.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from exam_assistant.models import Encounter, Mrc, Reflex, Sensation
from exam_assistant.protocol import Item

FILL = {"normal": "#cdebd3", "reduced": "#ffe39a", "absent": "#f3a6a6", "not_tested": "#f2f3f6"}
SYMBOL = {"normal": "✓", "reduced": "↓", "absent": "✕", "not_tested": "?"}
SEVERITY = {"not_tested": 0, "normal": 1, "reduced": 2, "absent": 3}

# Regions of one arm drawn in a 150 x 290 box, lateral side at x = 0 (mirrored for the other arm).
# Upper arm: lateral C5, medial T1; forearm: lateral C6, medial C8; hand: thumb side C6,
# middle finger C7, little finger side C8; shoulder cap C4.
REGIONS: list[tuple[str, tuple[float, float, float, float]]] = [
    ("C4", (10, 10, 130, 34)),
    ("C5", (10, 48, 64, 86)),
    ("T1", (76, 48, 64, 86)),
    ("C6", (14, 140, 58, 78)),
    ("C8", (74, 140, 58, 78)),
    ("C6", (14, 224, 36, 52)),
    ("C7", (52, 224, 36, 52)),
    ("C8", (90, 224, 36, 52)),
]


def root_status(encounter: Encounter | None, items: dict[str, Item]) -> dict[tuple[str, str], tuple[str, str]]:
    """(level, side) -> (sensation status, extra marks 'M'/'R' for weak power or low reflex)."""
    out: dict[tuple[str, str], tuple[str, str]] = {}
    findings = encounter.findings if encounter else {}
    for item in items.values():
        if item.level is None or item.modality is None:
            continue
        finding = findings.get(item.id)
        for side in ("left", "right"):
            status, marks = out.get((item.level, side), ("not_tested", ""))
            if isinstance(finding, Sensation):
                grade = getattr(finding, side)
                if SEVERITY[grade] > SEVERITY[status]:
                    status = grade
            elif isinstance(finding, (Mrc, Reflex)):
                grade_n = getattr(finding, side)
                normal, mark = (5, "M") if isinstance(finding, Mrc) else (2, "R")
                if grade_n is not None and grade_n < normal and mark not in marks:
                    marks += mark
            out[(item.level, side)] = (status, marks)
    return out


def _arm(x0: float, mirror: bool, side: str, status: dict[tuple[str, str], tuple[str, str]]) -> list[str]:
    parts: list[str] = []
    for level, (x, y, w, h) in REGIONS:
        rx = x0 + (150 - x - w if mirror else x)
        grade, marks = status.get((level, side), ("not_tested", ""))
        label = f"{level} {SYMBOL[grade]}{(' ' + marks) if marks else ''}"
        parts.append(
            f'<rect x="{rx:g}" y="{y:g}" width="{w:g}" height="{h:g}" rx="8" '
            f'fill="{FILL[grade]}" stroke="#31333f" stroke-width="1.2"/>'
            f'<text x="{rx + w / 2:g}" y="{y + h / 2 + 5:g}" font-size="13" text-anchor="middle" '
            f'font-family="sans-serif" fill="#31333f">{escape(label)}</text>'
        )
    return parts


def dermatome_svg(encounter: Encounter | None, items: dict[str, Item]) -> str:
    """The chart as an SVG document: the patient's right arm on the left, as when facing them."""
    status = root_status(encounter, items)
    body = [
        '<text x="85" y="16" font-size="14" font-weight="bold" text-anchor="middle" '
        'font-family="sans-serif" fill="#31333f">Right</text>',
        '<text x="265" y="16" font-size="14" font-weight="bold" text-anchor="middle" '
        'font-family="sans-serif" fill="#31333f">Left</text>',
        '<g transform="translate(0,20)">', *_arm(10, False, "right", status), *_arm(190, True, "left", status), "</g>",
        '<text x="175" y="328" font-size="11" text-anchor="middle" font-family="sans-serif" fill="#31333f">'
        "✓ normal · ↓ reduced · ✕ absent · ? not tested · M weak · R reflex low</text>",
    ]
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 350 336" width="350" height="336" '
        'role="img" aria-label="Dermatome chart of both arms">' + "".join(body) + "</svg>"
    )


def dermatome_summary(encounter: Encounter | None, items: dict[str, Item]) -> str:
    """The chart in words, for screen readers and the caption."""
    status = root_status(encounter, items)
    abnormal = [
        f"{level} {side} {grade.replace('_', ' ')}{(' (' + marks + ')') if marks else ''}"
        for (level, side), (grade, marks) in sorted(status.items())
        if grade in ("reduced", "absent") or marks
    ]
    return "Abnormal: " + "; ".join(abnormal) if abnormal else "No abnormal root finding recorded."
