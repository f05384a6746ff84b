"""Reading rendered notes back: text per page, fonts per text run, metadata."""

from __future__ import annotations

import io
import unicodedata
from typing import Any

from pypdf import PdfReader


def reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in reader(pdf).pages]


def all_text(pdf: bytes) -> str:
    return "\n".join(pages_text(pdf))


def squashed(text: str) -> str:
    """Text without any whitespace and in NFKC form (Arabic presentation forms become letters)."""
    return unicodedata.normalize("NFKC", "".join(text.split()))


def runs_with_fonts(pdf: bytes) -> list[tuple[str, str]]:
    """(text, base font name) for every text-showing operation of every page."""
    found: list[tuple[str, str]] = []

    for page in reader(pdf).pages:

        def visit(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
            if text.strip() and font is not None:
                found.append((text, str(font.get("/BaseFont", ""))))

        page.extract_text(visitor_text=visit)
    return found
