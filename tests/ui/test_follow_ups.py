"""Progressive disclosure and all-clear folding in the history and examination steps (AppTest).

A follow-up question (``follow_up_of`` in the pack) appears only when its parent's answer asks
for it, disappears when that answer changes, and never keeps an answer out of sight: the engine
sees exactly what the screen shows. A block whose answers are all normal folds to one line; a
positive or red-flag answer keeps it open.
"""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest

from exam_assistant.engine.assess import assess
from exam_assistant.models import MultiChoice, YesNo
from exam_assistant.store import EncounterRepository
from exam_assistant.ui import steps
from tests.ui.conftest import (
    button,
    current_id,
    library,
    new_app,
    ok,
    page_text,
    start_examination,
    stored_draft,
    widget,
)

WHERE = "history.paraesthesia_where"
CANCER_TYPE = "history.cancer_type"
NO_TO_THE_REST = "Answer “No” to every unanswered question"
VASCULAR = "screen.history.vascular"


def _has(at: AppTest, item_id: str, part: str = "v", kind: str = "pills") -> bool:
    try:
        widget(at, item_id, part, kind=kind)
    except LookupError:
        return False
    return True


def _stored(store: EncounterRepository, at: AppTest) -> dict[str, object]:
    return dict(store.get(current_id(at)).encounter.findings)


def test_follow_up_appears_after_yes_and_goes_with_its_answer_after_no(app: AppTest, store: EncounterRepository) -> None:
    """history.paraesthesia_where: hidden until "pins and needles: yes"; answered; "no" hides it
    and clears the answer in the same save, so the engine no longer reads it."""
    start_examination(app)
    assert not _has(app, WHERE)
    widget(app, "history.paraesthesia").set_value("yes")
    ok(app.run())
    widget(app, WHERE, kind="pills").set_value(["thumb_index"])
    ok(app.run())
    assert _stored(store, app)[WHERE] == MultiChoice(values=["thumb_index"])
    widget(app, "history.paraesthesia").set_value("no")
    ok(app.run())
    assert not _has(app, WHERE)
    findings = _stored(store, app)
    assert WHERE not in findings and findings["history.paraesthesia"] == YesNo(value="no")
    assert any("Cleared" in t.value for t in app.toast)
    widget(app, "history.paraesthesia").set_value("yes")
    ok(app.run())
    assert widget(app, WHERE, kind="pills").value == [], "shown again, empty: the old answer is gone"


def _evidence_rules(store: EncounterRepository, encounter_id: str) -> set[str]:
    enc = store.get(encounter_id).encounter
    return {e.rule for d in assess(enc, library()).differential for e in d.for_}


def test_engine_reads_what_the_screen_shows(app: AppTest, store: EncounterRepository) -> None:
    """dx.spinal_metastasis.bone_seeking_cancer: "cancer: yes" shows the type, "breast" counts for
    spinal metastasis; "cancer: no" hides and clears the type, and the rule no longer fires."""
    encounter_id = start_examination(app)
    assert not _has(app, CANCER_TYPE)
    widget(app, "history.cancer").set_value("yes")
    ok(app.run())
    widget(app, CANCER_TYPE, kind="pills").set_value("breast")
    ok(app.run())
    assert "dx.spinal_metastasis.bone_seeking_cancer" in _evidence_rules(store, encounter_id)
    widget(app, "history.cancer").set_value("no")
    ok(app.run())
    assert not _has(app, CANCER_TYPE)
    assert CANCER_TYPE not in store.get(encounter_id).encounter.findings
    assert "dx.spinal_metastasis.bone_seeking_cancer" not in _evidence_rules(store, encounter_id)


def test_an_answered_follow_up_is_never_hidden(store: EncounterRepository) -> None:
    """A pre-visit form or an import can hold the pins-and-needles map without "pins and needles:
    yes": the map is shown with its answer (the engine reads it), and the bulk "No" leaves its
    parent unanswered rather than contradict it."""
    findings = {WHERE: {"kind": "multi_choice", "values": ["ring_little"]}}
    encounter_id = stored_draft(store, findings=findings)
    at = new_app(query={"encounter": encounter_id})
    ok(at)
    assert widget(at, WHERE, kind="pills").value == ["ring_little"]
    button(at, NO_TO_THE_REST).click()
    ok(at.run())
    stored = store.get(encounter_id).encounter.findings
    assert "history.paraesthesia" not in stored and WHERE in stored
    assert stored["history.sphincter_change"] == YesNo(value="no", screen=True)


