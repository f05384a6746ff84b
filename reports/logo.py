"""The clinic logo: a real PNG or JPEG, under a size limit, read only from the clinic's own folder.

The logo path comes from a settings file that an administrator (or anyone who can write that
file) edits; without these checks ``/etc/passwd`` or a 100-megapixel image reached reportlab and
ended in a traceback or a stalled render.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

MAX_LOGO_BYTES = 1_000_000
MAX_LOGO_PIXELS = 25_000_000
_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")


def logo_problem(path: Path, folder: Path | None = None) -> str | None:
    """Why ``path`` cannot be the clinic logo, in plain words; None when it can.

    With ``folder`` (the clinic's data folder) the file, after following links, must lie inside it.
    """
    if folder is not None:
        root, real = os.path.realpath(folder), os.path.realpath(path)
        if os.path.commonpath([root, real]) != root:
            return f"the logo must be a file in the clinic's data folder ({folder})"
    try:
        info = path.stat()
    except OSError:
        return f"the logo file {path.name} does not exist"
    if not stat.S_ISREG(info.st_mode):
        return "the logo must be a regular file"
    if info.st_size > MAX_LOGO_BYTES:
        return f"the logo is {info.st_size // 1000} kB; the limit is {MAX_LOGO_BYTES // 1000} kB"
    with path.open("rb") as handle:
        head = handle.read(8)
    if not head.startswith(_MAGIC):
        return "the logo must be a PNG or JPEG image"
    return _decode_problem(path)


def _decode_problem(path: Path) -> str | None:
    """Decode the header with Pillow (reportlab's own image reader) so a corrupt file fails here."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            if image.format not in ("PNG", "JPEG"):
                return "the logo must be a PNG or JPEG image"
            if image.width * image.height > MAX_LOGO_PIXELS:
                return f"the logo is {image.width}x{image.height} pixels; use a smaller image"
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return "the logo is not a readable PNG or JPEG image"
    return None
