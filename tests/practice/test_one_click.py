"""Practice mode: one click asks a question or performs a test, the filter narrows the lists, and
every action autosaves the attempt so that a new session (a refreshed page) resumes it."""

from __future__ import annotations

from exam_assistant.library import Library
from exam_assistant.practice.loader import CaseLibrary
from exam_assistant.store import PracticeRepository
from exam_assistant.ui import resources
from tests.practice.test_page import PAGE, open_page, pill_of, start_case

CASE = "herpes_zoster"
RASH = "history.dermatomal_rash"


def _found(at: object) -> str:
    return " ".join(m.value for m in at.markdown).replace("\\", "")  # type: ignore[attr-defined]


def _offered(at: object) -> list[str]:
    return [o.replace("\\", "") for p in at.pills  # type: ignore[attr-defined]
            if str(p.key).startswith(("practice.ask.", "practice.perform.")) for o in p.options]


def test_one_click_asks_and_the_attempt_is_autosaved(library: Library) -> None:
    """A single pill click (no 'Ask' button) shows the answer, takes the question off the list and
    saves the attempt; a hint is saved too."""
    at = open_page()
    start_case(at, CASE, "Learning", "one click")
    attempt_id = at.session_state["practice.attempt"]["id"]
    repo = PracticeRepository(resources.store().engine)
    assert repo.get_attempt(attempt_id).progress is not None, "stored as soon as it starts"
    assert not any(b.label in ("Ask", "Perform") for b in at.button)

    label = library.items[RASH].label
    pill_of(at, library, RASH).set_value(RASH).run()
    assert not at.exception
    assert label in _found(at)
    assert label not in _offered(at), "an asked question leaves the list"
    stored = repo.get_attempt(attempt_id)
    assert stored.progress is not None and stored.progress["actions"] == [RASH] and stored.version == 2
    assert all(p.value is None for p in at.pills if str(p.key).startswith("practice.ask.")), "ready for the next"

    at.button(key="practice.hint").click().run()
    assert repo.get_attempt(attempt_id).progress["actions"] == [RASH]  # type: ignore[index]
    assert repo.get_attempt(attempt_id).progress["hints_used"] == 1  # type: ignore[index]
    assert not at.warning, [w.value for w in at.warning]


def test_the_filter_narrows_both_lists(library: Library) -> None:
    """Typed words narrow the questions and the tests to the ones whose label or section has them all."""
    at = open_page()
    start_case(at, CASE, "Learning", "filterer")
    everything = _offered(at)
    at.text_input(key="practice.filter").input("spurling").run()
    narrowed = _offered(at)
    assert narrowed == [library.items["radic.spurling"].label], narrowed
    assert len(everything) > 50
    at.text_input(key="practice.filter").input("zzz nothing").run()
    assert _offered(at) == []
    assert any("No question matches" in c.value.replace("\\", "") for c in at.caption)
    at.text_input(key="practice.filter").input("").run()
    assert _offered(at) == everything


def test_a_new_session_resumes_the_unfinished_attempt_from_the_url(library: Library) -> None:
    """A refreshed page is a new session with the same URL (?attempt=<id>): the attempt comes back
    with what was asked; a committed or unknown attempt is not resumed."""
    at = open_page()
    start_case(at, CASE, "Learning", "resumer")
    attempt_id = at.session_state["practice.attempt"]["id"]
    pill_of(at, library, RASH).set_value(RASH).run()

    from streamlit.testing.v1 import AppTest

    again = AppTest.from_file(str(PAGE), default_timeout=60)
    again.query_params["attempt"] = attempt_id
    again.run()
    assert not again.exception
    assert again.session_state["practice.attempt"]["id"] == attempt_id
    assert any("Burning band" in h.value for h in again.header)
    assert library.items[RASH].label in _found(again)
    assert library.items[RASH].label not in _offered(again)

    stranger = AppTest.from_file(str(PAGE), default_timeout=60)
    stranger.query_params["attempt"] = "00000000-0000-4000-8000-000000000000"
    stranger.run()
    assert not stranger.exception and "practice.attempt" not in stranger.session_state
    assert stranger.button(key="practice.start")


def test_commit_choices_are_autosaved_and_come_back_after_a_refresh(cases: CaseLibrary) -> None:
    """The commit part is not a form: each choice is saved with the attempt and a new session shows it."""
    case = cases.get(CASE)
    assert case is not None
    at = open_page()
    start_case(at, CASE, "Learning", "chooser")
    attempt_id = at.session_state["practice.attempt"]["id"]
    at.selectbox(key="practice.answer.diagnosis").set_value(case.expected.diagnosis).run()
    at.multiselect(key="practice.answer.plan").set_value(["safety_net"]).run()
    assert not at.exception
    progress = PracticeRepository(resources.store().engine).get_attempt(attempt_id).progress
    assert progress is not None and progress["answers"]["diagnosis"] == case.expected.diagnosis
    assert progress["answers"]["plan"] == ["safety_net"] and progress["finished_at"] is None

    from streamlit.testing.v1 import AppTest

    again = AppTest.from_file(str(PAGE), default_timeout=60)
    again.query_params["attempt"] = attempt_id
    again.run()
    assert not again.exception
    assert again.selectbox(key="practice.answer.diagnosis").value == case.expected.diagnosis
    assert again.multiselect(key="practice.answer.plan").value == ["safety_net"]


def test_a_save_the_store_refuses_is_said_and_the_attempt_carries_on(library: Library) -> None:
    """A student label the store refuses: the page says the attempt is not saved and why, questions
    still work in the session, and nothing half-saved is in the store."""
    at = open_page()
    start_case(at, CASE, "Learning", "Ada; DOB 1971")
    warning = " ".join(w.value for w in at.warning).replace("\\", "").replace("\u2060", "")
    assert "Not saved yet: the student label must be 1 to 200 letters, digits, spaces or . @ - _" in warning
    pill_of(at, library, RASH).set_value(RASH).run()
    assert library.items[RASH].label in _found(at), "the attempt goes on in the page"
    assert "Not saved yet" in " ".join(w.value for w in at.warning)
    assert "attempt" not in at.query_params
    assert PracticeRepository(resources.store().engine).list_attempts() == []
