#!/usr/bin/env python3
"""Developer entry points that need nothing but Python 3.11+.

    python3 tasks.py run     # install what is needed and start the app (SQLite, no setup)
    python3 tasks.py test    # install what is needed and run the whole test suite
    python3 tasks.py check   # ruff + mypy
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("EXAM_ASSISTANT_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".installed"


def _run(*cmd: str | Path) -> None:
    result = subprocess.run([str(c) for c in cmd], cwd=ROOT, check=False)
    if result.returncode:
        sys.exit(result.returncode)


def install() -> None:
    """Create the virtual environment and install the project once per pyproject.toml change."""
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text().strip() == wanted:
        return
    if not (BIN / "python").exists():
        print(f"creating {VENV}", file=sys.stderr)
        venv.create(VENV, with_pip=True)
    _run(BIN / "python", "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    _run(BIN / "python", "-m", "pip", "install", "--quiet", "-e", ".[test,dev]")
    STAMP.write_text(wanted)


def main(argv: list[str]) -> None:
    command, rest = (argv[0] if argv else "help"), argv[1:]
    if command == "install":
        install()
    elif command == "run":
        install()
        _run(BIN / "streamlit", "run", "streamlit_app.py", *rest)
    elif command == "test":
        install()
        _run(BIN / "python", "-m", "pytest", *rest)
    elif command == "check":
        install()
        _run(BIN / "ruff", "check", ".")
        _run(BIN / "mypy")
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(0 if command == "help" else 1)


if __name__ == "__main__":
    main(sys.argv[1:])
