"""The clinic's local time and date format, for the note and the screen alike (no Streamlit).

Times are stored in UTC; they are shown in the clinic's time zone with the zone's abbreviation,
so a reader never has to guess. Dates follow the clinic's chosen format. Both default to the
machine's settings when the clinic has not chosen.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Literal, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DateFormat = Literal["dd/mm/yyyy", "mm/dd/yyyy", "yyyy-mm-dd", "dd.mm.yyyy"]
DATE_FORMATS: tuple[DateFormat, ...] = get_args(DateFormat)
_STRFTIME: dict[DateFormat, str] = {
    "dd/mm/yyyy": "%d/%m/%Y",
    "mm/dd/yyyy": "%m/%d/%Y",
    "yyyy-mm-dd": "%Y-%m-%d",
    "dd.mm.yyyy": "%d.%m.%Y",
}
# Countries whose everyday numeric date is month first, year first, or with dots (CLDR short dates).
_MONTH_FIRST = {"US", "PH", "FM", "MH", "PW"}
_YEAR_FIRST = {"SE", "LT", "HU", "CN", "JP", "KR", "TW", "CA", "MN", "IR"}
_DOTTED = {"DE", "AT", "CH", "RU", "PL", "CZ", "SK", "FI", "NO", "DK", "UA", "RO", "TR", "HR", "SI", "BG", "EE", "LV"}


def valid_timezone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def system_timezone() -> str:
    """The machine's IANA time zone: ``$TZ``, the ``/etc/localtime`` link, ``/etc/timezone``, else UTC."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    link = Path("/etc/localtime")
    if link.is_symlink():
        target = str(link.resolve())
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    with contextlib.suppress(OSError):
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    return next((c for c in candidates if c and valid_timezone(c)), "UTC")


def system_date_format() -> DateFormat:
    """The date order of the machine's locale (LC_ALL, LC_TIME, LANG), day first when unknown."""
    for var in ("LC_ALL", "LC_TIME", "LANG"):
        value = os.environ.get(var, "")
        if "_" in value:
            country = value.split("_", 1)[1][:2].upper()
            if country in _MONTH_FIRST:
                return "mm/dd/yyyy"
            if country in _YEAR_FIRST:
                return "yyyy-mm-dd"
            return "dd.mm.yyyy" if country in _DOTTED else "dd/mm/yyyy"
    return "dd/mm/yyyy"


@dataclass(frozen=True)
class Clock:
    """Formats stored UTC times and dates the clinic's way."""

    timezone: str = "UTC"
    date_format: DateFormat = "yyyy-mm-dd"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def day(self, value: date) -> str:
        return value.strftime(_STRFTIME[self.date_format])

    def local(self, moment: datetime) -> datetime:
        return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(self.zone)

    def local_day(self, moment: datetime) -> date:
        return self.local(moment).date()

    def when(self, moment: datetime) -> str:
        """``30/11/2026 09:30 GMT``: the date, the 24-hour time and the zone's abbreviation."""
        local = self.local(moment)
        return f"{self.day(local.date())} {local.strftime('%H:%M')} {local.tzname() or self.timezone}"

    @property
    def pattern(self) -> str:
        """The date format as shown to a user (``dd/mm/yyyy``)."""
        return self.date_format
