"""The one way user text enters the note: cleaned, escaped, in visual order, with per-run fonts.

reportlab's ``Paragraph`` reads its text as markup, so ``x<y and y>z`` typed by a user would be
silently damaged. Every piece of user or protocol text goes through :func:`markup` (or
:func:`escape` for single runs) before it reaches a ``Paragraph``.

Right-to-left text (Arabic, Hebrew) is shaped (Arabic presentation forms) and put in visual
order line by line here, because reportlab draws glyphs left to right as given.
"""

from __future__ import annotations

import re
import unicodedata

from arabic_reshaper import ArabicReshaper  # type: ignore[import-untyped]
from arabic_reshaper.ligatures import SENTENCES_LIGATURES, WORDS_LIGATURES  # type: ignore[import-untyped]
from bidi import get_display  # type: ignore[import-untyped]

from reports.fonts import FontSet, register_fonts

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\ufff9-\ufffb]")
_RTL_RANGES = ((0x0590, 0x08FF), (0xFB1D, 0xFDFF), (0xFE70, 0xFEFF), (0x10800, 0x10FFF), (0x1E800, 0x1EFFF))

_RESHAPER = ArabicReshaper(
    configuration={
        "delete_harakat": False,  # vowel marks are part of the name; never drop them
        "support_ligatures": True,
        # Only letter ligatures (lam-alef): DejaVu Sans has them; it lacks the word ligatures.
        **{name: False for name, _ in (*SENTENCES_LIGATURES, *WORDS_LIGATURES)},
    }
)


def clean(text: str) -> str:
    """Drop control and direction-override characters; tabs become spaces; newlines stay."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return _CONTROL.sub("", text)


def escape(text: str) -> str:
    """Escape ``&``, ``<`` and ``>`` so reportlab prints the text literally."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def is_rtl_char(char: str) -> bool:
    code = ord(char)
    return any(lo <= code <= hi for lo, hi in _RTL_RANGES)


def has_rtl(text: str) -> bool:
    return not text.isascii() and any(is_rtl_char(ch) for ch in text)


def base_is_rtl(text: str) -> bool:
    """True when the first strong character of ``text`` is right-to-left (Unicode rule P2)."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def shape(text: str) -> str:
    """Arabic letters in their joined (contextual) forms, still in logical order."""
    return str(_RESHAPER.reshape(text)) if has_rtl(text) else text


def visual_line(text: str, rtl_base: bool | None = None) -> str:
    """One line of text, shaped and in the left-to-right order it must be drawn in."""
    if not has_rtl(text):
        return text
    base = rtl_base if rtl_base is not None else base_is_rtl(text)
    return str(get_display(shape(text), base_dir="R" if base else "L"))


def font_runs(text: str, fonts: FontSet | None = None) -> list[tuple[str, str]]:
    """Split ``text`` into (font name, chunk) runs so each character is drawn by a font that has it."""
    fonts = fonts or register_fonts()
    if text.isascii():
        return [(fonts.regular, text)] if text else []
    runs: list[tuple[str, str]] = []
    for ch in text:
        font = fonts.font_for(ch) if not ch.isspace() else (runs[-1][0] if runs else fonts.regular)
        if runs and runs[-1][0] == font:
            runs[-1] = (font, runs[-1][1] + ch)
        else:
            runs.append((font, ch))
    return runs


def run_markup(line: str, fonts: FontSet | None = None) -> str:
    """Escaped markup of one already-ordered line, with ``<font>`` tags around fallback runs."""
    fonts = fonts or register_fonts()
    if line.isascii():
        return escape(line)
    parts = []
    for font, chunk in font_runs(line, fonts):
        if font == fonts.regular:
            parts.append(escape(chunk))
        else:
            parts.append(f'<font name="{font}">{escape(chunk)}</font>')
    return "".join(parts)


def markup(text: str, fonts: FontSet | None = None, *, newlines: bool = True) -> str:
    """Paragraph markup for user text: cleaned, escaped, RTL lines in visual order, fonts per run.

    ``newlines`` keeps line breaks (``<br/>``); otherwise they become spaces.
    """
    text = clean(text)
    lines = text.split("\n") if newlines else [text.replace("\n", " ")]
    return "<br/>".join(run_markup(visual_line(line), fonts) for line in lines)


def plain(text: str) -> str:
    """User text for a single-line canvas string or PDF metadata: cleaned, one line."""
    return " ".join(clean(text).split())
