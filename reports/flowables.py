"""Paragraph factory for user text, and a paragraph that wraps right-to-left text correctly.

Bidirectional text must be wrapped in logical order and only then put in visual order, line
by line; reportlab wraps what it is given, so :class:`BidiParagraph` does the wrapping itself
and hands reportlab finished lines.
"""

from __future__ import annotations

import copy
from typing import Any

from bidi import get_display  # type: ignore[import-untyped]
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable
from reportlab.platypus import Paragraph as _Paragraph

from reports.fonts import FontSet, register_fonts
from reports.text import base_is_rtl, clean, font_runs, has_rtl, markup, run_markup, shape


class Paragraph(_Paragraph):  # type: ignore[misc]
    """reportlab's Paragraph, remembering its line breaks for the last width it was wrapped to.

    Tables wrap every cell to measure rows and again to draw them; the cache halves that work.
    """

    _wrapped_for: tuple[float, float, float] | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        cached = self._wrapped_for
        if cached is not None and cached[0] == availWidth and hasattr(self, "blPara"):
            self.width, self.height = cached[1], cached[2]
            return cached[1], cached[2]
        width, height = super().wrap(availWidth, availHeight)
        self._wrapped_for = (availWidth, width, height)
        return width, height


def para(text: str, style: ParagraphStyle, *, prefix: str = "", newlines: bool = True) -> Flowable:
    """A flowable for user text. ``prefix`` is trusted markup (e.g. ``<b>Label:</b> ``)."""
    if has_rtl(text):
        return BidiParagraph(text, style, prefix=prefix)
    return Paragraph(prefix + markup(text, newlines=newlines), style)


def text_width(text: str, font: str, size: float, fonts: FontSet | None = None) -> float:
    """Width in points of ``text`` drawn with ``font``, counting fallback fonts per run."""
    fonts = fonts or register_fonts()
    if text.isascii():
        return float(stringWidth(text, font, size))
    return float(
        sum(stringWidth(chunk, font if f == fonts.regular else f, size) for f, chunk in font_runs(text, fonts))
    )


def wrap_logical(text: str, width: float, font: str, size: float, fonts: FontSet) -> list[str]:
    """Greedy word wrap of one logical line; words longer than the width are cut."""
    space = text_width(" ", font, size, fonts)
    lines: list[str] = []
    current = ""
    current_w = 0.0
    for word in text.split(" "):
        w = text_width(word, font, size, fonts)
        if current and current_w + space + w <= width:
            current, current_w = f"{current} {word}", current_w + space + w
            continue
        if current:
            lines.append(current)
        while w > width and len(word) > 1:
            cut = len(word) - 1
            while cut > 1 and text_width(word[:cut], font, size, fonts) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
            w = text_width(word, font, size, fonts)
        current, current_w = word, w
    lines.append(current)
    return lines


class BidiParagraph(Flowable):  # type: ignore[misc]
    """A paragraph holding right-to-left text: wrapped logically, drawn in visual order."""

    def __init__(self, text: str, style: ParagraphStyle, prefix: str = "") -> None:
        super().__init__()
        self.text = clean(text)
        self.style = style
        self.prefix = prefix
        self._para: Paragraph | None = None
        self._for_width: float | None = None

    def _build(self, avail_width: float) -> Paragraph:
        if self._para is not None and self._for_width == avail_width:
            return self._para
        fonts = register_fonts()
        style = self.style
        rtl = base_is_rtl(self.text)
        prefix_w = text_width(Paragraph(self.prefix, style).getPlainText(), style.fontName, style.fontSize, fonts)
        width = avail_width - style.leftIndent - style.rightIndent - 2
        lines: list[str] = []
        for n, logical in enumerate(self.text.split("\n")):
            wrapped = wrap_logical(
                shape(logical), max(width - (prefix_w if n == 0 else 0), 20), style.fontName, style.fontSize, fonts
            )
            lines += [str(get_display(line, base_dir="R" if rtl else "L")) for line in wrapped]
        body = "<br/>".join(run_markup(line, fonts) for line in lines)
        aligned = copy.copy(style)
        # A right-to-left paragraph of several lines reads from the right edge; a single line
        # (a name in a table cell) stays where the reader of this left-to-right form looks.
        aligned.alignment = TA_RIGHT if rtl and not self.prefix and len(lines) > 1 else style.alignment
        aligned.splitLongWords = 0
        self._para = Paragraph(self.prefix + body, aligned)
        self._for_width = avail_width
        return self._para

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        para = self._build(availWidth)
        w, h = para.wrap(availWidth, availHeight)
        self.width, self.height = w, h
        return w, h

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        return list(self._build(availWidth).split(availWidth, availHeight))

    def draw(self) -> None:
        assert self._para is not None
        self._para.drawOn(self.canv, 0, 0)

    def getSpaceBefore(self) -> float:
        return float(self.style.spaceBefore)

    def getSpaceAfter(self) -> float:
        return float(self.style.spaceAfter)

    def getPlainText(self) -> str:
        return self.text
