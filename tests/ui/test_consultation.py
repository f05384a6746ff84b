"""The consultation through AppTest: urgency shown where the clinician is, once per emergency."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from exam_assistant.library import Library
from exam_assistant.store import EncounterRepository
from exam_assistant.ui import steps
from exam_assistant.ui.widgets.urgency import DIALOG_CLOSE, DIALOG_TO_NOTE, TO_NOTE, first_action
from tests.ui.conftest import button, go_to_step, ok, page_text, start_examination, widget


def _labels(at: AppTest) -> list[str]:
    return [b.label for b in at.button]


def test_first_emergency_opens_the_dialog_once(app: AppTest) -> None:
    """rf.aortic_dissection: abrupt severe pain opens the stop dialog; closed, it stays closed
    while the emergency stands; the sticky bar and the sidebar keep saying EMERGENCY."""
    start_examination(app)
    assert DIALOG_CLOSE not in _labels(app)
    widget(app, "history.abrupt_severe_pain").set_value("yes")
    ok(app.run())
    assert DIALOG_CLOSE in _labels(app) and DIALOG_TO_NOTE in _labels(app)
    text = page_text(app)
    assert "Stop the examination." in text and "Call emergency services" in text
    button(app, DIALOG_CLOSE).click()
    ok(app.run())
    assert DIALOG_CLOSE not in _labels(app)
    widget(app, "history.night_pain").set_value("no")
    ok(app.run())
    assert DIALOG_CLOSE not in _labels(app), "the dialog is shown the first time only"
    assert "EMERGENCY: stop the examination." in page_text(app)
    assert any(b.label == TO_NOTE for b in app.button)
    assert "Urgency: EMERGENCY" in page_text(app, app.sidebar)


def test_dialog_leads_to_the_note_in_one_click(app: AppTest) -> None:
    """From the dialog, one click opens the summary, where the bar still shows the emergency."""
    start_examination(app)
    widget(app, "history.sphincter_change").set_value("yes")
    ok(app.run())
    button(app, DIALOG_TO_NOTE).click()
    ok(app.run())
    assert "Summary and assessment" in page_text(app)
    assert DIALOG_CLOSE not in _labels(app)
    assert "EMERGENCY: stop the examination." in page_text(app)
    assert TO_NOTE not in _labels(app), "already at the note: no button to get there"


def test_an_urgent_flag_gets_the_bar_but_no_dialog(app: AppTest, store: EncounterRepository) -> None:
    """rf.venous_tos (SAME DAY): the bar shows on every step, the EMERGENCY dialog does not open."""
    start_examination(app)
    widget(app, "history.arm_swelling").set_value("yes")
    ok(app.run())
    assert DIALOG_CLOSE not in _labels(app)
    for step in (steps.PROTOCOLS, steps.SUMMARY):
        go_to_step(app, step)
        assert any("SAME DAY" in e.body and "Action:" in e.body for e in app.error), step


def test_the_bar_states_what_to_do_not_only_to_stop() -> None:
    action = "Stop the examination. Call emergency services now. Do not delay."
    assert first_action(action) == "Call emergency services now."
    assert first_action("Same-day review.") == "Same-day review."


def test_the_bar_keeps_what_follows_stop_in_the_same_sentence() -> None:
    """A pack may join the two: only "stop the examination" is dropped, never the call for help."""
    assert first_action("Stop the examination and call emergency services now. Keep the patient lying down.") == (
        "Call emergency services now.")
    assert first_action("Stop the examination, then send to the emergency department.") == (
        "Send to the emergency department.")
    assert first_action("Stop the examination.") == "Stop the examination."
    assert first_action("Stop the examinations of the neck first.").startswith("Stop the examinations")


def test_every_emergency_flag_in_the_packs_gives_the_bar_an_action_beyond_stop(library: Library) -> None:
    """Whatever an EMERGENCY flag's author wrote, the sticky bar names something to do, and keeps
    the call for emergency services when the action opens with it."""
    for rule in library.rules.values():
        effect = rule.effect
        if getattr(effect, "type", None) == "red_flag" and effect.tier == "EMERGENCY":
            said = first_action(effect.action)
            assert said and not said.lower().startswith("stop the examination"), rule.id
            opening = " ".join(effect.action.split())[:80].lower()
            if "call emergency services" in opening:
                assert "emergency services" in said.lower(), (rule.id, said)


def test_ask_next_and_a_possible_emergency_are_shown_before_the_flag_is_decided(app: AppTest) -> None:
    """Tearing interscapular pain: urgency still ROUTINE, dissection leads the differential; the
    banner area says "possible acute aortic dissection: answer these to decide", the history
    and the live panel list what to ask next; answering abrupt pain raises the EMERGENCY."""
    start_examination(app)
    widget(app, "history.character", kind="pills").set_value(["tearing"])
    ok(app.run())
    widget(app, "history.location", kind="pills").set_value(["interscapular"])
    ok(app.run())
    warning = " ".join(w.value for w in app.warning)
    assert "Possible acute aortic dissection: answer these to decide" in warning.replace("\\", "")
    assert "Ask next" in page_text(app) and "Ask next" in page_text(app, app.sidebar)
    widget(app, "history.abrupt_severe_pain").set_value("yes")
    ok(app.run())
    assert "EMERGENCY: stop the examination." in page_text(app)
    assert "answer these to decide" not in page_text(app)


def test_a_leading_emergency_diagnosis_whose_flag_is_not_met_is_named_in_the_banner_area(app: AppTest) -> None:
    """Chest pain brought on by exertion, pain under 15 minutes and no sweating: the ACS flag is
    decided (not met), yet ACS leads; the banner area says so rather than leaving a bare ROUTINE."""
    start_examination(app)
    for item_id, value in (("history.chest_pain", "yes"), ("history.exertional_pain", "yes"),
                           ("history.pain_over_15_min", "no"), ("history.autonomic_symptoms", "no"),
                           ("history.cardiovascular_risk", "no"), ("rf.hypotension_or_shock", "no")):
        widget(app, item_id).set_value(value)
        ok(app.run())
    warning = " ".join(w.value for w in app.warning).replace("\\", "")
    assert "Acute coronary syndrome (EMERGENCY if confirmed) leads the differential, though the answers recorded " \
           "meet no red flag" in warning
    assert "ROUTINE" in page_text(app, app.sidebar)
