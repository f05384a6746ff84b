"""The guided examination through AppTest: creation, autosave, banner, panel, reload."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from exam_assistant.models import SidedTest, YesNo
from exam_assistant.store import EncounterRepository
from exam_assistant.ui import steps
from tests.ui.conftest import (
    EXAM_PAGE,
    button,
    go_to_step,
    new_app,
    ok,
    page_text,
    start_examination,
    stored_draft,
    widget,
)


def test_new_examination_stores_a_draft_and_puts_its_id_in_the_url(app: AppTest, store: EncounterRepository) -> None:
    """Starting the examination saves a draft at the history step and names it in ?encounter=."""
    encounter_id = start_examination(app)
    stored = store.get(encounter_id)
    assert stored.encounter.patient.name == "Ada Lovelace"
    assert stored.ui_step == steps.HISTORY
    assert "Red-flag screen" in page_text(app)


def test_patient_form_refuses_a_missing_date_of_birth(app: AppTest, store: EncounterRepository) -> None:
    """Without a date of birth nothing is stored and the clinician is told what is missing."""
    app.text_input[0].input("No Birthday")
    app.get("form_submit_button")[0].click()
    ok(app.run())
    assert "date of birth: missing" in page_text(app).lower()
    assert store.count() == 0


def test_every_answer_is_autosaved(app: AppTest, store: EncounterRepository) -> None:
    """A yes/no answer goes to the store at once, as a finding of its item."""
    encounter_id = start_examination(app)
    widget(app, "history.night_pain").set_value("yes")
    ok(app.run())
    assert YesNo(value="yes") == store.get(encounter_id).encounter.findings["history.night_pain"]


def test_setting_an_answer_back_to_unknown_removes_the_finding(app: AppTest, store: EncounterRepository) -> None:
    """"Unknown" is the absence of an answer, never stored as "no"."""
    encounter_id = start_examination(app)
    widget(app, "history.night_pain").set_value("no")
    ok(app.run())
    widget(app, "history.night_pain").set_value("unknown")
    ok(app.run())
    assert "history.night_pain" not in store.get(encounter_id).encounter.findings


def test_protocol_choice_stores_the_suggested_panels_and_opens_the_first(app: AppTest, store: EncounterRepository) -> None:
    """tos suggested_when: positional arm symptoms tick TOS; Next stores it and opens its panel."""
    encounter_id = start_examination(app)
    widget(app, "history.positional_arm_symptoms").set_value("yes")
    ok(app.run())
    go_to_step(app, steps.PROTOCOLS)
    assert next(c for c in app.checkbox if c.label.startswith("Thoracic outlet")).value
    button(app, "Examine the chosen protocols →").click()
    ok(app.run())
    stored = store.get(encounter_id)
    assert "tos" in {p.id for p in stored.encounter.protocols}
    assert stored.ui_step == steps.EXAM_PREFIX + "tos"
    assert "Thoracic outlet syndrome tests" in page_text(app)
    assert not any(e.value for e in app.error if "Not saved" in e.value)


def test_red_flag_banner_appears_and_stays_on_every_step(app: AppTest) -> None:
    """rf.venous_tos: arm swelling raises a SAME DAY banner that is on top of every later step."""
    start_examination(app)
    widget(app, "history.arm_swelling").set_value("yes")
    ok(app.run())
    for step in (steps.HISTORY, steps.PROTOCOLS, steps.SUMMARY, steps.FINISH, steps.PATIENT):
        go_to_step(app, step)
        banner = app.get("error")
        assert banner, f"no banner on {step}"
        assert "SAME DAY" in page_text(app) and "venous TOS" in page_text(app)
        assert "Arm swelling" in page_text(app) or "Swelling of the whole arm" in page_text(app)


def test_emergency_shows_the_stop_the_examination_banner(app: AppTest) -> None:
    """rf.cord_compression: a change in bladder or bowel control is an EMERGENCY that stops the exam."""
    start_examination(app)
    widget(app, "history.sphincter_change").set_value("yes")
    ok(app.run())
    text = page_text(app)
    assert "EMERGENCY: stop the examination" in text
    assert ":material/dangerous:" in text
    assert "EMERGENCY" in page_text(app, app.sidebar)
    button(app, "Stop here: go to the summary and record the note").click()
    ok(app.run())
    assert "Summary and assessment" in page_text(app)
    assert "EMERGENCY: stop the examination" in page_text(app)


def test_live_assessment_panel_updates_as_tests_are_recorded(store: EncounterRepository) -> None:
    """tos.cluster: recording Roos positive on the right shows the TOS cluster count in the sidebar."""
    encounter_id = stored_draft(store, chosen={"tos"}, step=steps.EXAM_PREFIX + "tos")
    at = new_app(query={"encounter": encounter_id})
    ok(at)
    assert "TOS provocation cluster" not in page_text(at, at.sidebar)
    widget(at, "tos.roos_east", "R").set_value("positive")
    ok(at.run())
    assert "Record what was reproduced" in page_text(at)
    widget(at, "tos.roos_east", "Rc", kind="pills").set_value(["pain_reproduced"])
    ok(at.run())
    sidebar = page_text(at, at.sidebar)
    assert "TOS provocation cluster" in sidebar
    assert "1 of 7 positive, 6 not tested" in sidebar


def test_positive_side_asks_what_was_reproduced_and_stores_it(store: EncounterRepository) -> None:
    """A positive side shows the criteria; the chosen criterion is stored with the side."""
    encounter_id = stored_draft(store, chosen={"tos"}, step=steps.EXAM_PREFIX + "tos")
    at = new_app(query={"encounter": encounter_id})
    widget(at, "tos.roos_east", "R").set_value("positive")
    ok(at.run())
    criteria = widget(at, "tos.roos_east", "Rc", kind="pills")
    criteria.set_value([criteria.options[0]])
    ok(at.run())
    finding = store.get(encounter_id).encounter.findings["tos.roos_east"]
    assert isinstance(finding, SidedTest)
    assert finding.right.result == "positive" and len(finding.right.criteria) == 1
    assert finding.left.result == "not_tested"


def test_contraindicated_tests_are_disabled_with_the_reason(store: EncounterRepository) -> None:
    """trauma.no_provocation: NEXUS calling for imaging disables Spurling's and says why."""
    findings = {"history.trauma": {"kind": "choice", "value": "minor"},
                "trauma.blunt": {"kind": "yes_no", "value": "yes"},
                "trauma.midline_cervical_tenderness": {"kind": "yes_no", "value": "yes"}}
    encounter_id = stored_draft(store, findings=findings, chosen={"trauma", "radiculopathy"},
                                step=steps.EXAM_PREFIX + "radiculopathy")
    at = new_app(query={"encounter": encounter_id})
    ok(at)
    assert widget(at, "radic.spurling", "L").disabled
    assert widget(at, "radic.spurling", "R").disabled
    assert "Not to be performed" in page_text(at)
    assert not widget(at, "radic.shoulder_abduction_relief", "L").disabled


