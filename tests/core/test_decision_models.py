"""The decisions part of an encounter: validated, kept apart from findings, never read by the engine."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from exam_assistant.decision_models import Decisions, Prescription, SuggestionDecision
from exam_assistant.engine.assess import assess
from exam_assistant.library import Library
from exam_assistant.models import Encounter

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "encounters" / "emergency_aortic_dissection.json"


def test_declining_beside_a_red_flag_needs_a_reason() -> None:
    with pytest.raises(ValidationError, match="needs a reason"):
        SuggestionDecision(suggestion="img.x", kind="imaging", status="declined", beside_red_flag=True, reason=" ")
    assert SuggestionDecision(suggestion="img.x", kind="imaging", status="declined").reason is None


def test_a_change_says_what_was_done_instead() -> None:
    with pytest.raises(ValidationError, match="what was done instead"):
        SuggestionDecision(suggestion="img.x", kind="imaging", status="changed")


def test_each_suggestion_is_decided_once() -> None:
    one = SuggestionDecision(suggestion="img.x", kind="imaging", status="accepted")
    with pytest.raises(ValidationError, match="decided once"):
        Decisions(suggestions=[one, one])


def test_a_prescription_line_needs_every_part() -> None:
    with pytest.raises(ValidationError):
        Prescription.model_validate({"drug": "Naproxen", "dose": "250 mg", "route": "oral", "frequency": ""})


def test_decisions_round_trip_and_never_change_the_assessment(library: Library) -> None:
    enc = Encounter.model_validate_json(EXAMPLE.read_text(encoding="utf-8"))
    decided = enc.model_copy(update={"decisions": Decisions(
        suggestions=[SuggestionDecision(suggestion="any", kind="treatment", status="declined",
                                        beside_red_flag=True, reason="transferred")],
        advice=["Call 999 if the pain returns"])})
    assert Encounter.model_validate_json(decided.model_dump_json()) == decided
    assert assess(decided, library) == assess(enc, library)
    assert enc.decisions.empty and not decided.decisions.empty
