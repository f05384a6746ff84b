#!/usr/bin/env python3
"""Developer entry points that need nothing but Python 3.11+.

    python3 tasks.py run     # install what is needed and start the app (SQLite, no setup)
                             # on 127.0.0.1 only unless sign-in is configured; other addresses
                             # without sign-in need --insecure-lan (docs/deployment.md)
    python3 tasks.py test    # install what is needed and run the whole test suite
    python3 tasks.py check   # ruff + mypy
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import subprocess
import sys
import venv
from pathlib import Path
from types import ModuleType

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


def _serve_policy() -> ModuleType:
    # Loaded by path: importing the package would need its dependencies, not yet installed.
    spec = importlib.util.spec_from_file_location("serve_policy", ROOT / "exam_assistant" / "serve_policy.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


def serve_arguments(rest: list[str]) -> list[str]:
    """Streamlit's arguments for ``run``: 127.0.0.1 only unless sign-in is configured (says so on stderr)."""
    policy = _serve_policy()
    try:
        chosen = policy.plan(rest, ROOT)
    except policy.RefusedToServe as exc:
        print(f"tasks.py: {exc}", file=sys.stderr)
        sys.exit(2)
    print(f"tasks.py: {chosen.notice}", file=sys.stderr)
    return list(chosen.arguments)


def main(argv: list[str]) -> None:
    command, rest = (argv[0] if argv else "help"), argv[1:]
    if command == "install":
        install()
    elif command == "run":
        arguments = serve_arguments(rest)
        install()
        _run(BIN / "streamlit", "run", "streamlit_app.py", *arguments)
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
