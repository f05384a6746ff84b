"""The clinic's time zone and date format on the note; the machine's when the clinic set none."""

from __future__ import annotations

import pytest

from reports import ClinicProfile
from reports.localtime import Clock, system_date_format, system_timezone
from tests.reports.conftest import Render, example, finalised
from tests.reports.pdftext import pages_text


def test_the_note_shows_local_time_with_the_zone_and_the_clinic_date_format(render: Render) -> None:
    london = ClinicProfile(name="Riverside", timezone="Europe/London", date_format="dd/mm/yyyy")
    first = pages_text(render(finalised(example("c6_radiculopathy")), profile=london))[0]
    assert "04/05/2026 10:20 BST" in first  # stored as 09:20 UTC
    assert "14/08/1979" in first and "2026-05-04" not in first
    new_york = london.model_copy(update={"timezone": "America/New_York", "date_format": "mm/dd/yyyy"})
    assert "05/04/2026 05:20 EDT" in pages_text(render(example("c6_radiculopathy"), profile=new_york))[0]


def test_an_unknown_time_zone_is_refused_in_plain_words() -> None:
    with pytest.raises(ValueError, match="not a time zone name"):
        ClinicProfile(timezone="Mars/Olympus")


def test_defaults_come_from_the_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    assert (system_timezone(), system_date_format()) == ("Asia/Tokyo", "mm/dd/yyyy")
    assert ClinicProfile().clock() == Clock("Asia/Tokyo", "mm/dd/yyyy")
    monkeypatch.setenv("LC_ALL", "de_DE.UTF-8")
    assert system_date_format() == "dd.mm.yyyy"
