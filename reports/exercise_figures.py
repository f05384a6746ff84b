"""Simple line drawings for the handout's home exercises: the start position dashed, the movement
as an arrow, the end position solid. Vector drawings, so they print sharply at any size and need
no image files; each is drawn in a SIZE x SIZE box.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from reportlab.graphics.shapes import Circle, Drawing, Ellipse, Group, Line, Polygon, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm

from reports.styles import ACCENT, INK

SIZE = 30 * mm
GHOST = colors.HexColor("#9aa3ad")
_STROKE = 1.6


def _ghost(shape: Circle | Line | Ellipse) -> Circle | Line | Ellipse:
    shape.strokeColor = GHOST
    shape.strokeDashArray = [2, 2]
    if not isinstance(shape, Line):
        shape.fillColor = None
    shape.strokeWidth = 1
    return shape


def _ink(shape: Circle | Line | Ellipse | Rect | PolyLine, width: float = _STROKE) -> Circle | Line | Ellipse | Rect | PolyLine:
    shape.strokeColor = INK
    shape.strokeWidth = width
    if not isinstance(shape, Line | PolyLine):
        shape.fillColor = None
    return shape


def _arc_arrow(cx: float, cy: float, r: float, start_deg: float, end_deg: float) -> Group:
    """An arc from start to end (degrees, anticlockwise positive) with a head at the end."""
    steps = 12
    pts: list[float] = []
    for i in range(steps + 1):
        a = math.radians(start_deg + (end_deg - start_deg) * i / steps)
        pts += [cx + r * math.cos(a), cy + r * math.sin(a)]
    arc = PolyLine(pts, strokeColor=ACCENT, strokeWidth=1.4)
    end = math.radians(end_deg)
    tip = (cx + r * math.cos(end), cy + r * math.sin(end))
    direction = 1 if end_deg > start_deg else -1
    tangent = end + direction * math.pi / 2
    back = (tip[0] - 4 * math.cos(tangent), tip[1] - 4 * math.sin(tangent))
    normal = (math.cos(end) * 2.5, math.sin(end) * 2.5)
    head = Polygon([tip[0], tip[1], back[0] + normal[0], back[1] + normal[1], back[0] - normal[0], back[1] - normal[1]],
                   fillColor=ACCENT, strokeColor=ACCENT, strokeWidth=0.5)
    return Group(arc, head)


def _straight_arrow(x1: float, y1: float, x2: float, y2: float) -> Group:
    angle = math.atan2(y2 - y1, x2 - x1)
    back = (x2 - 4 * math.cos(angle), y2 - 4 * math.sin(angle))
    normal = (-math.sin(angle) * 2.5, math.cos(angle) * 2.5)
    head = Polygon([x2, y2, back[0] + normal[0], back[1] + normal[1], back[0] - normal[0], back[1] - normal[1]],
                   fillColor=ACCENT, strokeColor=ACCENT, strokeWidth=0.5)
    return Group(Line(x1, y1, back[0], back[1], strokeColor=ACCENT, strokeWidth=1.4), head)


def _caption(d: Drawing, text: str) -> None:
    d.add(String(SIZE / 2, 1, text, fontName="Helvetica", fontSize=6.5, fillColor=GHOST, textAnchor="middle"))


def _head(d: Drawing, base: tuple[float, float], tilt_deg: float, *, ghost: bool, nose: bool) -> None:
    """A neck from ``base`` and a head on it, tilted ``tilt_deg`` from upright (positive: towards +x)."""
    r, neck = SIZE * 0.085, SIZE * 0.08
    a = math.radians(tilt_deg)
    ux, uy = math.sin(a), math.cos(a)
    hx, hy = base[0] + (neck + r) * ux, base[1] + (neck + r) * uy
    if ghost:
        d.add(_ghost(Circle(hx, hy, r)))
        return
    d.add(_ink(Line(base[0], base[1], base[0] + neck * ux, base[1] + neck * uy)))
    d.add(_ink(Circle(hx, hy, r)))
    if nose:  # the face looks towards +x, turned with the head
        nx, ny = math.cos(a), -math.sin(a)
        d.add(_ink(Line(hx + r * nx, hy + r * ny, hx + (r + 3) * nx, hy + (r + 3) * ny - 1.5), 1.2))


def neck_bend_forward() -> Drawing:
    """Seen from the side, sitting, facing right: the head bends forward and down."""
    d = Drawing(SIZE, SIZE)
    hip, shoulder = (SIZE * 0.38, SIZE * 0.2), (SIZE * 0.38, SIZE * 0.55)
    d.add(_ink(Line(*hip, *shoulder)))
    d.add(_ink(PolyLine([*hip, SIZE * 0.66, SIZE * 0.2, SIZE * 0.66, SIZE * 0.06])))  # thigh and lower leg
    d.add(_ink(Line(SIZE * 0.38, SIZE * 0.5, SIZE * 0.55, SIZE * 0.32)))  # arm resting forward
    _head(d, shoulder, 0, ghost=True, nose=False)
    _head(d, shoulder, 55, ghost=False, nose=True)
    d.add(_arc_arrow(*shoulder, SIZE * 0.33, 82, 42))
    _caption(d, "from the side")
    return d


def neck_side_tilt() -> Drawing:
    """Seen from the front: the ear moves towards the shoulder, the shoulders stay level."""
    d = Drawing(SIZE, SIZE)
    cx, top = SIZE * 0.5, SIZE * 0.55
    d.add(_ink(PolyLine([cx - SIZE * 0.2, SIZE * 0.12, cx - SIZE * 0.25, top, cx + SIZE * 0.25, top,
                         cx + SIZE * 0.2, SIZE * 0.12])))  # shoulders and trunk
    for side in (-1, 1):  # arms hanging
        d.add(_ink(Line(cx + side * SIZE * 0.25, top, cx + side * SIZE * 0.3, SIZE * 0.2)))
    _head(d, (cx, top), 0, ghost=True, nose=False)
    _head(d, (cx, top), 42, ghost=False, nose=False)
    d.add(_arc_arrow(cx, top, SIZE * 0.33, 95, 52))
    _caption(d, "from the front")
    return d


def neck_turn() -> Drawing:
    """Seen from above: the shoulders stay still, the nose turns to one side."""
    d = Drawing(SIZE, SIZE)
    cx, cy = SIZE * 0.5, SIZE * 0.42
    d.add(_ink(Ellipse(cx, cy - SIZE * 0.06, SIZE * 0.4, SIZE * 0.09)))  # shoulders from above
    r = SIZE * 0.12
    head = Circle(cx, cy, r)
    head.fillColor = colors.white
    head.strokeColor, head.strokeWidth = INK, _STROKE
    d.add(head)
    d.add(_ghost(Line(cx, cy + r, cx, cy + r + 5)))  # the nose before: facing forward
    turn = math.radians(55)
    d.add(_ink(Line(cx + r * math.sin(turn), cy + r * math.cos(turn),
                    cx + (r + 5) * math.sin(turn), cy + (r + 5) * math.cos(turn))))
    d.add(_arc_arrow(cx, cy, r * 2.1, 88, 35))
    _caption(d, "from above")
    return d


def shoulder_blade_squeeze() -> Drawing:
    """Seen from behind: the shoulder blades drawn back and down towards the spine."""
    d = Drawing(SIZE, SIZE)
    cx = SIZE * 0.5
    d.add(_ink(PolyLine([cx - SIZE * 0.34, SIZE * 0.72, cx - SIZE * 0.26, SIZE * 0.1, cx + SIZE * 0.26, SIZE * 0.1,
                         cx + SIZE * 0.34, SIZE * 0.72, cx - SIZE * 0.34, SIZE * 0.72])))  # back
    d.add(_ink(Circle(cx, SIZE * 0.84, SIZE * 0.1)))
    d.add(_ink(Line(cx, SIZE * 0.68, cx, SIZE * 0.12), 0.8))  # spine
    for side in (-1, 1):
        x = cx + side * SIZE * 0.17
        blade = Polygon([x - side * 4, SIZE * 0.62, x + side * 7, SIZE * 0.6, x, SIZE * 0.36],
                        strokeColor=INK, strokeWidth=1.2, fillColor=None)
        d.add(blade)
        d.add(_straight_arrow(x + side * 8, SIZE * 0.5, cx + side * 4, SIZE * 0.42))
    _caption(d, "from behind")
    return d


FIGURES: dict[str, Callable[[], Drawing]] = {
    "neck_bend_forward": neck_bend_forward,
    "neck_side_tilt": neck_side_tilt,
    "neck_turn": neck_turn,
    "shoulder_blade_squeeze": shoulder_blade_squeeze,
}
