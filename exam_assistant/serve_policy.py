"""Which network address the app may listen on: loopback only, unless sign-in is configured.

Without sign-in anyone who can reach the port can read, change and export every record, so
``python3 tasks.py run`` binds Streamlit to 127.0.0.1 and says so; another address without
sign-in is refused unless ``--insecure-lan`` is given on purpose (see docs/deployment.md).

Standard library only: ``tasks.py`` loads this file before the virtual environment exists.
"""

from __future__ import annotations

import ipaddress
import os
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

INSECURE_FLAG = "--insecure-lan"
LOOPBACK = "127.0.0.1"
ADDRESS_ENV = "STREAMLIT_SERVER_ADDRESS"


class RefusedToServe(Exception):
    """Serving as asked would expose patient records without sign-in; the message says what to do."""


@dataclass(frozen=True)
class ServePlan:
    """The Streamlit arguments to use and the one line to tell the person starting the app."""

    arguments: list[str]
    notice: str


def _toml(path: Path) -> dict[str, object]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError):
        return {}


def sign_in_configured(root: Path, home: Path) -> bool:
    """True when a ``secrets.toml`` Streamlit reads has an ``[auth]`` section (``st.login``)."""
    return any(isinstance(_toml(folder / ".streamlit" / "secrets.toml").get("auth"), dict) for folder in (root, home))


def requested_address(arguments: Sequence[str], root: Path, environ: dict[str, str]) -> str | None:
    """The address asked for: ``--server.address``, else the environment, else .streamlit/config.toml."""
    for i, arg in enumerate(arguments):
        if arg == "--server.address" and i + 1 < len(arguments):
            return arguments[i + 1]
        if arg.startswith("--server.address="):
            return arg.split("=", 1)[1]
    if environ.get(ADDRESS_ENV, "").strip():
        return environ[ADDRESS_ENV].strip()
    server = _toml(root / ".streamlit" / "config.toml").get("server")
    address = server.get("address") if isinstance(server, dict) else None
    return str(address) if address else None


def is_loopback(address: str) -> bool:
    """127.0.0.0/8, ::1 and ``localhost`` stay on this computer; anything else (or empty: every interface) does not."""
    if address.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(address.strip().strip("[]")).is_loopback
    except ValueError:
        return False


def plan(arguments: Sequence[str], root: Path, home: Path | None = None,
         environ: dict[str, str] | None = None) -> ServePlan:
    """The Streamlit arguments for ``tasks.py run ARGUMENTS``; raises RefusedToServe when unsafe."""
    environ = dict(os.environ) if environ is None else environ
    insecure = INSECURE_FLAG in arguments
    rest = [a for a in arguments if a != INSECURE_FLAG]
    address = requested_address(rest, root, environ)
    if sign_in_configured(root, home if home is not None else Path.home()):
        where = address or "every network interface"
        return ServePlan(rest, f"sign-in is configured: serving on {where}")
    if address is None:
        return ServePlan([*rest, "--server.address", LOOPBACK],
                         f"no sign-in configured: serving on {LOOPBACK} only (this computer); "
                         "see docs/deployment.md to serve a clinic network")
    if is_loopback(address):
        return ServePlan(rest, f"no sign-in configured: serving on {address} only (this computer)")
    if not insecure:
        raise RefusedToServe(
            f"refusing to serve on {address} without sign-in: anyone who can reach it could read and change "
            f"every record. Configure sign-in (docs/deployment.md), or add {INSECURE_FLAG} to accept the risk"
        )
    return ServePlan(rest, f"WARNING: serving on {address} WITHOUT sign-in ({INSECURE_FLAG}); "
                           "anyone who can reach it can read and change every record")
