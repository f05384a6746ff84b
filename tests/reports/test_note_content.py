"""What the note says: every section in order, page numbering, metadata, red flags on page 1, references."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from exam_assistant.engine.assess import assess
from exam_assistant.library import Library
from exam_assistant.models import Encounter, Number, SidedTest, SideResult, Text, YesNo
from tests.reports.conftest import EXAMPLES, Render, example, finalised, save_artifact
from tests.reports.pdftext import all_text, pages_text, reader, squashed

SECTIONS_IN_ORDER = [  # the short note, then the appendix with the evidence in full
    "Clinical note: neck, upper back and arm examination",
    "URGENCY:",
    "Working diagnosis:",
    "Plan decided",
    "Findings",
    "Reported by the patient",
    "Examination",
    "Assessment",
    "Plan",
    "Safety-netting",
    "Clinician's notes",
    "Signature",
    "This note was prepared with Exam Assistant",
    "Appendix",
    "History and red-flag screen",
    "Examination in full",
    "Tests",
    "Neurological screen by level",
    "Test clusters",
    "Differential diagnosis",
    "Protocol suggestions",
    "Imaging",
    "References",
]


@pytest.fixture(scope="module")
def c6_pdf(render: Render) -> bytes:
    pdf = render(finalised(example("c6_radiculopathy")))
    save_artifact("c6_radiculopathy_final", pdf)
    return pdf


def test_every_section_heading_is_in_the_note_in_the_issue_order(c6_pdf: bytes) -> None:
    """Each heading of the issue's content list appears, and in that order."""
    text = all_text(c6_pdf)
    positions: list[int] = []
    for heading in SECTIONS_IN_ORDER:
        found = [m.start() for m in re.finditer(re.escape(heading), text)]
        assert found, f"missing section: {heading}"
        later = [p for p in found if not positions or p > positions[-1]]
        assert later, f"section out of order: {heading}"
        positions.append(later[0])


def test_signature_block_has_name_role_registration_signature_and_date(c6_pdf: bytes) -> None:
    """The signature block names the clinician, role and registration and has the signing date."""
    last = next(t for t in pages_text(c6_pdf) if "Registration no." in t)
    for expected in (
        "Clinician",
        "Dr Sam Okafor",
        "Role",
        "general practitioner",
        "Registration no.",
        "GMC 7654321",
        "Signature",
        "Date",
        "2026-05-04",
    ):
        assert expected in last


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.json")), ids=lambda p: p.stem)
def test_every_page_of_every_example_says_page_x_of_y(render: Render, path: Path) -> None:
    """Each page carries "Page X of Y" with its own number and the true total."""
    pdf = render(example(path.stem))
    save_artifact(path.stem, pdf)
    pages = pages_text(pdf)
    assert len(pages) >= 2
    for n, text in enumerate(pages, 1):
        assert f"Page {n} of {len(pages)}" in text


def test_metadata_has_title_author_subject_and_the_generation_time(c6_pdf: bytes) -> None:
    """Title names the patient and visit, author the clinician; the creation date is generated_at."""
    meta = reader(c6_pdf).metadata
    assert meta is not None
    assert meta.title == "Clinical note: Maria Fernández, 2026-05-04"
    assert meta.author == "Dr Sam Okafor"
    assert meta.subject is not None and "urgency ROUTINE" in meta.subject
    assert str(meta["/CreationDate"]).startswith("D:20260504120000")


def test_footer_has_generation_time_app_version_and_protocol_versions(c6_pdf: bytes, library: Library) -> None:
    """Every page's footer names when and by which version it was made, and the protocol versions."""
    radic = library.packs["radiculopathy"].pack.version
    for text in pages_text(c6_pdf):
        assert "Generated 2026-05-04 12:00 UTC by Exam Assistant" in text
        assert f"radiculopathy {radic}" in text


@pytest.mark.parametrize("case", ["emergency example", "three flags of three tiers"])
def test_summary_box_on_page_one_lists_every_red_flag_with_its_action(
    render: Render, library: Library, note_library: Library, case: str
) -> None:
    """Every red flag, with its action, sits on page 1, most urgent first, before any other section."""
    if case == "emergency example":
        encounter, lib = example("emergency_aortic_dissection"), library
    else:
        encounter, lib = emergency_note_encounter(), note_library
    result = assess(encounter, lib)
    assert result.red_flags and result.urgency == "EMERGENCY"
    pdf = render(encounter, lib=lib)
    save_artifact(f"red_flags_{case.replace(' ', '_')}", pdf)
    first = pages_text(pdf)[0]
    assert "URGENCY: EMERGENCY" in first
    body = squashed(first)
    for n, flag in enumerate(result.red_flags, 1):
        assert f"Red flag {n} of {len(result.red_flags)}" in first
        assert squashed(flag.title) in body
        assert squashed(flag.action) in body
    assert first.index("URGENCY: EMERGENCY") < first.index("Red flag 1 of")
    assert "Findings" not in first or first.index("Red flag 1 of") < first.index("Findings")
    tiers = [first.index(f"Red flag {n} of") for n in range(1, len(result.red_flags) + 1)]
    assert tiers == sorted(tiers)