def test_bulk_no_never_answers_a_hidden_follow_up(app: AppTest, store: EncounterRepository) -> None:
    """"No" to the rest answers "arm symptoms" questions but not the hidden spread below the elbow."""
    encounter_id = start_examination(app)
    button(app, NO_TO_THE_REST).click()
    ok(app.run())
    stored = store.get(encounter_id).encounter.findings
    assert "history.below_elbow" not in stored and stored["history.paraesthesia"] == YesNo(value="no", screen=True)


def test_an_all_clear_group_folds_to_one_line_and_opens_with_edit(app: AppTest) -> None:
    """Vascular symptoms all "No" fold to "Vascular symptoms (arm and neck): all N No" with Edit;
    Edit shows the answers, a "yes" keeps the group open, Fold is offered only while all clear."""
    start_examination(app)
    assert _has(app, "history.arm_swelling", kind="segmented_control")
    button(app, NO_TO_THE_REST).click()
    ok(app.run())
    assert re.search(r"\*\*Vascular symptoms \(arm and neck\)\*\*: all \d+ No", page_text(app))
    assert not _has(app, "history.arm_swelling", kind="segmented_control"), "folded: the answers are not drawn"
    app.button(key=f"ea.edit.{VASCULAR}").click()
    ok(app.run())
    assert widget(app, "history.arm_swelling").value == "no"
    assert any(b.key == f"ea.fold.{VASCULAR}" for b in app.button)
    widget(app, "history.arm_swelling").set_value("yes")
    ok(app.run())
    assert not any(b.key == f"ea.fold.{VASCULAR}" for b in app.button), "a yes: nothing to fold"
    widget(app, "history.arm_swelling").set_value("no")
    ok(app.run())
    app.button(key=f"ea.fold.{VASCULAR}").click()
    ok(app.run())
    assert not _has(app, "history.arm_swelling", kind="segmented_control")


def test_a_positive_answer_keeps_its_group_open(app: AppTest) -> None:
    """rf.venous_tos: arm swelling "yes" raises a flag; its group stays open after the bulk "No"."""
    start_examination(app)
    widget(app, "history.arm_swelling").set_value("yes")
    ok(app.run())
    button(app, NO_TO_THE_REST).click()
    ok(app.run())
    assert widget(app, "history.arm_swelling").value == "yes"
    assert widget(app, "history.arm_cyanosis").value == "no"
    assert "**Vascular symptoms (arm and neck)**:" not in page_text(app)


def test_normal_root_levels_fold_and_the_abnormal_one_stays_open(store: EncounterRepository) -> None:
    """neuro: after "whole screen normal" with C6 reduced on the left, C5 is one line, C6 is open."""
    encounter_id = stored_draft(store, chosen={"neuro"}, step=steps.EXAM_PREFIX + "neuro")
    at = new_app(query={"encounter": encounter_id})
    widget(at, "neuro.sens_c6", "L").set_value("reduced")
    ok(at.run())
    button(at, "Mark the whole screen normal (everything not yet tested)").click()
    ok(at.run())
    text = page_text(at)
    assert re.search(r"\*\*C5\*\*: all \d+ normal", text) and "**C6**:" not in text
    assert widget(at, "neuro.sens_c6", "L").value == "reduced"
    assert not _has(at, "neuro.sens_c5", "L", kind="segmented_control")


def test_test_rows_have_a_small_technique_popover_not_an_expander(store: EncounterRepository) -> None:
    """radic.spurling: "How to" is a popover beside the test's name; no full-width expander."""
    encounter_id = stored_draft(store, chosen={"radiculopathy"}, step=steps.EXAM_PREFIX + "radiculopathy")
    at = new_app(query={"encounter": encounter_id})
    ok(at)
    assert not [e for e in at.expander if "How to perform" in e.label]
    assert len([p for p in at.get("popover") if p.proto.popover.label == "How to"]) >= 5


def test_trauma_normal_shortcut_never_records_not_alert(store: EncounterRepository) -> None:
    """trauma: "whole screen normal" records alert and stable vital signs as "yes", leaves the
    rotation test and "sitting up" for the clinician, and the other signs "no"."""
    findings = {"history.trauma": {"kind": "choice", "value": "minor"}}
    encounter_id = stored_draft(store, findings=findings, chosen={"trauma"}, step=steps.EXAM_PREFIX + "trauma")
    at = new_app(query={"encounter": encounter_id})
    button(at, "Mark the whole screen normal (everything not yet tested)").click()
    ok(at.run())
    stored = store.get(encounter_id).encounter.findings
    assert stored["trauma.alert_gcs15"] == YesNo(value="yes", screen=True)
    assert stored["trauma.stable_vitals"] == YesNo(value="yes", screen=True)
    assert stored["trauma.intoxication"] == YesNo(value="no", screen=True)
    assert "trauma.rotate_45" not in stored and "trauma.sitting_in_ed" not in stored
