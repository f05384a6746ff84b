"""Files that may hold patient data are created readable by their owner only (0600).

Exports (CSV, PDF) and the SQLite database would otherwise take the process umask, usually
0644: readable by every account on the machine.
"""

from __future__ import annotations

import os
from pathlib import Path

PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700


def write_private(path: Path | str, data: bytes) -> None:
    """Write ``data`` to ``path`` as an owner-only file (an existing file is tightened to 0600)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    try:
        os.fchmod(fd, PRIVATE_FILE)  # O_CREAT's mode does not apply to a file that already existed
        with os.fdopen(fd, "wb", closefd=False) as handle:
            handle.write(data)
    finally:
        os.close(fd)