def test_no_red_flag_is_said_plainly_and_unanswered_screen_is_not_negative(render: Render) -> None:
    """Without red flags the box says so, the negative screen is one line, and unasked questions
    count as unknown."""
    first = pages_text(render(example("neck_pain_normal_exam")))[0]
    assert "URGENCY: ROUTINE" in first
    assert re.search(r"Red-flag screen negative: \d+ items, listed in the appendix\.", first)
    assert "not asked: unknown, not negative" in squashed(first) or "not asked: unknown, not" in first


def test_only_cited_references_are_listed(render: Render, note_library: Library) -> None:
    """A reference that no printed entry cites is left out; the cited ones are numbered."""
    encounter = note_encounter()
    text = all_text(render(encounter, lib=note_library))
    assert "Layout A. A reference cited by the red flag" in text
    assert "Layout B. A reference cited by the plan" in text
    assert "Layout C" not in text


def test_every_reference_of_the_assessment_is_listed(c6_pdf: bytes, library: Library) -> None:
    """Every reference the assessment cites is in the reference list of the note."""
    result = assess(finalised(example("c6_radiculopathy")), library)
    body = squashed(all_text(c6_pdf))
    for key in result.references:
        assert squashed(library.references[key].citation[:60]) in body, key


def test_tests_table_shows_sides_criterion_and_interpretation(c6_pdf: bytes) -> None:
    """Spurling's test row shows the side, the reproduced symptom and "Positive left"."""
    text = squashed(all_text(c6_pdf))
    assert squashed("Spurling's test") in text
    assert squashed("L: Arm pain reproduced") in text
    assert squashed("Positive left") in text


def test_neuro_screen_has_a_row_per_level_and_marks_the_abnormal_side(c6_pdf: bytes) -> None:
    """Levels C4 to T1 are rows; the reduced C6 findings on the left are marked."""
    text = all_text(c6_pdf)
    for level in ("C4", "C5", "C6", "C7", "C8", "T1"):
        assert level in text
    assert "▼ reduced" in text
    assert "▼ 4/5" in text
    assert "Abnormal: C6 (SPR)" in text


def test_cluster_shows_pre_and_post_test_probability(c6_pdf: bytes, library: Library) -> None:
    """The Wainner cluster's post-test probability printed matches the engine's."""
    result = assess(finalised(example("c6_radiculopathy")), library)
    wainner = next(c for c in result.clusters if c.id == "radic.wainner")
    assert wainner.posttest_probability is not None
    assert f"{wainner.posttest_probability * 100:.0f}% after" in all_text(c6_pdf)


def test_plan_gives_review_dates_as_calendar_dates(render: Render, note_library: Library) -> None:
    """A review in N weeks prints the date N weeks after the visit."""
    text = squashed(all_text(render(note_encounter(red_flag=False), lib=note_library)))
    assert squashed("No imaging now. Review in 6 weeks (2026-06-15)") in text
    assert squashed("in 4 weeks (2026-06-01)") in text
    assert squashed("Safety-netting • Return at once if weakness spreads") in text


def test_held_back_advice_is_named_with_the_reason(render: Render, note_library: Library) -> None:
    """With a red flag raised, "no imaging now" is not offered but listed as held back, with why."""
    first = pages_text(render(note_encounter(), lib=note_library))[0]
    assert "No imaging now." not in first
    box = squashed(first)
    assert squashed("Held back until") in box and squashed("No imaging yet") in box


def test_a_finding_no_protocol_defines_is_listed_not_dropped(render: Render, note_library: Library) -> None:
    """A finding for an unknown item id still appears, with its id."""
    encounter = note_encounter()
    findings = {**encounter.findings, "clinic.local_test": YesNo(value="yes")}
    text = all_text(render(encounter.model_copy(update={"findings": findings}), lib=note_library))
    assert "clinic.local_test (not in the loaded protocols)" in text


def emergency_note_encounter() -> Encounter:
    """The test-pack encounter with an EMERGENCY, a SAME_DAY and a ROUTINE red flag."""
    encounter = note_encounter()
    findings = {
        **encounter.findings,
        "note.temperature": Number(value=39.8, unit="°C"),
        "note.duration": Number(value=30),
    }
    return encounter.model_copy(update={"findings": findings})


def note_encounter(red_flag: bool = True) -> Encounter:
    """An encounter for the test pack: a full cluster and a plan, with a SAME_DAY red flag unless told."""
    base = example("c6_radiculopathy")
    return base.model_copy(
        update={
            "findings": {
                "note.fever": YesNo(value="yes" if red_flag else "no"),
                "note.night_pain": YesNo(value="yes"),
                "note.work": Text(value="Carpenter"),
                "note.spurling": SidedTest(
                    left=SideResult(result="positive", criteria=["arm_pain"]), right=SideResult(result="negative")
                ),
                "note.distraction": SidedTest(left=SideResult(result="positive"), right=SideResult(result="negative")),
            },
            "protocols": [],
        }
    )
