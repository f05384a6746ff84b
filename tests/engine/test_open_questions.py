"""open_questions: the undecided red-flag rules and the unanswered items that decide each."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from exam_assistant.engine.assess import assess
from exam_assistant.library import cached_library
from exam_assistant.models import Encounter, Finding, MultiChoice, Patient, YesNo

LIB = cached_library()


def _assess(findings: dict[str, Finding]):  # type: ignore[no-untyped-def]
    enc = Encounter(patient=Patient(name="Q", date_of_birth=date(1960, 1, 1), sex="male"), findings=findings)
    return assess(enc, LIB)


def test_tearing_interscapular_pain_leaves_dissection_open_and_names_what_decides_it() -> None:
    """rf.aortic_dissection: ROUTINE so far, yet the dissection flag is open, ranked EMERGENCY
    first, with the acute-presentation questions among its deciding items."""
    a = _assess({"history.character": MultiChoice(values=["tearing"]),
                 "history.location": MultiChoice(values=["interscapular"])})
    assert a.urgency == "ROUTINE"
    assert a.differential[0].id == "aortic_dissection"
    by_rule = {q.rule: q for q in a.open_questions}
    q = by_rule["rf.aortic_dissection"]
    assert q.tier == "EMERGENCY" and q.has_findings_for and "aortic_dissection" in q.suggests
    items = {i.item for i in q.items}
    assert {"history.abrupt_severe_pain", "history.syncope"} <= items
    assert "history.character" not in items  # answered items never appear
    tiers = [q.tier for q in a.open_questions]
    assert tiers == sorted(tiers, key=["EMERGENCY", "SAME_DAY", "URGENT", "ROUTINE"].index)


def test_a_decided_rule_is_no_longer_open() -> None:
    """Answering the deciding question (yes raises the flag, no decides it) removes it."""
    fired = _assess({"history.sphincter_change": YesNo(value="yes")})
    assert "rf.cord_compression" not in {q.rule for q in fired.open_questions}
    assert any(f.id == "rf.cord_compression" for f in fired.red_flags)
    before = {q.rule: q for q in _assess({}).open_questions}
    assert "history.sphincter_change" in {i.item for i in before["rf.cord_compression"].items}


def test_open_questions_are_in_the_assessment_json() -> None:
    data = _assess({}).model_dump(mode="json")
    assert data["open_questions"] and {"rule", "tier", "items"} <= set(data["open_questions"][0])



DESK_WORKER = Path(__file__).resolve().parents[2] / "examples" / "encounters" / "thoracic_pain_desk_worker.json"


def _desk_worker(*yes_items: str) -> Encounter:
    """The routine upper-back example (every yes/no it records is 'no'), with ``yes_items`` yes."""
    enc = Encounter.model_validate_json(DESK_WORKER.read_text(encoding="utf-8"))
    return enc.model_copy(update={"findings": {**enc.findings, **{i: YesNo(value="yes") for i in yes_items}}})


def test_a_leading_emergency_diagnosis_with_its_flag_undecided_is_named_in_the_headline() -> None:
    """Tearing interscapular pain: ROUTINE, dissection leads; the headline says so and asks for
    the deciding answers, so the summary, the note and the FHIR section never read a bare ROUTINE."""
    a = _assess({"history.character": MultiChoice(values=["tearing"]),
                 "history.location": MultiChoice(values=["interscapular"])})
    assert a.urgency == "ROUTINE" and a.differential[0].id == "aortic_dissection"
    assert "Acute aortic dissection (EMERGENCY if confirmed) leads the differential" in a.headline
    assert "not decided yet" in a.headline


def test_a_leading_emergency_diagnosis_whose_flag_is_not_met_is_still_named() -> None:
    """Exertional chest pain beside a postural upper-back ache, every other cardiac question 'no':
    the ACS flag is decided (not met), yet ACS leads the differential, so the headline says so
    instead of only 'no red flag'; with nothing added the headline is the plain one."""
    a = assess(_desk_worker("history.chest_pain", "history.exertional_pain"), LIB)
    assert a.urgency == "ROUTINE" and a.differential[0].id == "acute_coronary_syndrome"
    assert not any("acute_coronary_syndrome" in q.suggests for q in a.open_questions)
    assert ("Acute coronary syndrome (EMERGENCY if confirmed) leads the differential, though the answers "
            "recorded meet no red flag for it") in a.headline
    assert assess(_desk_worker(), LIB).headline == "No red flag raised by the findings recorded so far."
