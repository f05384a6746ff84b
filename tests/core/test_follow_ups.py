"""Follow-up questions as pack data: validated at load, placed under their parent, cleared with it,
asked through it; the "normal" answer of a yes/no item; the all-clear line of a block."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from exam_assistant import follow_ups as fu
from exam_assistant.engine.assess import assess
from exam_assistant.library import cached_library
from exam_assistant.models import Choice, Encounter, MultiChoice, Patient, SidedTest, SideResult, Text, YesNo
from exam_assistant.ui import findings as fx
from exam_assistant.ui import steps
from exam_assistant.ui.all_clear import all_clear
from exam_assistant.ui.flow.history import history_blocks
from tests.core.test_loader import load_with, other

YES, NO = YesNo(value="yes"), YesNo(value="no")

# Red-flag questions hidden behind a parent, each with why the parent's other answers make it
# meaningless (a new one must be added here deliberately, after that judgement).
REVIEWED_RED_FLAG_FOLLOW_UPS = {
    "history.paraesthesia_where": "no pins and needles: nowhere to locate them",
    "history.below_elbow": "no arm symptoms: nothing to spread below the elbow",
}


def _section(*items: str) -> str:
    return "sections:\n  - id: other.s\n    title: S\n    items:\n" + "".join(items)


def _yes_no(item_id: str, extra: str = "") -> str:
    return f"      - id: {item_id}\n        kind: question\n        answer: yes_no\n        label: {item_id}\n{extra}"


def test_built_in_follow_ups() -> None:
    """history: cancer type after cancer, the pins-and-needles map after pins and needles, the
    spread below the elbow after arm symptoms in one or both arms."""
    items = cached_library().items
    assert items["history.cancer_type"].follow_up_of == "history.cancer"
    assert items["history.paraesthesia_where"].follow_up_of == "history.paraesthesia"
    below = items["history.below_elbow"]
    assert (below.follow_up_of, below.shown_when) == ("history.arm_symptoms", ["left", "right", "both"])


def test_red_flag_follow_ups_are_reviewed() -> None:
    """A question a red-flag rule reads is hidden behind a parent only where the parent's answer
    makes it meaningless (the list above says why for each)."""
    lib = cached_library()
    red = steps.red_flag_item_ids(lib)
    hidden = {i.id for i in lib.items.values() if i.follow_up_of and i.id in red}
    assert hidden == set(REVIEWED_RED_FLAG_FOLLOW_UPS)


def test_unknown_parent_is_a_load_error_with_file_and_line(tmp_path: Path) -> None:
    """follow_up_of naming no item refuses the pack, naming the file, the line and the id."""
    body = _section(_yes_no("other.a", "        follow_up_of: other.nope\n"))
    packs, problems = load_with(tmp_path, "fu.yaml", other(body))
    assert packs == ["demo"]
    assert problems == [f"{tmp_path / 'fu.yaml'}:17 at sections[0].items[0].follow_up_of: 'other.a' is a "
                        "follow-up of item 'other.nope', which no loaded pack defines [PACK_003]"]


@pytest.mark.parametrize(("items", "message"), [
    ((_yes_no("other.a", "        follow_up_of: other.b\n"), _yes_no("other.b")),
     "not an earlier item of this pack"),
    ((_yes_no("other.a"), _yes_no("other.b", "        follow_up_of: other.a\n        shown_when: [maybe]\n")),
     "'maybe' is not an answer of 'other.a' (answers: no, yes)"),
    (("      - id: other.a\n        kind: question\n        answer: choice\n        label: A\n"
      "        options: [{value: x, label: X}]\n", _yes_no("other.b", "        follow_up_of: other.a\n")),
     "needs shown_when"),
    (("      - id: other.a\n        kind: question\n        answer: text\n        label: A\n",
      _yes_no("other.b", "        follow_up_of: other.a\n")),
     "a parent must be a yes/no, choice or multi-choice question or a sided test"),
])
def test_follow_up_mistakes_are_load_errors(tmp_path: Path, items: tuple[str, ...], message: str) -> None:
    """A parent later in the pack, an answer the parent cannot give, a choice parent without
    shown_when, a parent with no answers to follow: each refused with its place."""
    packs, problems = load_with(tmp_path, "fu.yaml", other(_section(*items)))
    assert packs == ["demo"]
    assert len(problems) == 1 and message in problems[0] and "fu.yaml:" in problems[0], problems


def test_shown_when_without_a_parent_is_refused(tmp_path: Path) -> None:
    packs, problems = load_with(tmp_path, "fu.yaml", other(_section(_yes_no("other.a", "        shown_when: [\"yes\"]\n"))))
    assert packs == ["demo"] and "shown_when belongs to a follow-up" in problems[0]


def test_shown_while_the_parent_asks_for_it_or_while_it_holds_an_answer() -> None:
    """Hidden while the parent is unanswered or "no"; shown after "yes"; an answered follow-up
    (a pre-visit form, an import) is shown whatever the parent says, so no answer is out of sight."""
    items = cached_library().items
    where = items["history.paraesthesia_where"]
    assert not fu.is_shown(where, {}, items)
    assert not fu.is_shown(where, {"history.paraesthesia": NO}, items)
    assert fu.is_shown(where, {"history.paraesthesia": YES}, items)
    assert fu.is_shown(where, {"history.paraesthesia": NO, where.id: MultiChoice(values=["thumb_index"])}, items)
    below = items["history.below_elbow"]
    assert not fu.is_shown(below, {"history.arm_symptoms": Choice(value="none")}, items)
    assert fu.is_shown(below, {"history.arm_symptoms": Choice(value="both")}, items)


def test_a_change_clears_the_follow_ups_it_hides() -> None:
    """"Cancer: no" clears the type of cancer; "yes" keeps it; "Left arm" keeps the spread below
    the elbow and "None" clears it."""
    items = cached_library().items
    before = {"history.cancer": YES, "history.cancer_type": Choice(value="breast")}
    assert fu.cleared_by(["history.cancer"], {**before, "history.cancer": NO}, items) == {"history.cancer_type": None}
    assert fu.cleared_by(["history.cancer"], before, items) == {}
    arm = {"history.arm_symptoms": Choice(value="left"), "history.below_elbow": YES}
    assert fu.cleared_by(["history.arm_symptoms"], arm, items) == {}
    assert fu.cleared_by(["history.arm_symptoms"], {**arm, "history.arm_symptoms": Choice(value="none")},
                         items) == {"history.below_elbow": None}


def test_open_questions_ask_the_parent_and_drop_a_ruled_out_follow_up() -> None:
    """rf.pancoast reads the pins-and-needles map: "Ask next" asks about pins and needles first,
    and never asks for the map once the answer is "no"."""
    lib = cached_library()
    assert fu.ask_instead("history.paraesthesia_where", {}, lib.items) == "history.paraesthesia"
    assert fu.ask_instead("history.paraesthesia_where", {"history.paraesthesia": NO}, lib.items) is None
    enc = Encounter(patient=Patient(name="P", date_of_birth=date(1960, 1, 1)), findings={"rf.horner_syndrome": YES, "history.paraesthesia": NO})
    for question in assess(enc, lib).open_questions:
        assert "history.paraesthesia_where" not in [i.item for i in question.items], question.rule
    enc = Encounter(patient=Patient(name="P", date_of_birth=date(1960, 1, 1)), findings={"rf.horner_syndrome": YES})
    pancoast = [q for q in assess(enc, lib).open_questions if q.rule == "rf.pancoast"]
    assert pancoast and "history.paraesthesia" in [i.item for i in pancoast[0].items]


def test_history_places_each_follow_up_under_its_parent() -> None:
    """The type of cancer (asked by no red-flag rule) is drawn in the red-flag screen just under
    "cancer", not far below in the further history."""
    screen, further = history_blocks(cached_library())
    ids = [i for b in screen for i in b.item_ids]
    assert ids[ids.index("history.cancer") + 1] == "history.cancer_type"
    assert "history.cancer_type" not in [i for b in further for i in b.item_ids]
    assert ids[ids.index("history.paraesthesia") + 1] == "history.paraesthesia_where"


def test_normal_answer_of_a_yes_no_sign() -> None:
    """trauma: "normal" never records "not alert" or "unable to rotate": alert and stable vital
    signs are normal when "yes"; sitting up and the rotation test have no normal answer."""
    items = cached_library().items
    alert = items["trauma.alert_gcs15"]
    assert fx.has_normal(alert) and fx.normal_finding(alert, None) == YesNo(value="yes", screen=True)
    for item_id in ("trauma.rotate_45", "trauma.sitting_in_ed"):
        assert not fx.has_normal(items[item_id]), item_id
    assert fx.normal_finding(items["trauma.intoxication"], None) == YesNo(value="no", screen=True)


def test_all_clear_folds_only_normal_answers() -> None:
    """A block folds when every question with a normal answer holds it; a "yes", an unanswered
    question, an unanswered red-flag item or an answer behind a raised flag keeps it open; the line
    counts the normal answers and shows every other answer."""
    items = cached_library().items
    vascular = [items[i] for i in ("history.arm_swelling", "history.arm_cyanosis")]
    both_no = {"history.arm_swelling": NO, "history.arm_cyanosis": NO}
    clear = all_clear(vascular, both_no, set())
    assert clear is not None and clear.words() == "all 2 No"
    assert all_clear(vascular, {**both_no, "history.arm_cyanosis": YES}, set()) is None
    assert all_clear(vascular, {"history.arm_swelling": NO}, set()) is None
    assert all_clear(vascular, both_no, {"history.arm_swelling"}) is None
    work = [items["history.occupation"], items["history.overhead_work_or_sport"], items["history.psychosocial"]]
    line = all_clear(work, {"history.occupation": Text(value="Carpenter"), "history.overhead_work_or_sport": NO}, set())
    assert line is not None
    assert line.words() == "Overhead work or overhead sport (throwi…: No · Occupation: Carpenter · 1 not recorded"
    assert all_clear(work, {"history.overhead_work_or_sport": NO}, set(), {"history.occupation"}) is None
    roos = items["tos.roos_east"]
    negative = SidedTest(left=SideResult(result="negative"), right=SideResult(result="negative"))
    assert all_clear([roos], {roos.id: negative}, set()) is not None
    one_side = SidedTest(left=SideResult(result="negative"))
    assert all_clear([roos], {roos.id: one_side}, set()) is None
