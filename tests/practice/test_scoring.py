"""Scoring: one group of tests per checklist rule (asked, performed, avoided, interpreted, red_flags,
diagnosis, differential, level, imaging, plan), then penalties, domains and the global rating.

The fixture case (tests/practice/data/teacher/cases/scoring_fixture.yaml) has 21 points.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from exam_assistant.library import Library
from exam_assistant.practice.attempt import InterpretationAnswer
from exam_assistant.practice.case import Case
from exam_assistant.practice.model_answer import model_attempt
from exam_assistant.practice.scoring import Score, score_attempt
from tests.practice.conftest import attempt_for


def line(score: Score, checklist_id: str) -> tuple[float, str]:
    entry = next(c for c in score.checklist if c.id == checklist_id)
    return entry.earned, entry.status


# ------------------------------------------------------------------ asked


def test_asked_check_full_when_at_least_is_met(fixture_case: Case, library: Library) -> None:
    """Two of the three listed questions meet 'at_least: 2' in full."""
    score = score_attempt(fixture_case, attempt_for(fixture_case, ["history.arm_symptoms", "history.fever"]), library)
    assert line(score, "ask") == (2.0, "met")


def test_asked_check_gives_a_share_when_short(fixture_case: Case, library: Library) -> None:
    """One of the two needed questions earns half the points."""
    score = score_attempt(fixture_case, attempt_for(fixture_case, ["history.arm_symptoms"]), library)
    assert line(score, "ask") == (1.0, "partial")


def test_asked_check_missed_names_the_questions_not_asked(fixture_case: Case, library: Library) -> None:
    """Nothing asked earns nothing, and the detail names what was not asked."""
    score = score_attempt(fixture_case, attempt_for(fixture_case), library)
    entry = next(c for c in score.checklist if c.id == "ask")
    assert (entry.earned, entry.status) == (0.0, "missed")
    assert library.items["history.fever"].label in entry.detail


# ------------------------------------------------------------------ performed


def test_performed_check_counts_each_required_test(fixture_case: Case, library: Library) -> None:
    """Performing one of two required tests earns half; both earn all."""
    half = score_attempt(fixture_case, attempt_for(fixture_case, ["radic.ultt_a"]), library)
    full = score_attempt(fixture_case, attempt_for(fixture_case, ["radic.ultt_a", "radic.distraction"]), library)
    assert line(half, "tests") == (1.0, "partial")
    assert line(full, "tests") == (2.0, "met")


# ------------------------------------------------------------------ avoided


def test_avoided_check_met_only_when_the_unsafe_test_is_not_done(fixture_case: Case, library: Library) -> None:
    """The 'avoided' line is earned by not performing Valsalva, lost by performing it."""
    clean = score_attempt(fixture_case, attempt_for(fixture_case, ["radic.ultt_a"]), library)
    unsafe = score_attempt(fixture_case, attempt_for(fixture_case, ["radic.valsalva"]), library)
    assert line(clean, "safe") == (1.0, "met")
    assert line(unsafe, "safe") == (0.0, "missed")


# ------------------------------------------------------------------ interpreted


def test_interpreted_check_full_for_right_result_and_effect(fixture_case: Case, library: Library) -> None:
    """A negative ULTT A read as negative and as lowering the probability earns both halves."""
    answer = InterpretationAnswer(item="radic.ultt_a", side="left", result="negative", effect="lowers")
    score = score_attempt(fixture_case, attempt_for(fixture_case, ["radic.ultt_a"], interpretations=[answer]),
                          library)
    assert line(score, "interp_ultt") == (2.0, "met")


def test_interpreted_check_half_for_right_result_wrong_effect(fixture_case: Case, library: Library) -> None:
    """The right result with the wrong effect earns half the points."""
    answer = InterpretationAnswer(item="radic.ultt_a", side="left", result="negative", effect="little_change")
    score = score_attempt(fixture_case, attempt_for(fixture_case, ["radic.ultt_a"], interpretations=[answer]),
                          library)
    assert line(score, "interp_ultt") == (1.0, "partial")


def test_interpreted_check_needs_the_test_to_have_been_performed(fixture_case: Case, library: Library) -> None:
    """An interpretation of a test never performed earns nothing."""
    answer = InterpretationAnswer(item="radic.ultt_a", side="left", result="negative", effect="lowers")
    score = score_attempt(fixture_case, attempt_for(fixture_case, [], interpretations=[answer]), library)
    assert line(score, "interp_ultt") == (0.0, "missed")


def test_spurling_with_neck_pain_only_must_be_read_as_negative(fixture_case: Case, library: Library) -> None:
    """Spurling's reproducing only neck pain is negative: calling it positive loses the result half."""
    wrong = InterpretationAnswer(item="radic.spurling", side="left", result="positive", effect="little_change")
    right = InterpretationAnswer(item="radic.spurling", side="left", result="negative", effect="little_change")
    bad = score_attempt(fixture_case, attempt_for(fixture_case, ["radic.spurling"], interpretations=[wrong]), library)
    good = score_attempt(fixture_case, attempt_for(fixture_case, ["radic.spurling"], interpretations=[right]), library)
    assert line(bad, "interp_spurling") == (1.0, "partial")
    assert line(good, "interp_spurling") == (2.0, "met")