def test_draft_reloads_from_the_url_at_its_step_with_every_finding(app: AppTest, store: EncounterRepository) -> None:
    """A new session given ?encounter= resumes at the saved step with the answers shown."""
    encounter_id = start_examination(app)
    widget(app, "history.night_pain").set_value("yes")
    ok(app.run())
    go_to_step(app, steps.PROTOCOLS)
    fresh = new_app(query={"encounter": encounter_id})
    ok(fresh)
    assert "Choose the examination" in page_text(fresh)
    go_to_step(fresh, steps.HISTORY)
    assert widget(fresh, "history.night_pain").value == "yes"


def test_an_unknown_encounter_id_in_the_url_is_reported(store: EncounterRepository) -> None:
    """A link to an encounter that does not exist says so and offers a new examination."""
    at = new_app(query={"encounter": "00000000-0000-4000-8000-000000000000"})
    ok(at)
    assert "No examination with the id in this link was found" in page_text(at)
    assert "Patient and visit" in [h.value for h in at.subheader]


def test_a_stale_save_is_reported_and_does_not_overwrite(app: AppTest, store: EncounterRepository) -> None:
    """When another tab saved first, this tab's change is refused and the newer data kept."""
    encounter_id = start_examination(app)
    other = new_app(query={"encounter": encounter_id})
    widget(other, "history.fever").set_value("yes")
    ok(other.run())
    widget(app, "history.night_pain").set_value("yes")
    ok(app.run())
    findings = store.get(encounter_id).encounter.findings
    assert "history.night_pain" not in findings
    assert YesNo(value="yes") == findings["history.fever"]
    assert "Not saved" in page_text(app)
    button(app, "Load the latest saved version (your unsaved change is discarded)").click()
    ok(app.run())
    assert widget(app, "history.fever").value == "yes"


def test_two_sessions_never_see_each_others_encounter() -> None:
    """Two sessions each start a patient; each shows only its own patient and findings."""
    first, second = new_app(), new_app()
    start_examination(first, name="First Patient")
    start_examination(second, name="Second Patient")
    widget(first, "history.fever").set_value("yes")
    ok(first.run())
    ok(second.run())
    assert "Second Patient" in page_text(second) and "First Patient" not in page_text(second)
    assert widget(second, "history.fever").value == "unknown"


def test_page_switch_to_the_exam_page_opens_the_encounter(store: EncounterRepository) -> None:
    """The examination page reached by switch_page with the id resumes that draft."""
    encounter_id = stored_draft(store, step=steps.SUMMARY)
    at = new_app()
    at.switch_page(EXAM_PAGE)
    at.query_params["encounter"] = encounter_id
    ok(at.run())
    assert "Summary and assessment" in [h.value for h in at.subheader]
