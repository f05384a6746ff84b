"""Decisions on the summary step: one click per suggestion, a reason beside a red flag, own additions."""

from __future__ import annotations

from typing import Any

from streamlit.testing.v1 import AppTest

from exam_assistant.engine.assess import assess
from exam_assistant.library import cached_library
from exam_assistant.models import Encounter
from exam_assistant.store import EncounterRepository
from exam_assistant.suggestions import suggestions
from exam_assistant.ui import steps
from tests.ui.conftest import ROOT, button, new_app, ok, plain

EXAMPLES = ROOT / "examples" / "encounters"


def _at_summary(store: EncounterRepository, name: str) -> tuple[str, AppTest, list[Any]]:
    enc = Encounter.model_validate_json((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    enc = steps.with_protocols(enc, cached_library(), set())
    encounter_id = store.save_draft(enc.model_dump(mode="json"), None, "test", ui_step=steps.SUMMARY).id
    found = suggestions(assess(enc, cached_library()))
    return encounter_id, ok(new_app(query={"encounter": encounter_id})), found


def _control(at: AppTest, suggestion_id: str) -> Any:
    return next(w for w in at.segmented_control if w.key == f"ea.decision.{suggestion_id}")


def test_one_click_accepts_a_suggestion_and_saves_it_apart_from_the_findings(store: EncounterRepository) -> None:
    encounter_id, at, found = _at_summary(store, "c6_radiculopathy")
    before = store.get(encounter_id).encounter.findings
    _control(at, found[0].id).set_value("accepted")
    ok(at.run())
    saved = store.get(encounter_id).encounter
    decision = saved.decisions.about(found[0].id)
    assert decision is not None and decision.status == "accepted" and not decision.beside_red_flag
    assert saved.findings == before


def test_declining_beside_a_red_flag_waits_for_the_reason(store: EncounterRepository) -> None:
    encounter_id, at, found = _at_summary(store, "emergency_aortic_dissection")
    assert found, "the emergency example makes at least one suggestion"
    _control(at, found[0].id).set_value("declined")
    ok(at.run())
    assert store.get(encounter_id).encounter.decisions.about(found[0].id) is None  # not without a reason
    assert "give the reason" in " ".join(w.value for w in at.warning)
    reason = next(t for t in at.text_input if t.key == f"ea.decision.{found[0].id}.reason")
    reason.input("CT angiography already booked by the emergency department")
    ok(at.run())
    decision = store.get(encounter_id).encounter.decisions.about(found[0].id)
    assert decision is not None and decision.status == "declined" and decision.beside_red_flag
    assert decision.reason == "CT angiography already booked by the emergency department"


def test_the_clinician_adds_a_prescription_line(store: EncounterRepository) -> None:
    encounter_id, at, _ = _at_summary(store, "c6_radiculopathy")
    for name, value in (("drug", "Naproxen"), ("dose", "250 mg"), ("route", "oral"), ("frequency", "twice daily"),
                        ("duration", "10 days")):
        next(t for t in at.text_input if t.key == f"ea.add.rx.{name}").input(value)
    button(at, "Add to the plan").click()
    ok(at.run())
    (rx,) = store.get(encounter_id).encounter.decisions.prescriptions
    assert (rx.drug, rx.dose, rx.route, rx.frequency, rx.duration) == ("Naproxen", "250 mg", "oral", "twice daily",
                                                                        "10 days")
    assert any("Prescribed: Naproxen 250 mg oral" in plain(m.value) for m in at.markdown)


def test_an_incomplete_prescription_is_refused_in_plain_words(store: EncounterRepository) -> None:
    encounter_id, at, _ = _at_summary(store, "c6_radiculopathy")
    next(t for t in at.text_input if t.key == "ea.add.rx.drug").input("Naproxen")
    button(at, "Add to the plan").click()
    ok(at.run())
    assert store.get(encounter_id).encounter.decisions.prescriptions == []
    assert any("Not added" in e.value for e in at.error)


def test_a_changed_suggestion_records_what_was_done_instead(store: EncounterRepository) -> None:
    encounter_id, at, found = _at_summary(store, "c6_radiculopathy")
    _control(at, found[0].id).set_value("changed")
    ok(at.run())
    assert store.get(encounter_id).encounter.decisions.about(found[0].id) is None  # waits for the change
    next(t for t in at.text_input if t.key == f"ea.decision.{found[0].id}.change").input("MRI within 2 weeks")
    ok(at.run())
    decision = store.get(encounter_id).encounter.decisions.about(found[0].id)
    assert decision is not None and (decision.status, decision.change) == ("changed", "MRI within 2 weeks")
    _control(at, found[0].id).set_value(None)  # clearing the choice removes the decision
    ok(at.run())
    assert store.get(encounter_id).encounter.decisions.about(found[0].id) is None


def test_follow_up_date_before_the_visit_or_years_after_is_refused_with_the_range(store: EncounterRepository) -> None:
    """Item 5 of issue 12: the follow-up date has no silent widget limits; a date before the
    visit or beyond two years is refused with the allowed range named, and not saved."""
    from datetime import timedelta

    encounter_id, at, _ = _at_summary(store, "c6_radiculopathy")
    visit = store.get(encounter_id).encounter.visit_date
    field = next(d for d in at.date_input if d.label == "Follow-up date")
    field.set_value(visit - timedelta(days=3))
    ok(at.run())
    errors = plain(" ".join(e.value for e in at.error))
    assert "Not saved: Follow-up date:" in errors and "is before the visit" in errors
    assert visit.strftime("%d/%m/%Y") in errors  # the allowed range starts at the visit
    assert store.get(encounter_id).encounter.decisions.follow_up is None
    field = next(d for d in at.date_input if d.label == "Follow-up date")
    field.set_value(visit.replace(year=visit.year + 5))
    ok(at.run())
    assert "more than 2 years after the visit" in plain(" ".join(e.value for e in at.error))
    assert store.get(encounter_id).encounter.decisions.follow_up is None
    good = visit + timedelta(weeks=6)
    next(d for d in at.date_input if d.label == "Follow-up date").set_value(good)
    ok(at.run())
    assert store.get(encounter_id).encounter.decisions.follow_up == good
    assert not any("Follow-up date" in plain(e.value) for e in at.error)
