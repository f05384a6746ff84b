"""The patient handout: plain words (Flesch reading ease), at most two pages, red flags named calmly, any script."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from exam_assistant.engine.assess import assess
from exam_assistant.library import Library
from exam_assistant.models import Encounter
from exam_assistant.readability import flesch_reading_ease
from reports.handout import render_handout
from reports.handout_content import EMERGENCY_HEADING, handout_content
from reports.options import ClinicProfile
from tests.reports.pdftext import all_text, reader, squashed

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((REPO / "examples" / "encounters").glob("*.json"))
ARTIFACTS = REPO / "artifacts" / "handout"
CLINIC = ClinicProfile(name="Riverside Spine & Physio", address="12 Mill Lane, Exeter EX1 2AB", phone="+44 1392 000000")
WHEN = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)
ALARMING = ("lethal", "deadly", "fatal", "die ", "death", "dangerous", "cancer")


def load(path: Path) -> Encounter:
    return Encounter.model_validate_json(path.read_text(encoding="utf-8"))


def handout(encounter: Encounter, library: Library) -> bytes:
    return render_handout(encounter, assess(encounter, library), library, CLINIC, generated_at=WHEN, invariant=True)


def yes(*item_ids: str) -> dict[str, dict[str, str]]:
    return {i: {"kind": "yes_no", "value": "yes"} for i in item_ids}


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_handout_of_each_example_is_plain_english_on_at_most_two_pages(path: Path, library: Library) -> None:
    """Flesch reading ease of the text read back from the PDF is 60 or more; the emergency section is always there."""
    pdf = handout(load(path), library)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"{path.stem}.pdf").write_bytes(pdf)
    text = all_text(pdf)
    assert len(reader(pdf).pages) <= 2
    assert flesch_reading_ease(text) >= 60, flesch_reading_ease(text)
    assert squashed(EMERGENCY_HEADING) in squashed(text)
    for heading in ("What we found", "What it probably is", "What to do now", "When to come back"):
        assert heading in text
    assert "Riverside Spine & Physio" in text  # the clinic's header


def test_plan_is_labelled_as_suggested_when_nothing_was_decided(library: Library) -> None:
    encounter = load(REPO / "examples" / "encounters" / "c6_radiculopathy.json")
    text = all_text(handout(encounter, library))
    assert "The plan we suggest" in text and "Your clinician will go through it with you" in text
    assert "Cervical radiculopathy" in text and "nerve in your neck" in text


def test_red_flag_condition_is_named_calmly_and_never_hidden(library: Library) -> None:
    """The aortic dissection example: a check to make quickly, with its reason, and no alarming words."""
    encounter = load(REPO / "examples" / "encounters" / "emergency_aortic_dissection.json")
    content = handout_content(encounter, assess(encounter, library), library)
    headings = [s.heading for s in content.sections]
    # an emergency puts the warning signs straight after the condition to check, on page 1
    assert headings.index(EMERGENCY_HEADING) == headings.index("What we want to check quickly") + 1
    emergency = {d for f in assess(encounter, library).red_flags if f.tier == "EMERGENCY" for d in f.suggests}
    allowed = {s.text for d in emergency if d in library.conditions for s in library.conditions[d].patient.what_to_do}
    to_do = next(s for s in content.sections if s.heading == "What to do now")
    assert to_do.bullets and set(to_do.bullets) <= allowed  # no routine self-care beside the emergency action
    text = all_text(handout(encounter, library))
    assert "Acute aortic dissection" in text and "because" in text
    lowered = squashed(text.lower())
    for word in ALARMING:
        assert squashed(word) not in lowered, word


def test_many_red_flags_still_fit_two_pages_and_each_is_named(library: Library) -> None:
    """Several must-not-miss conditions at once: every one is explained, the leaflet still fits two pages."""
    encounter = Encounter.model_validate({
        "patient": {"name": "Ana Silva", "date_of_birth": "1950-02-03", "sex": "female"},
        "findings": yes("history.fever", "history.cancer", "history.weight_loss", "history.arm_swelling",
                        "history.arm_cyanosis", "history.abrupt_severe_pain", "history.sudden_unusual_headache",
                        "history.neuro_vascular_symptoms", "history.chest_pain", "history.autonomic_symptoms",
                        "history.osteoporosis", "history.steroids", "history.smoker"),
    })
    assessment = assess(encounter, library)
    pdf = render_handout(encounter, assessment, library, CLINIC, generated_at=WHEN)
    assert len(reader(pdf).pages) <= 2
    text = squashed(all_text(pdf))
    suggested = {d for flag in assessment.red_flags for d in flag.suggests if d in library.conditions}
    assert len(suggested) >= 3
    for dx_id in suggested:
        assert squashed(re.sub(r"\s*\([^()]*\)\s*$", "", library.diagnoses[dx_id].name)) in text, dx_id
    assert flesch_reading_ease(all_text(pdf)) >= 60


def test_decisions_replace_the_suggested_plan(library: Library) -> None:
    """When the encounter records the clinician's decisions, the handout shows them, not the suggestions:
    accepted suggestions in the guide's plain words, changed ones as changed, declined ones not at all."""
    encounter = load(REPO / "examples" / "encounters" / "c6_radiculopathy.json")
    data = encounter.model_dump(mode="json")
    data["decisions"] = {
        "suggestions": [
            {"suggestion": "img.radiculopathy_early", "kind": "imaging", "status": "accepted"},
            {"suggestion": "img.radiculopathy_early:review", "kind": "review", "status": "accepted"},
            {"suggestion": "tx.radiculopathy:3", "kind": "treatment", "status": "changed",
             "change": "Physio twice a week for four weeks."},
            {"suggestion": "tx.radiculopathy:1", "kind": "treatment", "status": "declined", "reason": "Asthma."},
        ],
        "imaging_requests": [{"study": "MRI of the neck", "urgency": "routine"}],
        "advice": ["Walk every day."], "follow_up": "2026-06-15",
    }
    decided = Encounter.model_validate(data)
    text = " ".join(all_text(handout(decided, library)).split())
    assert "What we decided" in text and "The plan we suggest" not in text
    assert "A scan: MRI of the neck." in text and "Walk every day." in text
    assert "Your next visit: 2026-06-15." in text
    assert "Physio twice a week for four weeks." in text and "Asthma" not in text
    plain = " ".join(s.text for s in library.conditions["cervical_radiculopathy"].patient.next_step)
    assert plain in text and "six weeks" not in text  # the decided date, not the guide's usual timing
    without_date = Encounter.model_validate({**data, "decisions": {**data["decisions"], "follow_up": None}})
    assert "We will see you again in about 4 weeks" in " ".join(all_text(handout(without_date, library)).split())
    assert flesch_reading_ease(text) >= 60


