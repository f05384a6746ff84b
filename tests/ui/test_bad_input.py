"""Out-of-range numbers reach the app and are refused with one plain message naming the field and
the allowed range (the browser no longer swallows them into a red field); nothing else is lost."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import yaml
from streamlit.testing.v1 import AppTest

from exam_assistant.models import Number
from exam_assistant.store import EncounterRepository
from exam_assistant.store.invitations import InvitationStore, check_request
from exam_assistant.ui import steps
from exam_assistant.ui.clinic_settings import settings_path
from tests.ui.conftest import new_app, ok, page_text, start_examination, stored_draft, widget


def _errors(app: AppTest) -> str:
    return " ".join(e.value for e in app.error).replace("\\", "")


def test_an_out_of_range_number_says_what_is_allowed_and_is_not_saved(
        app: AppTest, store: EncounterRepository) -> None:
    encounter_id = start_examination(app)
    field = widget(app, "history.pain_now", kind="number_input")
    assert not field.proto.has_min and not field.proto.has_max, "the browser must not refuse it silently"
    assert field.placeholder == "Not recorded (0 to 10)"
    field.set_value(15)
    ok(app.run())
    assert "Not saved: Pain now (0-10) must be between 0 and 10 (got 15)" in _errors(app)
    assert "history.pain_now" not in store.get(encounter_id).encounter.findings
    assert widget(app, "history.pain_now", kind="number_input").value == 15, "what was typed stays in view"

    widget(app, "history.pain_now", kind="number_input").set_value(7)
    ok(app.run())
    assert "Pain now" not in _errors(app)
    assert store.get(encounter_id).encounter.findings["history.pain_now"] == Number(value=7)


def test_the_invitation_form_says_what_is_allowed(store: EncounterRepository) -> None:
    """Encounters > Invite a patient: hours outside 1 to 720 and a date of birth 300 years ago are
    refused in one message naming each field and its range; nothing is created."""
    at = new_app("exam_assistant/ui/pages/encounters.py")
    at.text_input(key="invite_name").input("Form Patient")
    today = date.today()
    at.date_input(key="invite_dob").set_value(today.replace(year=today.year - 300, day=1))
    at.number_input(key="invite_hours").set_value(5000)
    at.button(key="FormSubmitter:invite_patient-Create link").click()
    ok(at.run())
    errors = _errors(at)
    assert "would make the patient about 300 years old" in errors
    assert "Valid (hours): 5,000 is outside the allowed range; enter a number from 1 to 720." in errors
    assert InvitationStore(store.engine).list() == []


def test_clinic_settings_refuse_an_out_of_range_pretest_figure_with_the_range(database: str) -> None:
    """Settings: a default pre-test probability of 150% is refused naming the cluster and 0.5 to 99.5;
    nothing is saved; 30% then saves."""
    at = new_app("exam_assistant/ui/pages/settings.py")
    field = next(n for n in at.number_input if n.label.startswith("TOS provocation cluster"))
    field.set_value(150.0)
    at.get("form_submit_button")[0].click()  # type: ignore[union-attr]
    ok(at.run())
    title = field.label.split(" (%), pack default")[0]
    assert f"{title} (%): 150 is outside the allowed range; enter a number from 0.5 to 99.5." in _errors(at)
    assert not settings_path(database).exists()
    next(n for n in at.number_input if n.label.startswith("TOS provocation cluster")).set_value(30.0)
    at.get("form_submit_button")[0].click()  # type: ignore[union-attr]
    ok(at.run())
    assert list(json.loads(settings_path(database).read_text())["default_pretest_probabilities"].values()) == [0.3]


def test_the_patients_page_says_what_is_allowed_for_a_number(store: EncounterRepository) -> None:
    """Pre-visit page: 5,000 weeks since onset stays in the field with what is allowed under it and
    is not saved; 6 weeks is saved and the message goes."""
    invites = InvitationStore(store.engine)
    created = invites.create(check_request({"patient": {"name": "Num Patient", "date_of_birth": "1980-01-01"}}),
                             "desk")
    at = new_app(query={"invite": created.token})
    at.number_input(key="pv_history.duration_weeks").set_value(5000)
    ok(at.run())
    warnings = " ".join(w.value for w in at.warning).replace("\\", "")
    assert "This answer: 5,000 is outside the allowed range; enter a number from 0 to 1,040. It was not saved." \
        in warnings
    assert "history.duration_weeks" not in invites.get(created.invitation.id).answers
    at.number_input(key="pv_history.duration_weeks").set_value(6)
    ok(at.run())
    assert "outside the allowed range" not in " ".join(w.value for w in at.warning)
    assert invites.get(created.invitation.id).answers["history.duration_weeks"]["value"] == 6


def test_encounter_search_takes_old_dates_and_says_when_the_range_is_backwards(store: EncounterRepository) -> None:
    """Visits from 2001 can be typed (the default limits were ten years back); a 'from' after the
    'until' says so instead of silently finding nothing."""
    at = new_app("exam_assistant/ui/pages/encounters.py")
    since = next(d for d in at.date_input if d.label == "Visits from")
    assert since.min < date(1900, 1, 1) and since.max > date(2100, 1, 1)
    since.set_value(date(2001, 5, 1))
    next(d for d in at.date_input if d.label == "Visits until").set_value(date(2000, 5, 1))
    next(b for b in at.button if b.label == "Search").click()
    ok(at.run())
    warnings = " ".join(w.value for w in at.warning).replace("\\", "")
    assert "Visits from (01/05/2001) is after Visits until (01/05/2000)" in warnings


def test_summary_pretest_probability_out_of_range_is_refused_with_the_range(store: EncounterRepository) -> None:
    """A pre-test figure of 150% stays in the field with what is allowed, and is not saved; 30% is."""
    vignette = Path(__file__).resolve().parents[1] / "vignettes" / "b_c6_radiculopathy.yaml"
    found = yaml.safe_load(vignette.read_text(encoding="utf-8"))["encounter"]["findings"]
    encounter_id = stored_draft(store, findings=found, step=steps.SUMMARY)
    at = ok(new_app(query={"encounter": encounter_id}))
    field = next(n for n in at.number_input if n.label.startswith("Pre-test probability (%)"))
    field.set_value(150.0)
    ok(at.run())
    assert "is outside the allowed range; enter a number from 0.5 to 99.5 %" in page_text(at)
    assert store.get(encounter_id).encounter.pretest_probabilities == {}
    field = next(n for n in at.number_input if n.label.startswith("Pre-test probability (%)"))
    field.set_value(30.0)
    ok(at.run())
    assert "outside the allowed range" not in page_text(at)
    assert list(store.get(encounter_id).encounter.pretest_probabilities.values()) == [0.3]
