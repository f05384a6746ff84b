"""The practice page under Streamlit's AppTest: a whole case in learning mode and in exam mode."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

from exam_assistant.library import Library
from exam_assistant.practice.attempt import Attempt
from exam_assistant.practice.case import Case
from exam_assistant.practice.loader import CaseLibrary
from exam_assistant.practice.model_answer import model_attempt
from exam_assistant.practice.simulate import is_question

HINT_ICON = ":material/lightbulb:"

PAGE = Path(__file__).resolve().parents[2] / "exam_assistant" / "ui" / "pages" / "practice.py"


def open_page() -> AppTest:
    at = AppTest.from_file(str(PAGE), default_timeout=60)
    at.run()
    assert not at.exception
    return at


def start_case(at: AppTest, case_id: str, mode: str, student: str) -> None:
    at.selectbox(key="practice.case").set_value(case_id)
    at.radio(key="practice.mode").set_value(mode)
    at.text_input(key="practice.student").input(student)
    at.button(key="practice.start").click().run()
    assert not at.exception


def pill_of(at: AppTest, library: Library, item_id: str) -> Any:
    """The pills row (one section of the Ask or Examine list) that offers ``item_id`` (by its label)."""
    label = library.items[item_id].label
    for pills in at.pills:
        shown = [o.replace("\\", "") for o in pills.options]
        if str(pills.key).startswith(("practice.ask.", "practice.perform.")) and label in shown:
            return pills
    raise LookupError(f"{item_id} is not offered")


def do(at: AppTest, library: Library, item_id: str) -> None:
    """Ask the question or perform the test: one click on its pill."""
    pills = pill_of(at, library, item_id)
    assert pills.key.startswith("practice.ask." if is_question(library.items[item_id]) else "practice.perform.")
    pills.set_value(item_id).run()
    assert not at.exception


def commit(at: AppTest, case: Case, library: Library, model: Attempt) -> None:
    """Fill the commit form with the model answer and submit it."""
    key = "practice.answer"
    for answer in model.answers.interpretations:
        at.radio(key=f"{key}.{answer.item}.result").set_value(answer.result)
        at.radio(key=f"{key}.{answer.item}.effect").set_value(answer.effect)
    at.multiselect(key=f"{key}.red_flags").set_value(model.answers.red_flags)
    at.selectbox(key=f"{key}.diagnosis").set_value(model.answers.diagnosis)
    at.multiselect(key=f"{key}.differential").set_value(model.answers.differential)
    at.selectbox(key=f"{key}.level").set_value(model.answers.level)
    at.selectbox(key=f"{key}.side").set_value(model.answers.side)
    at.selectbox(key=f"{key}.imaging").set_value(model.answers.imaging)
    at.multiselect(key=f"{key}.plan").set_value(model.answers.plan)
    next(b for b in at.button if b.label == "Commit and see feedback").click().run()
    assert not at.exception


def test_whole_case_in_learning_mode_with_hints_technique_and_feedback(cases: CaseLibrary, library: Library) -> None:
    """Learning mode: the patient answers, technique help and hints show, and the model answer scores 100%."""
    case = cases.get("c7_radiculopathy")
    assert case is not None
    model = model_attempt(case, library)
    at = open_page()
    start_case(at, case.id, "Learning", "learner one")
    assert case.title in [h.value for h in at.header]

    at.selectbox(key="practice.how_choice").set_value("radic.spurling").run()
    assert any("How to perform" in e.label for e in at.expander)  # technique help in learning mode
    pill_of(at, library, "radic.spurling")  # still offered: the help does not perform the test
    at.button(key="practice.hint").click().run()
    assert f"Hint (1 of {len(case.hints)} used)" == at.button(key="practice.hint").label
    assert [case.hints[0]] == [c.value.replace("\\", "").removeprefix(HINT_ICON + " ") for c in at.caption
                                if c.value.startswith(HINT_ICON)]

    for item_id in model.actions:
        do(at, library, item_id)
    found = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert "That hurts my neck" in found  # Spurling's simulated response

    commit(at, case, library, model)
    assert ["Feedback: " + case.title] == [h.value.replace("\\", "") for h in at.header]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Global rating"] == "Excellent"
    assert metrics["Score"].startswith("29 / 29")
    assert any("Saved to the progress" in s.value.replace("\\", "") for s in at.success)
    assert at.dataframe  # domains table and the progress table


def test_whole_case_in_exam_mode_has_a_timer_and_no_hints(cases: CaseLibrary, library: Library) -> None:
    """Exam mode: a countdown, no hint button, no technique help; an imperfect attempt is marked and capped."""
    case = cases.get("aortic_dissection")
    assert case is not None
    model = model_attempt(case, library)
    at = open_page()
    start_case(at, case.id, "Exam", "examinee")
    assert any("Time left" in m.value for m in at.markdown)
    assert "practice.hint" not in [b.key for b in at.button]

    assert not any(s.key == "practice.how_choice" for s in at.selectbox)
    assert not any("How to perform" in e.label for e in at.expander)
    do(at, library, "radic.spurling")
    for item_id in model.actions:
        do(at, library, item_id)

    commit(at, case, library, model)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Global rating"] == "Borderline"  # the unsafe Spurling's caps an otherwise full mark
    assert any("unsafe test performed" in w.value.replace("\\", "") for w in at.warning)


def test_exam_mode_locks_questions_when_time_is_up(cases: CaseLibrary) -> None:
    """After the time limit the question and test controls are disabled; committing still works."""
    case = cases.get("venous_tos")
    assert case is not None
    at = open_page()
    start_case(at, case.id, "Exam", "late student")
    attempt = Attempt.model_validate(at.session_state["practice.attempt"])
    attempt.started_at -= timedelta(minutes=case.time_limit_minutes + 1)
    at.session_state["practice.attempt"] = attempt.model_dump(mode="json")
    at.run()
    lists = [p for p in at.pills if str(p.key).startswith(("practice.ask.", "practice.perform."))]
    assert lists and all(p.disabled for p in lists)
    assert any("Time is up" in m.value for m in at.markdown)


def test_abandon_returns_to_the_case_list() -> None:
    """Abandoning a case goes back to choosing one."""
    at = open_page()
    start_case(at, "herpes_zoster", "Learning", "quitter")
    at.button(key="practice.abandon").click().run()
    assert "practice.attempt" not in at.session_state
    assert at.button(key="practice.start")
