"""The simulated patient (what a question or test reveals, the Encounter it forms) and the rules of
an attempt in progress (exam time limit, hints only in learning mode)."""

from __future__ import annotations

from datetime import timedelta

from exam_assistant.library import Library
from exam_assistant.models import Mrc, SidedTest, YesNo
from exam_assistant.practice.case import Case
from exam_assistant.practice.run import act, can_act, interpretable, menu, next_hint, seconds_left, start
from exam_assistant.practice.simulate import encounter_for, full_encounter, reveal


def test_a_described_item_reveals_the_case_response_and_its_recorded_finding(fixture_case: Case,
                                                                             library: Library) -> None:
    """Asking a described question gives the patient's words and the finding as the clinic records it."""
    shown = reveal(fixture_case, library, "history.arm_symptoms")
    assert (shown.says, shown.kind) == ("Only the left arm.", "question")
    options = library.items["history.arm_symptoms"].options
    assert next(o.label for o in options if o.value == "left") == shown.recorded


def test_an_undescribed_test_is_normal_on_both_sides(fixture_case: Case, library: Library) -> None:
    """A sided test the case leaves out is negative left and right, and says so."""
    shown = reveal(fixture_case, library, "tos.roos_east")
    assert isinstance(shown.finding, SidedTest)
    assert (shown.finding.left.result, shown.finding.right.result) == ("negative", "negative")
    assert shown.says.startswith(fixture_case.default_response)


def test_undescribed_yes_no_and_power_are_normal(fixture_case: Case, library: Library) -> None:
    """An undescribed yes/no question answers no; undescribed power is 5/5 both sides."""
    assert YesNo(value="no") == reveal(fixture_case, library, "history.cancer").finding
    assert Mrc(left=5, right=5) == reveal(fixture_case, library, "neuro.power_elbow_extension").finding


def test_an_undescribed_yes_no_follows_the_packs_normal_answer(fixture_case: Case, library: Library) -> None:
    """"No" is not normal everywhere: an undescribed "Alert, GCS 15" is "yes" (the pack's
    normal_answer), and an item with no normal answer reveals only the default response."""
    assert YesNo(value="yes") == reveal(fixture_case, library, "trauma.alert_gcs15").finding
    no_normal = next(i for i in library.items.values() if i.answer == "yes_no" and i.normal_answer is None)
    shown = reveal(fixture_case, library, no_normal.id)
    assert shown.finding is None and shown.says == fixture_case.default_response


def test_an_undescribed_number_reveals_no_finding(fixture_case: Case, library: Library) -> None:
    """A number the case does not give has no normal value: only the default response, no finding."""
    shown = reveal(fixture_case, library, "history.pain_now")
    assert shown.finding is None and fixture_case.default_response == shown.says


def test_encounter_holds_the_simulated_patient_with_the_case_age(fixture_case: Case, library: Library) -> None:
    """The Encounter has the case's age and sex, a teaching setting and only the asked items."""
    enc = encounter_for(fixture_case, library, ["history.arm_symptoms", "radic.spurling", "history.pain_now"])
    assert (enc.age, enc.patient.sex, enc.setting) == (45, "male", "teaching")
    assert {"history.arm_symptoms", "radic.spurling"} == set(enc.findings)


def test_whole_case_answers_every_history_question_and_the_neuro_screen(fixture_case: Case,
                                                                        library: Library) -> None:
    """The whole-case Encounter answers history questions and the full neuro screen, not unrequired tests."""
    enc = full_encounter(fixture_case, library)
    assert "history.night_sweats" in enc.findings
    assert "neuro.reflex_triceps" in enc.findings
    assert "tos.roos_east" not in enc.findings


def test_exam_mode_stops_questions_when_time_runs_out(fixture_case: Case, library: Library) -> None:
    """In exam mode nothing can be asked after the time limit; learning mode has no limit."""
    exam = start(fixture_case, "exam")
    late = exam.started_at + timedelta(minutes=fixture_case.time_limit_minutes, seconds=1)
    assert seconds_left(exam, fixture_case, late) == 0
    assert not act(exam, fixture_case, library, "history.fever", late)
    learning = start(fixture_case, "learning")
    assert seconds_left(learning, fixture_case) is None
    assert act(learning, fixture_case, library, "history.fever", late)


def test_repeated_unknown_and_score_items_are_not_recorded(fixture_case: Case, library: Library) -> None:
    """Each item is recorded once; unknown ids and outcome-score items are refused."""
    attempt = start(fixture_case, "learning")
    assert act(attempt, fixture_case, library, "radic.spurling")
    assert not act(attempt, fixture_case, library, "radic.spurling")
    assert not act(attempt, fixture_case, library, "radic.nope")
    assert not act(attempt, fixture_case, library, "scores.nprs_now")
    assert attempt.actions == ["radic.spurling"]


def test_hints_are_given_in_order_only_in_learning_mode(fixture_case: Case) -> None:
    """Learning mode reveals the hints one by one; exam mode gives none."""
    learning = start(fixture_case, "learning")
    assert [next_hint(learning, fixture_case) for _ in range(3)] == ["First hint.", "Second hint.", None]
    assert learning.hints_used == 2
    exam = start(fixture_case, "exam")
    assert next_hint(exam, fixture_case) is None and exam.hints_used == 0


def test_committed_attempt_cannot_act_any_more(fixture_case: Case, library: Library) -> None:
    """After commit, the attempt is closed."""
    attempt = start(fixture_case, "learning")
    attempt.finished_at = attempt.started_at
    assert not can_act(attempt, fixture_case)


def test_menus_split_questions_from_examination(library: Library) -> None:
    """Questions are history items; examination holds tests and signs; neither holds score items."""
    questions = {m.item_id for m in menu(library, questions=True)}
    tests = {m.item_id for m in menu(library, questions=False)}
    assert "history.fever" in questions and "radic.spurling" in tests
    assert not questions & tests
    assert not any(i.startswith("scores.") for i in questions | tests)


def test_only_performed_tests_and_signs_are_offered_for_interpretation(fixture_case: Case,
                                                                       library: Library) -> None:
    """Interpretation covers performed sided tests and yes/no signs, not questions or graded items."""
    attempt = start(fixture_case, "learning")
    attempt.actions = ["history.fever", "radic.spurling", "neuro.power_wrist_extension", "radic.valsalva"]
    assert interpretable(attempt, library) == ["radic.spurling", "radic.valsalva"]