# ------------------------------------------------------------------ red_flags


def test_red_flags_check_full_when_none_present_and_none_named(fixture_case: Case, library: Library) -> None:
    """With no red flag in the case, naming none earns the line."""
    score = score_attempt(fixture_case, attempt_for(fixture_case), library)
    assert line(score, "flags") == (1.0, "met")


def test_red_flags_check_loses_a_quarter_per_unsupported_flag(fixture_case: Case, library: Library) -> None:
    """Naming a red flag the findings do not support costs a quarter of the line."""
    score = score_attempt(fixture_case, attempt_for(fixture_case, red_flags=["rf.aortic_dissection"]), library)
    assert line(score, "flags") == (0.75, "partial")


def test_red_flags_check_counts_the_expected_flags_identified(make_case: Callable[..., Case], library: Library) -> None:
    """With rf.venous_tos expected, naming it earns the line and missing it earns nothing."""
    case = make_case(findings={"history.arm_swelling": {"kind": "yes_no", "value": "yes"}},
                     expected={"red_flags": ["rf.venous_tos"]})
    named = score_attempt(case, attempt_for(case, red_flags=["rf.venous_tos"]), library)
    missed = score_attempt(case, attempt_for(case), library)
    assert line(named, "flags") == (1.0, "met")
    assert line(missed, "flags") == (0.0, "missed")


def test_red_flag_raised_by_the_library_is_not_a_false_alarm(make_case: Callable[..., Case], library: Library) -> None:
    """A flag the library raises on the whole case is acceptable even when the case does not list it."""
    case = make_case(findings={"history.arm_swelling": {"kind": "yes_no", "value": "yes"}})
    score = score_attempt(case, attempt_for(case, red_flags=["rf.venous_tos"]), library)
    assert line(score, "flags") == (1.0, "met")


# ------------------------------------------------------------------ diagnosis and differential


def test_diagnosis_check_is_all_or_nothing(fixture_case: Case, library: Library) -> None:
    """The most likely diagnosis earns its points only when it is the case's."""
    right = score_attempt(fixture_case, attempt_for(fixture_case, diagnosis="cervical_radiculopathy"), library)
    wrong = score_attempt(fixture_case, attempt_for(fixture_case, diagnosis="neurogenic_tos"), library)
    assert line(right, "dx") == (3.0, "met")
    assert line(wrong, "dx") == (0.0, "missed")


def test_differential_check_counts_acceptable_alternatives_up_to_at_least(fixture_case: Case, library: Library) -> None:
    """One acceptable alternative earns half of 'at_least: 2'; an unacceptable one earns nothing."""
    one = score_attempt(fixture_case, attempt_for(fixture_case, differential=["neurogenic_tos", "aortic_dissection"]),
                        library)
    two = score_attempt(fixture_case, attempt_for(fixture_case, differential=["neurogenic_tos", "shoulder_pathology"]),
                        library)
    assert line(one, "ddx") == (1.0, "partial")
    assert line(two, "ddx") == (2.0, "met")