NAMES = {
    "arabic": "سارة عبد الله",
    "hebrew": "שלום כהן",
    "cjk": "王小明",
    "greek": "Ναταλία Παπαδοπούλου",
    "cyrillic": "Наталья Иванова",
    "markup": "<b>Tom</b> &amp; x<y",
}


@pytest.mark.parametrize("kind", list(NAMES))
def test_patient_name_in_any_script_prints_as_typed(kind: str, library: Library) -> None:
    encounter = load(REPO / "examples" / "encounters" / "neck_pain_normal_exam.json")
    encounter = encounter.model_copy(update={"patient": encounter.patient.model_copy(update={"name": NAMES[kind]})})
    pdf = handout(encounter, library)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"name_{kind}.pdf").write_bytes(pdf)
    text = all_text(pdf)
    assert squashed(NAMES[kind]) in squashed(text)
    if kind == "markup":
        assert text.count("<b>Tom</b> &amp; x<y") >= 2  # header and body, never applied as markup


def test_cli_writes_the_handout_and_reports_a_missing_file(tmp_path: Path) -> None:
    out = tmp_path / "h.pdf"
    ok = subprocess.run([sys.executable, "-m", "exam_assistant.cli", "export", "handout",
                         str(REPO / "examples" / "encounters" / "c6_radiculopathy.json"), "-o", str(out)],
                        capture_output=True, text=True, cwd=REPO, timeout=120)
    assert ok.returncode == 0, ok.stderr
    pdf = out.read_bytes()
    assert len(reader(pdf).pages) <= 2 and flesch_reading_ease(all_text(pdf)) >= 60
    missing = subprocess.run([sys.executable, "-m", "exam_assistant.cli", "export", "handout",
                              str(tmp_path / "nope.json"), "-o", str(out)],
                             capture_output=True, text=True, cwd=REPO, timeout=120)
    assert missing.returncode == 3 and "does not exist" in missing.stderr


