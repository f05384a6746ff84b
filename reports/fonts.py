"""Fonts for the note: embedded DejaVu Sans, a CJK-capable fallback, and per-character choice.

DejaVu Sans (vendored in ``reports/assets/fonts`` with its licence) covers Latin, Greek,
Cyrillic, Arabic, Hebrew and many symbols. Chinese, Japanese and Korean come from the first
CJK TrueType font found (``EXAM_ASSISTANT_CJK_FONT``, a vendored ``reports/assets/fonts/cjk.ttf``
or ``.ttc``, WenQuanYi Micro Hei / Zen Hei from Debian); without one, reportlab's built-in CID
font ``STSong-Light`` is used (not embedded: the viewer supplies the glyphs).
"""

from __future__ import annotations

import os
import threading
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

ASSETS = Path(__file__).resolve().parent / "assets" / "fonts"
CJK_FONT_ENV = "EXAM_ASSISTANT_CJK_FONT"

REGULAR = "NoteSans"
BOLD = "NoteSans-Bold"
CJK = "NoteCJK"
CID_FALLBACK = "STSong-Light"

_DEJAVU_DIRS = (ASSETS, Path("/usr/share/fonts/truetype/dejavu"))
_CJK_CANDIDATES = (
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/truetype/arphic/uming.ttc"),
)


class FontError(RuntimeError):
    """The note cannot be drawn because no usable font was found."""


@dataclass
class FontSet:
    """The registered fonts and which one draws a given character."""

    regular: str
    bold: str
    cjk: str
    cjk_source: str
    cjk_embedded: bool
    _regular_cmap: frozenset[int] = field(repr=False, default=frozenset())
    _cjk_cmap: frozenset[int] | None = field(repr=False, default=None)
    _cache: dict[str, str] = field(repr=False, default_factory=dict)

    def font_for(self, char: str) -> str:
        """The font that draws ``char``: DejaVu when it has the glyph, else the CJK font if it does.

        A character no font has stays in DejaVu: it prints as an empty box but is still in
        the text layer (searchable and copyable), never silently dropped.
        """
        found = self._cache.get(char)
        if found is not None:
            return found
        code = ord(char)
        if code in self._regular_cmap:
            found = self.regular
        elif self._cjk_cmap is not None:
            found = self.cjk if code in self._cjk_cmap else self.regular
        else:
            found = self.cjk if is_cjk(char) else self.regular
        self._cache[char] = found
        return found


def is_cjk(char: str) -> bool:
    """True for Han, kana, Hangul and CJK punctuation or full-width forms."""
    code = ord(char)
    return (
        0x2E80 <= code <= 0x9FFF
        or 0xA960 <= code <= 0xA97F
        or 0xAC00 <= code <= 0xD7FF
        or 0xF900 <= code <= 0xFAFF
        or 0xFE30 <= code <= 0xFE4F
        or 0xFF00 <= code <= 0xFFEF
        or 0x20000 <= code <= 0x3FFFF
        or "CJK" in unicodedata.name(char, "")
    )


def _find_dejavu(name: str) -> Path:
    for folder in _DEJAVU_DIRS:
        path = folder / name
        if path.is_file():
            return path
    raise FontError(f"{name} not found in {', '.join(str(d) for d in _DEJAVU_DIRS)}")


def cjk_candidates() -> list[Path]:
    """Where a CJK TrueType font is looked for, in order."""
    out: list[Path] = []
    env = os.environ.get(CJK_FONT_ENV, "").strip()
    if env:
        out.append(Path(env))
    out += [ASSETS / "cjk.ttf", ASSETS / "cjk.ttc", *_CJK_CANDIDATES]
    return out


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode CMap, writing characters beyond U+FFFF as UTF-16 surrogate pairs.

    reportlab 5.1 writes them as five hex digits, which readers reject, so emoji and other
    astral characters vanish from the text layer (copy, search, screen readers).
    """

    def utf16(code: int) -> str:
        return (
            code.to_bytes(4, "big").hex().upper()[4:] if code <= 0xFFFF else chr(code).encode("utf-16-be").hex().upper()
        )

    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
        f"{len(subset)} beginbfchar",
        *(f"<{i:02X}> <{utf16(v)}>" for i, v in enumerate(subset)),
        "endbfchar",
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ]
    return "\n".join(lines)


class _EveryChar(dict[int, int]):
    """A ``charToGlyph`` that admits every character; ones the font lacks map to glyph 0 (.notdef).

    reportlab otherwise draws such a character as code 0, which drops it from the text layer;
    this way it still prints as an empty box but keeps its own code and ToUnicode entry, so
    copying, searching and screen readers get the real character.
    """

    def __contains__(self, key: object) -> bool:
        return True

    def __missing__(self, key: int) -> int:
        return 0


_lock = threading.Lock()


@lru_cache(maxsize=1)
def register_fonts() -> FontSet:
    """Register the note's fonts with reportlab once per process and describe them."""
    with _lock:
        ttfonts.makeToUnicodeCMap = _to_unicode_cmap  # see _to_unicode_cmap
        regular = TTFont(REGULAR, str(_find_dejavu("DejaVuSans.ttf")))
        bold = TTFont(BOLD, str(_find_dejavu("DejaVuSans-Bold.ttf")))
        pdfmetrics.registerFont(regular)
        pdfmetrics.registerFont(bold)
        pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD)
        addMapping(REGULAR, 0, 0, REGULAR)
        addMapping(REGULAR, 1, 0, BOLD)
        regular_cmap = frozenset(regular.face.charToGlyph)
        for font in (regular, bold):
            font.face.charToGlyph = _EveryChar(font.face.charToGlyph)

        for path in cjk_candidates():
            if not path.is_file():
                continue
            try:
                cjk = TTFont(CJK, str(path), subfontIndex=0)
            except Exception:  # noqa: S112 - an unusable candidate: try the next one
                continue
            pdfmetrics.registerFont(cjk)
            pdfmetrics.registerFontFamily(CJK, normal=CJK, bold=CJK, italic=CJK, boldItalic=CJK)
            return FontSet(REGULAR, BOLD, CJK, str(path), True, regular_cmap, frozenset(cjk.face.charToGlyph))

        pdfmetrics.registerFont(UnicodeCIDFont(CID_FALLBACK))
        return FontSet(REGULAR, BOLD, CID_FALLBACK, f"reportlab CID font {CID_FALLBACK}", False, regular_cmap, None)
