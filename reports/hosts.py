"""Which reference links the note may print: hosts on the allow-list kept in
``reports/assets/reference_hosts.txt`` (DOI, PubMed, publishers, guideline bodies, societies).
A link elsewhere (a file-sharing site, a personal page, a mirror) is not printed: the citation
and its DOI still are."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from urllib.parse import urlparse

ALLOW_LIST = Path(__file__).resolve().parent / "assets" / "reference_hosts.txt"


@cache
def allowed_hosts() -> tuple[str, ...]:
    lines = ALLOW_LIST.read_text(encoding="utf-8").splitlines()
    return tuple(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def host_allowed(host: str) -> bool:
    host = host.lower().removeprefix("www.")
    if host.startswith("staging."):  # a staging copy of an official site is not the official site
        return False
    return any(host == h or host.endswith("." + h) for h in allowed_hosts())


def url_allowed(url: str) -> bool:
    parts = urlparse(url)
    return parts.scheme == "https" and host_allowed(parts.hostname or "")
