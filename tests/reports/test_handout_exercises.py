"""Home exercises on the patient handout: named by the condition guide, drawn, and held back like any advice."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import get_args

import pytest

from exam_assistant.engine.assess import assess
from exam_assistant.exercises import FigureName
from exam_assistant.library import Library, PackSource, build_library, builtin_protocol_dir
from exam_assistant.models import Encounter
from reports.exercise_figures import FIGURES
from reports.handout import render_handout
from reports.handout_content import handout_content, home_exercises
from tests.reports.pdftext import all_text, reader, squashed

REPO = Path(__file__).resolve().parents[2]
NECK_PAIN = REPO / "examples" / "encounters" / "neck_pain_normal_exam.json"
HEADING = "Exercises to do at home"


def load(path: Path) -> Encounter:
    return Encounter.model_validate_json(path.read_text(encoding="utf-8"))


def with_findings(encounter: Encounter, *yes_items: str) -> Encounter:
    data = encounter.model_dump(mode="json")
    data["findings"].update({i: {"kind": "yes_no", "value": "yes"} for i in yes_items})
    return Encounter.model_validate(data)


def test_every_figure_a_pack_may_name_is_drawn() -> None:
    assert set(get_args(FigureName)) == set(FIGURES)


def test_neck_pain_handout_prints_the_exercises_with_their_steps_and_when_to_stop(library: Library) -> None:
    encounter = load(NECK_PAIN)
    pdf = render_handout(encounter, assess(encounter, library), library, invariant=True)
    assert len(reader(pdf).pages) <= 2
    text = squashed(all_text(pdf))
    given = library.conditions["nonspecific_neck_pain"].patient.exercises
    assert given, "the non-specific neck pain entry names its home exercises"
    assert squashed(HEADING) in text
    for exercise_id in given:
        exercise = library.exercises[exercise_id]
        assert squashed(exercise.name) in text
        assert squashed(exercise.steps[0].text) in text
        assert squashed(exercise.stop_if[0].text) in text


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")
def test_exercise_figures_are_drawn_on_the_page(tmp_path: Path, library: Library) -> None:
    """The figures are vector drawings: the page with the exercises carries far more ink than text alone."""
    encounter = load(NECK_PAIN)
    pdf = render_handout(encounter, assess(encounter, library), library, invariant=True)
    (tmp_path / "h.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(tmp_path / "h.pdf"), str(tmp_path / "p")], check=True)
    assert sorted(p.name for p in tmp_path.glob("p-*.png"))
    # the drawing operators of the figures are in the content stream of a page
    streams = b"".join(page.get_contents().get_data() for page in reader(pdf).pages)  # type: ignore[union-attr]
    assert streams.count(b" c\n") + streams.count(b" c ") > 10, "no curves: the figures' circles were not drawn"


def test_a_red_flag_that_holds_back_self_care_takes_the_exercises_off(library: Library) -> None:
    """Fever with neck pain raises a spinal-infection flag: the leaflet gives no home exercises beside it."""
    calm = load(NECK_PAIN)
    febrile = with_findings(calm, "history.fever")
    assessment = assess(febrile, library)
    assert assessment.red_flags, "fever should raise a red flag in this encounter"
    entry = library.conditions["nonspecific_neck_pain"]
    assert home_exercises([entry], assess(calm, library), library)  # allowed without the flag
    assert home_exercises([entry], assessment, library) == []
    headings = [s.heading for s in handout_content(febrile, assessment, library).sections]
    assert HEADING not in headings


def test_an_emergency_handout_gives_no_exercises(library: Library) -> None:
    encounter = load(REPO / "examples" / "encounters" / "emergency_aortic_dissection.json")
    text = all_text(render_handout(encounter, assess(encounter, library), library, invariant=True))
    assert HEADING not in text


def test_an_entry_naming_an_unknown_exercise_is_left_out_with_file_and_line(tmp_path: Path) -> None:

    packs = tmp_path / "packs"
    shutil.copytree(builtin_protocol_dir(), packs)
    conditions = packs / "conditions.yaml"
    text = conditions.read_text(encoding="utf-8")
    assert "exercises: [neck_side_tilt, neck_turn]" in text
    conditions.write_text(text.replace("exercises: [neck_side_tilt, neck_turn]",
                                       "exercises: [neck_side_tilt, no_such_exercise]"), encoding="utf-8")
    line = next(i for i, row in enumerate(conditions.read_text(encoding="utf-8").splitlines(), 1)
                if "no_such_exercise" in row)
    lib = build_library([PackSource(packs, "test")])
    problems = [p for p in lib.problems if "no_such_exercise" in p.message]
    assert len(problems) == 1
    assert problems[0].source.endswith("conditions.yaml")
    assert problems[0].line is not None and abs(problems[0].line - line) <= 1
    assert "myofascial_pain" not in lib.conditions  # that entry is left out, the others load
    assert "nonspecific_neck_pain" in lib.conditions
