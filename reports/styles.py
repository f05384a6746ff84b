"""Paragraph and table styles, colours and the urgency palette of the note."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import TableStyle

from reports.fonts import register_fonts

INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#555555")
ACCENT = colors.HexColor("#1f4e79")
RULE = colors.HexColor("#9aa7b4")
GRID = colors.HexColor("#c5ccd3")
HEAD_FILL = colors.HexColor("#e8eef4")
ABNORMAL_FILL = colors.HexColor("#fff1d6")
NO_ITEM_FILL = colors.HexColor("#eeeeee")

# Urgency: colour is never the only signal; the tier is always written out too.
TIER_FILL = {
    "EMERGENCY": colors.HexColor("#b00020"),
    "SAME_DAY": colors.HexColor("#c25400"),
    "URGENT": colors.HexColor("#8a6d00"),
    "ROUTINE": colors.HexColor("#2e6b30"),
}
TIER_WORDS = {
    "EMERGENCY": "EMERGENCY",
    "SAME_DAY": "SAME DAY",
    "URGENT": "URGENT",
    "ROUTINE": "ROUTINE",
}

BODY_SIZE = 8.8


@dataclass(frozen=True)
class Styles:
    title: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_head: ParagraphStyle
    cell_center: ParagraphStyle
    note: ParagraphStyle
    flag_title: ParagraphStyle
    box_text: ParagraphStyle
    banner: ParagraphStyle
    footer: ParagraphStyle
    header_name: ParagraphStyle
    header_text: ParagraphStyle
    header_right: ParagraphStyle
    header_right_name: ParagraphStyle


@lru_cache(maxsize=1)
def styles() -> Styles:
    fonts = register_fonts()
    r, b = fonts.regular, fonts.bold

    def ps(name: str, **kw: object) -> ParagraphStyle:
        base: dict[str, object] = {
            "fontName": r,
            "fontSize": BODY_SIZE,
            "leading": BODY_SIZE * 1.3,
            "textColor": INK,
            "splitLongWords": 1,
        }
        base.update(kw)
        return ParagraphStyle(name, **base)

    return Styles(
        title=ps("title", fontName=b, fontSize=14, leading=17, textColor=ACCENT, spaceAfter=2),
        h1=ps("h1", fontName=b, fontSize=11.5, leading=14, textColor=ACCENT, spaceBefore=9, spaceAfter=3),
        h2=ps("h2", fontName=b, fontSize=9.6, leading=12, textColor=INK, spaceBefore=5, spaceAfter=2),
        body=ps("body", spaceAfter=2.5),
        small=ps("small", fontSize=7.4, leading=9.2, textColor=MUTED, spaceAfter=2),
        cell=ps("cell", fontSize=8, leading=10),
        cell_bold=ps("cell_bold", fontName=b, fontSize=8, leading=10),
        cell_head=ps("cell_head", fontName=b, fontSize=7.8, leading=9.6),
        cell_center=ps("cell_center", fontSize=8, leading=10, alignment=TA_CENTER),
        note=ps("note", fontSize=9, leading=12, spaceAfter=1.5),
        flag_title=ps("flag_title", fontName=b, fontSize=9.2, leading=11.5),
        box_text=ps("box_text", fontSize=8.4, leading=10.6),
        banner=ps("banner", fontName=b, fontSize=10.5, leading=13, textColor=colors.white),
        footer=ps("footer", fontSize=6.6, leading=8, textColor=MUTED),
        header_name=ps("header_name", fontName=b, fontSize=10.5, leading=12.5, textColor=ACCENT),
        header_text=ps("header_text", fontSize=7.2, leading=8.8, textColor=MUTED),
        header_right=ps("header_right", fontSize=7.6, leading=9.2, textColor=INK, alignment=TA_RIGHT),
        header_right_name=ps("header_right_name", fontName=b, fontSize=9.6, leading=11.6, alignment=TA_RIGHT),
    )


def grid_table_style(header_rows: int = 1) -> TableStyle:
    """Thin grid, shaded header row(s), top-aligned cells; plain-string cells in the body font."""
    return TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), register_fonts().regular),
            ("FONTSIZE", (0, 0), (-1, -1), 8),
            ("LEADING", (0, 0), (-1, -1), 10),
            ("GRID", (0, 0), (-1, -1), 0.4, GRID),
            ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEAD_FILL),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 3.5),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3.5),
            ("TOPPADDING", (0, 0), (-1, -1), 2.2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.6),
        ]
    )