# ------------------------------------------------------------------ level


@pytest.mark.parametrize(("level", "side", "earned"), [("C6", "left", 2.0), ("C6", "right", 1.0), ("C7", "left", 1.0),
                                                       ("C7", "right", 0.0)])
def test_level_check_marks_level_and_side(fixture_case: Case, library: Library, level: str, side: str,
                                          earned: float) -> None:
    """Level and side both right earn the line; one of them right earns half."""
    score = score_attempt(fixture_case, attempt_for(fixture_case, level=level, side=side), library)
    assert earned == line(score, "level")[0]


# ------------------------------------------------------------------ imaging


@pytest.mark.parametrize(("choice", "earned"), [("none_now", 2.0), ("mri_cervical", 1.0), ("ct_cervical", 0.0),
                                                ("chest_xr", 0.0), (None, 0.0)])
def test_imaging_check_correct_acceptable_unsafe(fixture_case: Case, library: Library, choice: str | None,
                                                 earned: float) -> None:
    """The correct choice earns the line, an acceptable one half, anything else nothing."""
    score = score_attempt(fixture_case, attempt_for(fixture_case, imaging=choice), library)
    assert earned == line(score, "img")[0]


def test_unsafe_imaging_caps_the_global_rating(fixture_case: Case, library: Library) -> None:
    """An unsafe imaging choice caps an otherwise excellent attempt at borderline."""
    attempt = model_attempt(fixture_case, library)
    attempt.answers.imaging = "ct_cervical"
    score = score_attempt(fixture_case, attempt, library)
    assert score.global_rating == "borderline"
    assert "unsafe imaging choice" in score.capped_by


# ------------------------------------------------------------------ plan


@pytest.mark.parametrize(("plan", "earned"), [
    (["reassure_stay_active"], 1.0),
    (["reassure_stay_active", "safety_net"], 2.0),
    (["reassure_stay_active", "safety_net", "physiotherapy"], 2.0),
    (["reassure_stay_active", "safety_net", "cervical_collar"], 1.5),
])
def test_plan_check_share_of_required_steps_less_unsafe_ones(fixture_case: Case, library: Library, plan: list[str],
                                                             earned: float) -> None:
    """Each required step earns its share; an acceptable step is free; an unsafe step costs a quarter."""
    score = score_attempt(fixture_case, attempt_for(fixture_case, plan=plan), library)
    assert earned == line(score, "plan")[0]


# ------------------------------------------------------------------ penalties


def test_unsafe_test_costs_the_penalty_and_caps_the_rating(fixture_case: Case, library: Library) -> None:
    """Performing the case's unsafe test deducts its penalty under safety and caps at borderline."""
    attempt = model_attempt(fixture_case, library)
    attempt.actions = [*attempt.actions, "radic.valsalva"]
    score = score_attempt(fixture_case, attempt, library)
    penalty = next(p for p in score.penalties if p.item == "radic.valsalva")
    assert (penalty.kind, penalty.points, penalty.domain) == ("unsafe", 3.0, "safety")
    assert score.global_rating == "borderline"


def test_library_contraindication_counts_as_an_unsafe_test(make_case: Callable[..., Case], library: Library) -> None:
    """A test the library contraindicates (rf.no_provocation_fracture) is penalised with the rule's reason."""
    case = make_case(findings={"history.osteoporosis": {"kind": "yes_no", "value": "yes"},
                               "history.onset": {"kind": "choice", "value": "sudden"}})
    score = score_attempt(case, attempt_for(case, ["radic.distraction"]), library)
    penalty = next(p for p in score.penalties if p.item == "radic.distraction")
    rule = library.rules["rf.no_provocation_fracture"]
    assert penalty.kind == "unsafe"
    assert rule.effect.why == penalty.why  # type: ignore[union-attr]


