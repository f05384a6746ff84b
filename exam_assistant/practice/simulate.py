"""The simulated patient: what a question or test reveals, and the Encounter it adds up to.

An item the case does not describe answers as normal (the pack's normal answer of a yes/no
item, usually "no"; negative, 5/5, 2+, normal sensation), so a student who examines widely gets a full, realistic record; items with no
normal value (numbers, choices, free text) reveal only the case's default response.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Literal

from exam_assistant.engine.describe import finding_text
from exam_assistant.library import Library
from exam_assistant.models import (
    Encounter,
    Finding,
    Mrc,
    Patient,
    Reflex,
    Sensation,
    SidedTest,
    SideResult,
    YesNo,
)
from exam_assistant.practice.case import Case
from exam_assistant.protocol import Item

SIMULATED_NAME = "Simulated patient"


@dataclass(frozen=True)
class Reveal:
    """What the student learns from one question or test."""

    item_id: str
    label: str
    kind: Literal["question", "examination"]
    says: str  # the patient's words or the examiner's observation
    recorded: str  # the finding as the clinic would record it
    finding: Finding | None


def is_question(item: Item) -> bool:
    return item.kind == "question"


def offered(item: Item) -> bool:
    """Items a student can ask or perform: everything except outcome-score items."""
    return item.kind != "score_item"


def normal_finding(item: Item) -> Finding | None:
    """The normal answer of an item the case leaves out, or None when there is no normal value."""
    if item.answer == "yes_no":  # the pack says what is normal ("alert: yes"), or that nothing is
        return YesNo(value=item.normal_answer) if item.normal_answer else None
    if item.answer == "sided_test":
        return SidedTest(left=SideResult(result="negative"), right=SideResult(result="negative"))
    if item.answer == "mrc":
        return Mrc(left=5, right=5)
    if item.answer == "reflex":
        return Reflex(left=2, right=2)
    if item.answer == "sensation":
        return Sensation(left="normal", right="normal")
    return None


def simulated_finding(case: Case, item: Item) -> Finding | None:
    return case.findings.get(item.id) or normal_finding(item)


def reveal(case: Case, lib: Library, item_id: str) -> Reveal:
    """The simulated response to asking ``item_id`` (a history question) or performing it (a test)."""
    item = lib.items[item_id]
    finding = simulated_finding(case, item)
    recorded = finding_text(finding, item) if finding is not None else "not recorded"
    says = case.responses.get(item_id)
    if says is None:
        if item_id in case.findings:
            says = recorded
        elif finding is not None:
            says = f"{case.default_response} ({recorded})"
        else:
            says = case.default_response
    return Reveal(item_id, item.label, "question" if is_question(item) else "examination", says, recorded, finding)


def birth_date_for(age: int, on: date) -> date:
    """A date of birth that gives exactly ``age`` on ``on`` (1 January of the right year)."""
    return date(on.year - age, 1, 1)


def encounter_for(case: Case, lib: Library, item_ids: Iterable[str], when: datetime | None = None) -> Encounter:
    """The Encounter a student's questions and tests add up to (simulated patient, teaching setting)."""
    when = when or datetime.now(UTC)
    findings: dict[str, Finding] = {}
    for item_id in item_ids:
        item = lib.items.get(item_id)
        if item is None:
            continue
        finding = simulated_finding(case, item)
        if finding is not None:
            findings[item_id] = finding
    patient = Patient(name=SIMULATED_NAME, date_of_birth=birth_date_for(case.patient.age, when.date()),
                      sex=case.patient.sex)
    return Encounter(patient=patient, setting="teaching", chief_complaint=case.presenting_complaint,
                     findings=findings, created_at=when, updated_at=when)


def full_encounter(case: Case, lib: Library, when: datetime | None = None) -> Encounter:
    """The whole case: its findings, every history question, a full neuro screen, its required tests.

    History questions (from packs of kind ``history``) and the neuro screen (sensation, power,
    reflexes) are answered as the simulated patient would; other tests are added only when the
    case requires them, so clusters the case has no use for stay unscored.
    """
    history = [i for i, pack in lib.item_pack.items() if lib.packs[pack].pack.kind == "history"]
    screen = [i for i, item in lib.items.items() if item.answer in ("mrc", "reflex", "sensation")]
    ids = [*case.findings, *case.key_actions.must_ask, *case.key_actions.must_do, *history, *screen]
    return encounter_for(case, lib, dict.fromkeys(ids), when)
