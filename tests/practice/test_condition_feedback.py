"""Practice feedback shows the expected diagnosis's condition guide entry and links its diagnosis lines."""

from __future__ import annotations

from exam_assistant.library import Library
from exam_assistant.practice.loader import CaseLibrary
from exam_assistant.practice.model_answer import model_attempt
from tests.practice.test_page import commit, do, open_page, start_case


def test_feedback_renders_the_condition_guide_and_links_the_diagnosis_line(cases: CaseLibrary, library: Library) -> None:
    """Opened alone (no navigation), the page shows each condition link in place, with the same rendering."""
    case = cases.get("c7_radiculopathy")
    assert case is not None
    model = model_attempt(case, library)
    at = open_page()
    start_case(at, case.id, "Learning", "learner two")
    for item_id in model.actions:
        do(at, library, item_id)
    commit(at, case, library, model)

    name = library.diagnoses[case.expected.diagnosis].name
    guide = [e for e in at.expander if e.label.replace("\\", "") == f"Condition guide: {name}"]
    assert len(guide) == 1
    inside = " ".join(m.value for m in guide[0].markdown).replace("\\", "")
    for heading in ("What it is", "How it is diagnosed", "Imaging", "Seek help now if"):
        assert heading in inside
    about = [e for e in at.expander if e.label.replace("\\", "") == f"About {name}"]
    assert about, [e.label for e in at.expander]  # the diagnosis feedback line links to the condition
    assert "What it is" in " ".join(m.value for m in about[0].markdown)


def test_red_flag_feedback_line_links_the_conditions_its_flag_suggests(cases: CaseLibrary, library: Library) -> None:
    """The aortic dissection case: the diagnosis line and the red-flag line each link the condition."""
    case = cases.get("aortic_dissection")
    assert case is not None
    assert any(c.check.check == "red_flags" for c in case.marking.checklist)
    model = model_attempt(case, library)
    at = open_page()
    start_case(at, case.id, "Learning", "learner three")
    for item_id in model.actions:
        do(at, library, item_id)
    commit(at, case, library, model)
    name = library.diagnoses["aortic_dissection"].name
    about = [e for e in at.expander if e.label.replace("\\", "") == f"About {name}"]
    assert len(about) >= 2, [e.label for e in at.expander]
