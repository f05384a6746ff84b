"""Exam panels: the "normal" shortcuts, the neuro screen by level, the dermatome figure."""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest

from exam_assistant.models import Mrc, Reflex, Sensation, SidedTest, YesNo
from exam_assistant.store import EncounterRepository
from exam_assistant.ui import steps
from tests.ui.conftest import button, new_app, ok, page_text, start_examination, stored_draft, widget


def test_panel_normal_shortcut_fills_only_what_was_not_recorded(store: EncounterRepository) -> None:
    """tos: "everything not yet tested as normal" keeps a recorded positive and fills the rest."""
    encounter_id = stored_draft(store, chosen={"tos"}, step=steps.EXAM_PREFIX + "tos")
    at = new_app(query={"encounter": encounter_id})
    widget(at, "tos.roos_east", "R").set_value("positive")
    ok(at.run())
    button(at, "Mark the whole screen normal (everything not yet tested)").click()
    ok(at.run())
    findings = store.get(encounter_id).encounter.findings
    roos = findings["tos.roos_east"]
    assert isinstance(roos, SidedTest)
    assert (roos.left.result, roos.right.result) == ("negative", "positive")
    adson = findings["tos.adson"]
    assert isinstance(adson, SidedTest) and "negative" == adson.left.result == adson.right.result
    assert "tos.svs_no_better_explanation" not in findings  # a question, not a sign: never filled
    assert widget(at, "tos.adson", "L").value == "negative"


def test_shortcut_skips_contraindicated_tests(store: EncounterRepository) -> None:
    """rf.no_provocation_vascular: a sudden unusual headache blocks Adson's; "normal" leaves it untested."""
    findings = {"history.sudden_unusual_headache": {"kind": "yes_no", "value": "yes"}}
    encounter_id = stored_draft(store, findings=findings, chosen={"tos"}, step=steps.EXAM_PREFIX + "tos")
    at = new_app(query={"encounter": encounter_id})
    assert widget(at, "tos.adson", "L").disabled
    button(at, "Mark the whole screen normal (everything not yet tested)").click()
    ok(at.run())
    stored = store.get(encounter_id).encounter.findings
    assert "tos.adson" not in stored
    assert "tos.wright" not in stored  # compresses the subclavian vessels: blocked too
    assert "tos.roos_east" in stored


def test_red_flag_screen_no_to_all_answers_only_unanswered_questions(app: AppTest, store: EncounterRepository) -> None:
    """The red-flag screen's "No" shortcut keeps a "yes" already given."""
    encounter_id = start_examination(app)
    widget(app, "history.fever").set_value("yes")
    ok(app.run())
    button(app, "Answer “No” to every unanswered question").click()
    ok(app.run())
    assert widget(app, "history.fever").value == "yes"  # its group keeps a "yes": it stays open
    assert re.search(r"\*\*Neurological symptoms\*\*: all \d+ No", page_text(app))  # all "No": one line
    stored = store.get(encounter_id).encounter.findings
    assert YesNo(value="no", screen=True) == stored["history.sphincter_change"]
    # bedside signs, laboratory results and clinician judgements nobody checked stay unknown
    for unchecked in ("rf.pulse_or_bp_difference", "rf.new_murmur", "rf.horner_syndrome", "rf.raised_crp_esr"):
        assert unchecked not in stored, unchecked


def test_neuro_level_normal_records_that_level_only(store: EncounterRepository) -> None:
    """neuro: "C6 normal" records C6 sensation, power and reflex as normal and nothing else."""
    encounter_id = stored_draft(store, chosen={"neuro"}, step=steps.EXAM_PREFIX + "neuro")
    at = new_app(query={"encounter": encounter_id})
    button(at, "C6 normal").click()
    ok(at.run())
    findings = store.get(encounter_id).encounter.findings
    assert Sensation(left="normal", right="normal") == findings["neuro.sens_c6"]
    assert Mrc(left=5, right=5) == findings["neuro.power_wrist_extension"]
    assert Reflex(left=2, right=2) == findings["neuro.reflex_brachioradialis"]
    assert "neuro.sens_c7" not in findings


def test_dermatome_caption_follows_the_neuro_screen(store: EncounterRepository) -> None:
    """neuro.level: reduced C6 sensation on the left shows in the figure's caption and the level."""
    encounter_id = stored_draft(store, chosen={"neuro"}, step=steps.EXAM_PREFIX + "neuro")
    at = new_app(query={"encounter": encounter_id})
    assert "No abnormal root finding recorded." in page_text(at)
    widget(at, "neuro.sens_c6", "L").set_value("reduced")
    ok(at.run())
    assert "C6 left reduced" in page_text(at)
    assert "C6 left" in page_text(at, at.sidebar)
    assert at.image, "the dermatome figure is drawn"


def test_mrc_grade_is_recorded_per_side(store: EncounterRepository) -> None:
    """An MRC control stores the grade as a number; "–" leaves the side untested."""
    encounter_id = stored_draft(store, chosen={"neuro"}, step=steps.EXAM_PREFIX + "neuro")
    at = new_app(query={"encounter": encounter_id})
    widget(at, "neuro.power_finger_abduction", "R").set_value("3")
    ok(at.run())
    assert Mrc(left=None, right=3) == store.get(encounter_id).encounter.findings["neuro.power_finger_abduction"]


def test_yes_no_sign_in_a_panel_is_saved(store: EncounterRepository) -> None:
    """neuro.lhermitte: a yes/no sign in an examination panel autosaves like a history answer."""
    encounter_id = stored_draft(store, chosen={"neuro"}, step=steps.EXAM_PREFIX + "neuro")
    at = new_app(query={"encounter": encounter_id})
    widget(at, "neuro.lhermitte").set_value("yes")
    ok(at.run())
    assert YesNo(value="yes") == store.get(encounter_id).encounter.findings["neuro.lhermitte"]
