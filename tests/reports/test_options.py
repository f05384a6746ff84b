"""Note options and clinic profile: de-identified mode, DRAFT watermark, paper size, logo, long notes."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image

from exam_assistant.engine.assess import assess
from exam_assistant.library import Library
from reports import ClinicProfile
from tests.reports.conftest import Render, example, finalised, save_artifact, with_patient
from tests.reports.pdftext import all_text, pages_text, reader, squashed


def test_deidentified_note_has_no_name_identifier_or_date_of_birth(render: Render) -> None:
    """Neither the text layer nor the metadata carries the name, identifier, date of birth or visit date."""
    encounter = example("c6_radiculopathy")
    notes = (
        f"Maria Fernández (NHS 943 476 5919, born 14/08/1979) says her sister helps. "
        f"Fernández works at a laptop. DOB {encounter.patient.date_of_birth.isoformat()}."
    )
    encounter = encounter.model_copy(update={"notes": notes, "chief_complaint": "Maria has arm pain."})
    pdf = render(finalised(encounter), deidentified=True, generated_at=datetime(2026, 11, 2, 8, 0, tzinfo=UTC))
    save_artifact("deidentified", pdf)
    meta = reader(pdf).metadata
    assert meta is not None
    text = all_text(pdf) + "\n" + " ".join(str(v) for v in meta.values())
    flat = squashed(text)
    for secret in (
        "Maria",
        "Fernández",
        "NHS 943 476 5919",
        "1979-08-14",
        "14/08/1979",
        "2026-05-04",
        "2026-06-01",
        str(encounter.id),
    ):
        assert squashed(secret) not in flat, secret
    assert "De-identified record" in text
    assert "[removed] (NHS" not in text and "[removed] ([removed], born [removed])" in text
    assert "age 46 years" in text


def test_deidentified_age_over_89_is_grouped(render: Render) -> None:
    """An age of 90 or more prints as "90 or older", never the exact age."""
    encounter = with_patient(
        example("neck_pain_normal_exam"), date_of_birth=example("c6_radiculopathy").visit_date.replace(year=1930)
    )
    text = all_text(render(encounter, deidentified=True))
    assert "90 or older" in text
    assert not re.search(r"\b9\d years", text)


def test_draft_watermark_on_every_page_of_a_draft_only(render: Render) -> None:
    """A draft says DRAFT on every page and "not signed"; the final note never says DRAFT."""
    draft = render(example("tos_neurogenic"))
    final = render(finalised(example("tos_neurogenic")))
    save_artifact("tos_neurogenic_final", final)
    assert all("DRAFT" in page for page in pages_text(draft))
    assert "not signed: draft" in all_text(draft)
    assert "DRAFT" not in all_text(final)
    assert "signed off 2026-05-04 10:00 UTC" in all_text(final)


@pytest.mark.parametrize(("paper", "size"), [("A4", (595.3, 841.9)), ("Letter", (612.0, 792.0))])
def test_paper_size_follows_the_clinic_profile(
    render: Render, clinic: ClinicProfile, paper: str, size: tuple[float, float]
) -> None:
    """Every page has the profile's paper size."""
    pdf = render(example("c6_radiculopathy"), profile=clinic.model_copy(update={"paper": paper}))
    save_artifact(f"paper_{paper}", pdf)
    for page in reader(pdf).pages:
        assert (round(float(page.mediabox.width), 1), round(float(page.mediabox.height), 1)) == size


def test_logo_is_drawn_in_the_header_of_every_page(render: Render, clinic: ClinicProfile, tmp_path: Path) -> None:
    """A logo from the clinic profile is an image on every page."""
    logo = tmp_path / "logo.png"
    Image.new("RGB", (120, 60), (31, 78, 121)).save(logo)
    pdf = render(example("c6_radiculopathy"), profile=clinic.model_copy(update={"logo_path": logo}))
    save_artifact("with_logo", pdf)
    for page in reader(pdf).pages:
        assert len(page.images) == 1


def test_clinic_default_pretest_probability_is_used_when_the_encounter_has_none(library: Library) -> None:
    """The profile's pre-test probability fills in, and the clinician's own value wins."""
    profile = ClinicProfile(default_pretest_probabilities={"radic.wainner": 0.4})
    encounter = example("c6_radiculopathy")
    filled = profile.apply_defaults(encounter)
    wainner = next(c for c in assess(filled, library).clusters if c.id == "radic.wainner")
    assert wainner.pretest_probability == 0.4
    own = profile.apply_defaults(encounter.model_copy(update={"pretest_probabilities": {"radic.wainner": 0.1}}))
    assert own.pretest_probabilities["radic.wainner"] == 0.1


def test_clinic_profile_rejects_a_missing_logo(tmp_path: Path) -> None:
    """A logo path that does not exist is a validation error naming the file."""
    with pytest.raises(ValueError, match="does not exist"):
        ClinicProfile(logo_path=tmp_path / "missing.png")


def test_twenty_page_free_text_note_flows_and_every_page_is_numbered(render: Render) -> None:
    """A note long enough for 20+ pages flows onto further pages; nothing is cut and every page is numbered."""
    lines = [f"{n:04d} reviewed." for n in range(1, 1201)] + ["Unbroken" + "x" * 500]
    notes = "\n".join(lines)
    assert len(notes) <= 20_000
    pdf = render(example("c6_radiculopathy").model_copy(update={"notes": notes}))
    save_artifact("long_note", pdf)
    pages = pages_text(pdf)
    assert len(pages) >= 20
    for n, text in enumerate(pages, 1):
        assert f"Page {n} of {len(pages)}" in text
    body = squashed("\n".join(pages))
    missing = [line for line in lines if squashed(line) not in body]
    assert missing == []