def test_each_handout_page_renders_to_png(tmp_path: Path, library: Library) -> None:
    """Every page of every example handout rasterises (kept under artifacts/handout/ for a look)."""
    if shutil.which("pdftoppm") is None:
        if os.environ.get("EXAM_ASSISTANT_REQUIRE_ALL") == "1":
            pytest.fail("pdftoppm (poppler-utils) is required")
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for path in EXAMPLES:
        source = tmp_path / f"{path.stem}.pdf"
        source.write_bytes(handout(load(path), library))
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(source), str(ARTIFACTS / path.stem)], check=True,
                       timeout=60)
        pngs = sorted(ARTIFACTS.glob(f"{path.stem}-*.png"))
        assert 1 <= len(pngs) <= 2 and all(p.stat().st_size > 1000 for p in pngs)


def test_without_a_condition_guide_the_emergency_section_is_still_there(note_library: Library) -> None:
    """A clinic library with no condition guide still prints every section, the emergency one included."""
    assert not note_library.conditions
    encounter = load(REPO / "examples" / "encounters" / "c6_radiculopathy.json")
    pdf = render_handout(encounter, assess(encounter, note_library), note_library, CLINIC, generated_at=WHEN)
    text = all_text(pdf)
    assert squashed(EMERGENCY_HEADING) in squashed(text) and "You feel much worse" in text
    assert "What it probably is" in text and len(reader(pdf).pages) <= 2


def test_letter_paper_with_many_red_flags_still_fits_two_pages(library: Library) -> None:
    encounter = Encounter.model_validate({
        "patient": {"name": "Ana Silva", "date_of_birth": "1950-02-03", "sex": "female"},
        "findings": yes("history.fever", "history.cancer", "history.weight_loss", "history.arm_swelling",
                        "history.abrupt_severe_pain", "history.sudden_unusual_headache", "history.chest_pain",
                        "history.autonomic_symptoms", "history.osteoporosis", "history.smoker"),
    })
    letter = CLINIC.model_copy(update={"paper": "Letter"})
    pdf = render_handout(encounter, assess(encounter, library), library, letter, generated_at=WHEN)
    assert len(reader(pdf).pages) <= 2
    assert squashed(EMERGENCY_HEADING) in squashed(all_text(pdf))


def test_a_declined_scan_drops_the_scan_advice_but_keeps_the_condition_named(library: Library) -> None:
    """Venous TOS with its duplex declined (with a reason): no 'go to the scan', the condition still explained."""
    data = {"patient": {"name": "Kim Lee", "date_of_birth": "1995-02-03", "sex": "male"},
            "findings": yes("history.arm_swelling", "history.arm_cyanosis")}
    plain = Encounter.model_validate(data)
    assert "img.vtos" in {im.id for im in assess(plain, library).imaging}
    scan_advice = library.conditions["venous_tos"].patient.what_to_do[0].text
    assert scan_advice in " ".join(all_text(handout(plain, library)).split())
    declined = Encounter.model_validate({**data, "decisions": {"suggestions": [
        {"suggestion": "img.vtos", "kind": "imaging", "status": "declined", "beside_red_flag": True,
         "reason": "Duplex already done this morning at the hospital."}]}})
    text = " ".join(all_text(handout(declined, library)).split())
    assert scan_advice not in text
    assert "Venous thoracic outlet syndrome" in text and squashed(EMERGENCY_HEADING) in squashed(text)
