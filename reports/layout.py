"""The page: header on every page, footer with "Page X of Y", DRAFT watermark, margins and paper."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, Image, PageTemplate

from reports.flowables import Paragraph, text_width
from reports.fonts import register_fonts
from reports.styles import ACCENT, MUTED, RULE, styles
from reports.text import markup, plain

PAPER = {"A4": A4, "Letter": LETTER}
SIDE_MARGIN = 15 * mm
HEADER_HEIGHT = 21 * mm
FOOTER_HEIGHT = 13 * mm
TOP_GAP = 9 * mm
LOGO_MAX = (26 * mm, 14 * mm)


@dataclass(frozen=True)
class PageFurniture:
    """Everything printed around the content of each page."""

    clinic_name: str
    clinic_lines: list[str]
    logo_path: str | None
    patient_title: str
    patient_lines: list[str]
    footer_lines: list[str]
    draft: bool


def fit_width(text: str, width: float, font: str, size: float) -> str:
    """``text`` on one line, cut with an ellipsis when it is wider than ``width``."""
    text = plain(text)
    if text_width(text, font, size) <= width:
        return text
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if text_width(text[:mid] + "…", font, size) <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + "…"


Placed = tuple[Paragraph, float, float]


def _place(out: list[Placed], text: str, style: Any, x: float, top: float, width: float) -> float:
    """Wrap one header or footer paragraph and remember where it goes; returns its height."""
    p = Paragraph(text, style)
    _, h = p.wrap(width, 100 * mm)
    out.append((p, x, top - h))
    return float(h)


def _header(doc: BaseDocTemplate, f: PageFurniture) -> tuple[list[Placed], tuple[float, float, float, float] | None]:
    """The header's paragraphs with their positions, and the logo's box; laid out once per note."""
    st = styles()
    page_w, page_h = doc.pagesize
    top = page_h - TOP_GAP
    x = SIDE_MARGIN
    left_w = (page_w - 2 * SIDE_MARGIN) * 0.54
    right_w = (page_w - 2 * SIDE_MARGIN) - left_w - 6 * mm
    placed: list[Placed] = []
    logo_box = None
    if f.logo_path:
        logo = Image(f.logo_path)
        scale = min(LOGO_MAX[0] / logo.imageWidth, LOGO_MAX[1] / logo.imageHeight)
        w, h = logo.imageWidth * scale, logo.imageHeight * scale
        logo_box = (x, top - h, w, h)
        x += w + 3 * mm
        left_w -= w + 3 * mm
    name = fit_width(f.clinic_name, left_w, st.header_name.fontName, st.header_name.fontSize)
    used = _place(placed, markup(name), st.header_name, x, top, left_w)
    for line in f.clinic_lines:
        fitted = fit_width(line, left_w, st.header_text.fontName, st.header_text.fontSize)
        used += _place(placed, markup(fitted), st.header_text, x, top - used, left_w)

    rx = page_w - SIDE_MARGIN - right_w
    title = fit_width(f.patient_title, right_w, st.header_right_name.fontName, st.header_right_name.fontSize)
    used = _place(placed, markup(title), st.header_right_name, rx, top, right_w)
    for line in f.patient_lines:
        fitted = fit_width(line, right_w, st.header_right.fontName, st.header_right.fontSize)
        used += _place(placed, markup(fitted), st.header_right, rx, top - used, right_w)
    return placed, logo_box


def _footer(doc: BaseDocTemplate, f: PageFurniture) -> list[Placed]:
    page_w, _ = doc.pagesize
    placed: list[Placed] = []
    width = page_w - 2 * SIDE_MARGIN - 30 * mm
    text = "<br/>".join(markup(line) for line in f.footer_lines)
    _place(placed, text, styles().footer, SIDE_MARGIN, FOOTER_HEIGHT - 1.6 * mm, width)
    return placed


def _watermark(canvas: Canvas, doc: BaseDocTemplate) -> None:
    page_w, page_h = doc.pagesize
    canvas.saveState()
    canvas.setFillColor(colors.HexColor("#b00020"))
    canvas.setFillAlpha(0.09)
    canvas.setFont(register_fonts().bold, 118)
    canvas.translate(page_w / 2, page_h / 2)
    canvas.rotate(50)
    canvas.drawCentredString(0, -40, "DRAFT")
    canvas.restoreState()


def page_template(doc: BaseDocTemplate, furniture: PageFurniture) -> PageTemplate:
    page_w, page_h = doc.pagesize
    frame = Frame(
        SIDE_MARGIN,
        FOOTER_HEIGHT + 3 * mm,
        page_w - 2 * SIDE_MARGIN,
        page_h - TOP_GAP - HEADER_HEIGHT - FOOTER_HEIGHT - 3 * mm,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )

    header, logo_box = _header(doc, furniture)
    placed = header + _footer(doc, furniture)
    header_rule = page_h - TOP_GAP - HEADER_HEIGHT + 3 * mm

    def on_page(canvas: Canvas, d: BaseDocTemplate) -> None:
        canvas.saveState()
        if furniture.draft:
            _watermark(canvas, d)
        if logo_box is not None and furniture.logo_path:
            canvas.drawImage(furniture.logo_path, *logo_box, mask="auto", preserveAspectRatio=True)
        for paragraph, x, y in placed:
            paragraph.drawOn(canvas, x, y)
        canvas.setStrokeColor(ACCENT)
        canvas.setLineWidth(0.9)
        canvas.line(SIDE_MARGIN, header_rule, page_w - SIDE_MARGIN, header_rule)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(SIDE_MARGIN, FOOTER_HEIGHT, page_w - SIDE_MARGIN, FOOTER_HEIGHT)
        canvas.restoreState()

    return PageTemplate(id="note", frames=[frame], onPage=on_page)


class NumberedCanvas(Canvas):  # type: ignore[misc]
    """A canvas that holds pages back until the end so each can say "Page X of Y"."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._page_number(total)
            super().showPage()
        super().save()

    def _page_number(self, total: int) -> None:
        page_w, _ = self._pagesize
        self.saveState()
        self.setFont(register_fonts().bold, 7.6)
        self.setFillColor(MUTED)
        self.drawRightString(page_w - SIDE_MARGIN, FOOTER_HEIGHT - 4.2 * mm, f"Page {self._pageNumber} of {total}")
        self.restoreState()
