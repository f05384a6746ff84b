"""Encounter validation: messages a clinician understands, and library-aware checks."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from exam_assistant.library import Library
from exam_assistant.models import Encounter, Mrc, Patient, Reflex, SideResult
from exam_assistant.validation import library_problems

PATIENT = {"name": "Ana Test", "date_of_birth": "1980-02-03", "sex": "female"}


def enc(findings: dict[str, Any]) -> Encounter:
    return Encounter.model_validate({"patient": PATIENT, "findings": findings})


def message(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return " | ".join(str(e["msg"]) for e in exc.value.errors())


def test_date_of_birth_in_the_future_is_refused() -> None:
    """A date of birth after today is refused and the message says so."""
    tomorrow = date.today() + timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        Patient(name="A", date_of_birth=tomorrow)
    assert "is in the future" in message(exc)


def test_age_over_120_is_refused() -> None:
    """An age over 120 years points at a typo in the year."""
    with pytest.raises(ValidationError) as exc:
        Patient(name="A", date_of_birth=date(1890, 1, 1))
    assert "age over 120 years" in message(exc)


def test_blank_name_is_refused() -> None:
    """A name of spaces is not a name."""
    with pytest.raises(ValidationError) as exc:
        Patient(name="   ", date_of_birth=date(1980, 1, 1))
    assert "cannot be blank" in message(exc)


def test_mrc_and_reflex_grades_are_bounded() -> None:
    """MRC is 0-5 and reflexes 0-4."""
    with pytest.raises(ValidationError):
        Mrc(left=6)
    with pytest.raises(ValidationError):
        Reflex(right=5)
    assert Mrc(left=0, right=5).left == 0


def test_not_tested_side_cannot_carry_a_reproduced_symptom() -> None:
    """Recording what was reproduced on an untested side is contradictory."""
    with pytest.raises(ValidationError) as exc:
        SideResult(result="not_tested", criteria=["arm_pain"])
    assert "cannot have a reproduced symptom" in message(exc)


def test_naive_times_are_refused() -> None:
    """Times without a zone are ambiguous; UTC is required."""
    with pytest.raises(ValidationError) as exc:
        Encounter.model_validate({"patient": PATIENT, "created_at": "2026-01-01T10:00:00"})
    assert "time zone" in message(exc)


def test_notes_have_a_length_limit() -> None:
    """Free text is capped so a pasted document cannot swamp the record."""
    with pytest.raises(ValidationError):
        Encounter.model_validate({"patient": PATIENT, "notes": "x" * 20_001})


def test_unknown_item_id_is_refused_by_name(demo_library: Library) -> None:
    """A finding for an item the library does not know names the id."""
    problems = library_problems(enc({"demo.missing": {"kind": "yes_no", "value": "yes"}}), demo_library)
    assert [(p.code, p.message) for p in problems] == [
        ("ENC_002", "finding for unknown item id 'demo.missing'; no loaded protocol defines it")]


def test_pain_out_of_range_names_the_item_and_range(demo_library: Library) -> None:
    """Pain 12 on a 0-10 scale is refused in the clinician's words."""
    problems = library_problems(enc({"demo.num": {"kind": "number", "value": 12}}), demo_library)
    assert [p.message for p in problems] == ["Pain now must be between 0 and 10 /10 (got 12)"]


def test_wrong_kind_option_and_criterion_are_refused(demo_library: Library) -> None:
    """A finding of the wrong kind, an unknown option or criterion, or over-long text is refused."""
    findings = {
        "demo.yn": {"kind": "number", "value": 1},
        "demo.choice": {"kind": "choice", "value": "slowly"},
        "demo.sided": {"kind": "sided_test", "left": {"result": "positive", "criteria": ["tingles"]}},
        "demo.text": {"kind": "text", "value": "x" * 51},
        "demo.num": {"kind": "number", "value": 2.5},
    }
    messages = sorted(p.message for p in library_problems(enc(findings), demo_library))
    assert messages == [
        "A sided test (left): 'tingles' is not a criterion of this test (arm_pain, neck_only, pulse)",
        "A yes/no question: expected a yes no answer, got number",
        "Occupation: text is 51 characters; the limit is 50",
        "Onset: 'slowly' is not one of the choices (gradual, sudden)",
        "Pain now must be a whole number (got 2.5)",
    ]


def test_encounter_json_round_trips() -> None:
    """The public JSON format reads back to an equal encounter."""
    original = enc({"demo.sided": {"kind": "sided_test", "left": {"result": "positive", "criteria": ["arm_pain"]}}})
    assert Encounter.model_validate_json(original.model_dump_json()) == original
    assert original.model_dump(mode="json")["schema_version"] == "1.0"