def test_unnecessary_tests_cost_points_up_to_the_cap(fixture_case: Case, library: Library) -> None:
    """Tests outside the case's list cost 0.5 each, at most 1 in all (the fixture's cap)."""
    attempt = attempt_for(fixture_case, ["tos.adson", "tos.wright", "tos.roos_east"])
    score = score_attempt(fixture_case, attempt, library)
    unnecessary = [p for p in score.penalties if p.kind == "unnecessary"]
    assert [p.item for p in unnecessary] == ["tos.adson", "tos.wright"]
    assert sum(p.points for p in unnecessary) == 1.0


def test_reasonable_tests_and_history_questions_are_never_unnecessary(fixture_case: Case, library: Library) -> None:
    """A 'neuro.*' test and any history question carry no penalty."""
    attempt = attempt_for(fixture_case, ["neuro.reflex_biceps", "history.weight_loss", "history.smoker"])
    assert score_attempt(fixture_case, attempt, library).penalties == []


# ------------------------------------------------------------------ totals, domains, rating


def test_model_answer_scores_every_point_and_rates_excellent(fixture_case: Case, library: Library) -> None:
    """Following the case's key actions and expected answers earns 21 of 21."""
    score = score_attempt(fixture_case, model_attempt(fixture_case, library), library)
    assert (score.total, score.maximum, score.percent, score.global_rating) == (21.0, 21.0, 100.0, "excellent")


def test_empty_attempt_is_a_clear_fail_and_never_negative(fixture_case: Case, library: Library) -> None:
    """An empty attempt (plus an unsafe test) scores 0, not below, and is a clear fail."""
    score = score_attempt(fixture_case, attempt_for(fixture_case, ["radic.valsalva"]), library)
    assert score.total >= 0
    assert score.global_rating == "clear_fail"


def test_missed_critical_item_caps_the_rating_at_borderline(fixture_case: Case, library: Library) -> None:
    """Everything right but the critical diagnosis (18 of 21, 85.7%) is capped at borderline."""
    attempt = model_attempt(fixture_case, library)
    attempt.answers.diagnosis = "neurogenic_tos"
    score = score_attempt(fixture_case, attempt, library)
    assert score.percent == 85.7
    assert score.global_rating == "borderline"
    assert any("critical" in why for why in score.capped_by)


def test_missed_emergency_red_flag_is_a_clear_fail(make_case: Callable[..., Case], library: Library) -> None:
    """An expected EMERGENCY red flag left out makes the rating a clear fail whatever the points."""
    case = make_case(expected={"red_flags": ["rf.aortic_dissection"]})
    attempt = model_attempt(case, library)
    attempt.answers.red_flags = []
    score = score_attempt(case, attempt, library)
    assert score.global_rating == "clear_fail"


def test_exam_mode_over_the_time_limit_is_reported(fixture_case: Case, library: Library) -> None:
    """Finishing after the 5-minute limit is flagged in exam mode, never in learning mode."""
    exam = attempt_for(fixture_case)
    exam.mode = "exam"
    exam.finished_at = exam.started_at + timedelta(minutes=6)
    learning = attempt_for(fixture_case)
    learning.finished_at = learning.started_at + timedelta(minutes=6)
    assert score_attempt(fixture_case, exam, library).overtime
    assert not score_attempt(fixture_case, learning, library).overtime


def test_domains_add_checklist_points_and_subtract_penalties(fixture_case: Case, library: Library) -> None:
    """The safety domain shows the avoided line lost and the unsafe penalty deducted."""
    score = score_attempt(fixture_case, attempt_for(fixture_case, ["radic.valsalva", "radic.ultt_a"]), library)
    domains = {d.domain: d for d in score.domains}
    assert (domains["safety"].earned, domains["safety"].available, domains["safety"].percent) == (-3.0, 1.0, 0.0)
    assert (domains["test_selection"].earned, domains["test_selection"].available,
                                domains["test_selection"].percent) == (1.0, 2.0, 50.0)


def test_attempt_for_another_case_is_refused(fixture_case: Case, library: Library) -> None:
    """Marking an attempt against the wrong case is an error, not a silent zero."""
    attempt = attempt_for(fixture_case)
    attempt.case_id = "c6_radiculopathy"
    with pytest.raises(ValueError, match="attempt is for case"):
        score_attempt(fixture_case, attempt, library)
