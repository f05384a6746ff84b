"""The clinician confirms or changes the patient's pre-visit answers: stored, audited, kept on reload."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from exam_assistant.store import EncounterRepository
from exam_assistant.store.audit import history
from exam_assistant.store.errors import InvalidEncounterError
from exam_assistant.ui.widgets.confirm import CONFIRMED_NOTE, PENDING_NOTE
from tests.ui.conftest import EXAM_PAGE, new_app, ok, plain, stored_draft, widget

PATIENT = {"reported_by": "patient"}
ANSWERS = {
    "history.night_pain": {"kind": "yes_no", "value": "yes", **PATIENT},
    "history.fever": {"kind": "yes_no", "value": "no", **PATIENT},
    "history.weight_loss": {"kind": "yes_no", "value": "no", **PATIENT},
    "history.pain_now": {"kind": "number", "value": 6, **PATIENT},
}


def _captions(at: AppTest) -> list[str]:
    return [plain(c.value) for c in at.caption]


def _open(encounter_id: str) -> AppTest:
    return ok(new_app(EXAM_PAGE, {"encounter": encounter_id}))


def _details(store: EncounterRepository, encounter_id: str) -> list[str]:
    return [e.detail for e in history(store.engine, encounter_id) if e.event == "updated"]


def test_one_click_confirms_an_answer_and_it_stays_confirmed_after_a_reload(store: EncounterRepository) -> None:
    """'Confirm' under one answer stores confirmed: true (still patient-reported), audits it, and a fresh
    session shows it confirmed while the others still ask to be confirmed."""
    eid = stored_draft(store, ANSWERS)
    at = _open(eid)
    assert _captions(at).count(plain(PENDING_NOTE)) == len(ANSWERS)
    at.button(key="ea.confirm.history.night_pain").click().run()
    ok(at)
    night = store.get(eid).encounter.findings["history.night_pain"]
    assert (night.reported_by, night.confirmed, night.value) == ("patient", True, "yes")  # type: ignore[union-attr]
    assert not store.get(eid).encounter.findings["history.fever"].confirmed  # type: ignore[union-attr]
    assert _details(store, eid)[-1] == "patient-reported: 1 confirmed"
    again = _open(eid)
    assert _captions(again).count(plain(CONFIRMED_NOTE)) == 1
    assert _captions(again).count(plain(PENDING_NOTE)) == len(ANSWERS) - 1


def _block_button(at: AppTest, item_id: str) -> str:
    """The key of 'Confirm all shown' of the block that draws ``item_id`` (the last one above it)."""
    last = ""
    for b in at.button:
        key = str(b.key or "")
        if key.startswith("ea.confirm_all."):
            last = key
        if key == f"ea.confirm.{item_id}":
            return last
    raise LookupError(item_id)


def test_confirm_all_shown_confirms_only_that_blocks_answers(store: EncounterRepository) -> None:
    """'Confirm all shown' of the block holding fever and weight loss confirms both and leaves other blocks alone."""
    eid = stored_draft(store, ANSWERS)
    at = _open(eid)
    block = _block_button(at, "history.fever")
    assert block and block == _block_button(at, "history.weight_loss") != _block_button(at, "history.pain_now")
    at.button(key=block).click().run()
    ok(at)
    findings = store.get(eid).encounter.findings
    assert findings["history.fever"].confirmed and findings["history.weight_loss"].confirmed  # type: ignore[union-attr]
    assert not findings["history.pain_now"].confirmed  # type: ignore[union-attr]  # not a screen question
    assert _details(store, eid)[-1].startswith("patient-reported: ")
    assert not any(b.key == block for b in at.button)


def test_changing_an_answer_makes_it_clinician_recorded(store: EncounterRepository) -> None:
    """A changed answer loses reported_by (and its mark), and the audit says one was changed."""
    eid = stored_draft(store, ANSWERS)
    at = _open(eid)
    widget(at, "history.fever").set_value("yes").run()
    ok(at)
    fever = store.get(eid).encounter.findings["history.fever"]
    assert (fever.value, fever.reported_by, fever.confirmed) == ("yes", None, False)  # type: ignore[union-attr]
    assert _details(store, eid)[-1] == "patient-reported: 1 changed"
    assert _captions(_open(eid)).count(plain(PENDING_NOTE)) == len(ANSWERS) - 1


def test_a_confirmation_without_the_patients_mark_is_refused_by_the_store(store: EncounterRepository) -> None:
    """'confirmed' on a clinician-recorded answer is invalid data: nothing is stored, the field is named."""
    eid = stored_draft(store, {"history.fever": {"kind": "yes_no", "value": "no"}})
    stored = store.get(eid)
    data = stored.encounter.model_dump(mode="json")
    data["findings"]["history.fever"]["confirmed"] = True
    with pytest.raises(InvalidEncounterError, match=r"history\.fever"):
        store.save_draft(data, stored.version, "dr")


def test_the_red_flag_banner_names_an_unconfirmed_patient_answer_until_it_is_confirmed(
    store: EncounterRepository,
) -> None:
    """An EMERGENCY raised by the patient's pre-visit answer says '(patient-reported)' in the banner; confirmed, it does not."""
    eid = stored_draft(store, {"history.abrupt_severe_pain": {"kind": "yes_no", "value": "yes", **PATIENT}})
    at = _open(eid)
    banner = " ".join(plain(e.value) for e in at.error)
    assert "EMERGENCY" in banner and "maximal at onset) (patient-reported): yes" in banner
    at.button(key="ea.confirm.history.abrupt_severe_pain").click().run()
    banner = " ".join(plain(e.value) for e in ok(_open(eid)).error)
    assert "EMERGENCY" in banner and "(patient-reported)" not in banner
