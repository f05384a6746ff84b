"""A thoracic case never gets cervical imaging unless a finding points to the neck (issue 11).

Checked over every imaging rule at once: thoracic-only encounters with pairs of leg, cord,
sphincter, systemic and visceral findings never show an imaging suggestion whose first study is
of the cervical spine; adding one finding that points to the neck (upper_back.neck_pointer) brings
the cervical MRI back. Trauma is left out: after an injury the neck decision rules decide.
"""

from __future__ import annotations

from itertools import combinations
from typing import Any

import pytest

from exam_assistant.engine.assessment import Assessment
from exam_assistant.library import Library
from tests.test_exam_rules import choice, mrc, multi, reflex, run, yn


def both(result: str) -> dict[str, Any]:
    return {"kind": "sided_test", "left": {"result": result, "criteria": []}, "right": {"result": result, "criteria": []}}


THORACIC_ONLY: dict[str, Any] = {
    "history.location": multi("thoracic_midline", "interscapular"),
    "history.arm_symptoms": choice("none"),
    "history.below_elbow": yn("no"),
    "history.paraesthesia": yn("no"),
    "history.hand_clumsiness": yn("no"),
    "history.trauma": choice("none"),
}
HANDS_NORMAL: dict[str, Any] = {"neuro.hoffmann": both("negative"), "neuro.inverted_supinator": both("negative")}
BELOW_THE_NECK: list[dict[str, Any]] = [
    {"neuro.babinski": both("positive")},
    {"neuro.clonus": both("positive")},
    {"neuro.gait_abnormal": yn("yes")},
    {"history.gait_imbalance": yn("yes")},
    {"upper_back.knee_reflex": reflex(4, 4)},
    {"upper_back.leg_tone": yn("yes")},
    {"upper_back.leg_power": mrc(3, 3)},
    {"upper_back.ankle_reflex": reflex(0, 0)},
    {"upper_back.sensory_level": yn("yes")},
    {"history.sphincter_change": yn("yes")},
    {"history.saddle_numbness": yn("yes")},
    {"history.leg_symptoms": choice("both_legs")},
    {"history.rapid_progression": yn("yes")},
    {"history.fever": yn("yes")},
    {"history.cancer": yn("yes")},
    {"history.upper_abdominal_pain": choice("right_upper")},
]
NECK_POINTERS: list[dict[str, Any]] = [
    {"neuro.hoffmann": both("positive")},
    {"history.hand_clumsiness": yn("yes")},
    {"history.arm_symptoms": choice("both")},
    {"history.location": multi("neck", "thoracic_midline")},
    {"neuro.lhermitte": yn("yes")},
]


def cervical_first_studies(result: Assessment) -> list[str]:
    return [f"{i.id}: {i.first.study}" for i in result.imaging if i.first and "cervical" in i.first.study.lower()]


def combos() -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for n in (1, 2):
        for picked in combinations(BELOW_THE_NECK, n):
            merged: dict[str, Any] = {}
            for finding in picked:
                merged.update(finding)
            out.append(merged)
    return out


@pytest.mark.parametrize("hands", [HANDS_NORMAL, {}], ids=["hands_examined_normal", "hands_not_examined"])
def test_no_thoracic_case_without_a_neck_finding_gets_cervical_imaging(hands: dict[str, Any], library: Library) -> None:
    """Every combination of one or two leg, cord, sphincter, systemic or visceral findings."""
    offenders = []
    for extra in combos():
        result = run(library, {**THORACIC_ONLY, **hands, **extra}, age=60)
        found = cervical_first_studies(result)
        if found:
            offenders.append((sorted(extra), found))
    assert offenders == []


def test_leg_cord_signs_in_a_thoracic_case_get_whole_spine_mri_not_cervical(library: Library) -> None:
    """The case of the issue: leg upper-motor-neuron signs with an unsteady gait and thoracic pain."""
    result = run(library, {**THORACIC_ONLY, "neuro.clonus": both("positive"), "neuro.gait_abnormal": yn("yes")}, age=60)
    assert "img.thoracic_cord" in {i.id for i in result.imaging}
    assert "img.myelopathy" not in {i.id for i in result.imaging}
    assert cervical_first_studies(result) == []


@pytest.mark.parametrize("pointer", NECK_POINTERS, ids=lambda p: next(iter(p)))
def test_a_finding_that_points_to_the_neck_brings_the_cervical_mri_back(pointer: dict[str, Any], library: Library) -> None:
    findings = {**THORACIC_ONLY, "neuro.babinski": both("positive"), "neuro.gait_abnormal": yn("yes"), **pointer}
    result = run(library, findings, age=60)
    assert "upper_back.neck_pointer" in result.flags
    assert "img.myelopathy" in {i.id for i in result.imaging}


def test_with_the_body_map_unanswered_the_neck_is_assumed(library: Library) -> None:
    """A neck and upper-back tool: without a body map, a cord pattern still gets its cervical MRI."""
    result = run(library, {"neuro.babinski": both("positive"), "neuro.gait_abnormal": yn("yes")}, age=60)
    assert "img.myelopathy" in {i.id for i in result.imaging}
