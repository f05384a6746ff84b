"""Every operator of the condition language, evaluated three-valued against real encounters."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from exam_assistant.conditions import Condition
from exam_assistant.engine.evaluate import Facts, evaluate
from exam_assistant.library import Library
from exam_assistant.models import Encounter

CONDITION: TypeAdapter[Condition] = TypeAdapter(Condition)


def encounter(findings: dict[str, Any], born: str = "1970-06-01") -> Encounter:
    return Encounter.model_validate({
        "patient": {"name": "Test Patient", "date_of_birth": born, "sex": "female"},
        "created_at": "2026-05-01T09:00:00Z",
        "findings": findings,
    })


def check(lib: Library, cond: dict[str, Any], findings: dict[str, Any], born: str = "1970-06-01") -> bool | None:
    return evaluate(CONDITION.validate_python(cond), Facts(encounter(findings, born), lib.items))


SIDED_LEFT_ARM = {"kind": "sided_test", "left": {"result": "positive", "criteria": ["arm_pain"]},
                  "right": {"result": "negative"}}


def test_yes_no_is_true_false_and_unknown(demo_library: Library) -> None:
    """A yes/no item is true for its answer, false for the other, unknown when unanswered."""
    cond = {"item": "demo.yn", "is": "yes"}
    assert check(demo_library, cond, {"demo.yn": {"kind": "yes_no", "value": "yes"}}) is True
    assert check(demo_library, cond, {"demo.yn": {"kind": "yes_no", "value": "no"}}) is False
    assert check(demo_library, cond, {"demo.yn": {"kind": "yes_no", "value": "unknown"}}) is None
    assert check(demo_library, cond, {}) is None


def test_not_tested_is_never_negative(demo_library: Library) -> None:
    """An untested side makes 'negative' unknown, and 'not negative' stays unknown too."""
    findings = {"demo.sided": {"kind": "sided_test"}}
    assert check(demo_library, {"item": "demo.sided", "is": "negative"}, findings) is None
    assert check(demo_library, {"not": {"item": "demo.sided", "is": "negative"}}, findings) is None
    assert check(demo_library, {"item": "demo.sided", "is": "not_tested", "side": "both"}, findings) is True


def test_sides_any_both_left_right(demo_library: Library) -> None:
    """Side-aware comparisons read the side asked for."""
    f = {"demo.sided": SIDED_LEFT_ARM}
    assert check(demo_library, {"item": "demo.sided", "is": "positive", "side": "left"}, f) is True
    assert check(demo_library, {"item": "demo.sided", "is": "positive", "side": "right"}, f) is False
    assert check(demo_library, {"item": "demo.sided", "is": "positive", "side": "any"}, f) is True
    assert check(demo_library, {"item": "demo.sided", "is": "positive", "side": "both"}, f) is False


def test_non_counting_criterion_makes_a_positive_negative(demo_library: Library) -> None:
    """Neck pain alone recorded on a positive test does not count as positive."""
    f = {"demo.sided": {"kind": "sided_test", "left": {"result": "positive", "criteria": ["neck_only"]}}}
    assert check(demo_library, {"item": "demo.sided", "is": "positive", "side": "left"}, f) is False
    assert check(demo_library, {"item": "demo.sided", "is": "negative", "side": "left"}, f) is True


def test_criterion_in_counts_only_listed_criteria(demo_library: Library) -> None:
    """A pulse-change positive does not satisfy a symptom-only criterion filter."""
    pulse = {"demo.sided": {"kind": "sided_test", "left": {"result": "positive", "criteria": ["pulse"]}}}
    cond = {"item": "demo.sided", "is": "positive", "side": "left", "criterion_in": ["arm_pain"]}
    assert check(demo_library, cond, pulse) is False
    assert check(demo_library, cond, {"demo.sided": SIDED_LEFT_ARM}) is True


def test_number_comparisons(demo_library: Library) -> None:
    """at_least, at_most, equals and in compare numbers."""
    f = {"demo.num": {"kind": "number", "value": 7}}
    assert check(demo_library, {"item": "demo.num", "at_least": 7}, f) is True
    assert check(demo_library, {"item": "demo.num", "at_most": 6}, f) is False
    assert check(demo_library, {"item": "demo.num", "at_least": 5, "at_most": 8}, f) is True
    assert check(demo_library, {"item": "demo.num", "equals": 7}, f) is True
    assert check(demo_library, {"item": "demo.num", "in": [1, 7]}, f) is True
    assert check(demo_library, {"item": "demo.num", "at_least": 5}, {}) is None


def test_choice_and_multi_choice(demo_library: Library) -> None:
    """equals/in on a choice; contains/in on a multi-choice."""
    f = {"demo.choice": {"kind": "choice", "value": "sudden"},
         "demo.multi": {"kind": "multi_choice", "values": ["neck", "arm"]}}
    assert check(demo_library, {"item": "demo.choice", "equals": "sudden"}, f) is True
    assert check(demo_library, {"item": "demo.choice", "in": ["gradual"]}, f) is False
    assert check(demo_library, {"item": "demo.multi", "contains": "arm"}, f) is True
    assert check(demo_library, {"item": "demo.multi", "contains": "hand"}, f) is False
    assert check(demo_library, {"item": "demo.multi", "in": ["hand", "neck"]}, f) is True


def test_graded_items(demo_library: Library) -> None:
    """MRC, reflex and sensation statuses follow their scales."""
    f = {"demo.mrc": {"kind": "mrc", "left": 4, "right": 5},
         "demo.reflex": {"kind": "reflex", "left": 3, "right": 1},
         "demo.sens": {"kind": "sensation", "left": "absent", "right": "normal"}}
    assert check(demo_library, {"item": "demo.mrc", "is": "abnormal", "side": "left"}, f) is True
    assert check(demo_library, {"item": "demo.mrc", "at_most": 3}, f) is False
    assert check(demo_library, {"item": "demo.reflex", "is": "brisk", "side": "left"}, f) is True
    assert check(demo_library, {"item": "demo.reflex", "is": "reduced", "side": "right"}, f) is True
    assert check(demo_library, {"item": "demo.sens", "is": "absent", "side": "left"}, f) is True
    assert check(demo_library, {"item": "demo.sens", "is": "abnormal", "side": "right"}, f) is False
    assert check(demo_library, {"item": "demo.mrc", "is": "abnormal"}, {"demo.mrc": {"kind": "mrc"}}) is None


def test_all_any_not_and_count(demo_library: Library) -> None:
    """Kleene logic: false dominates all, true dominates any, counts need enough known trues."""
    yes = {"item": "demo.yn", "is": "yes"}
    pos = {"item": "demo.sided", "is": "positive"}
    f = {"demo.yn": {"kind": "yes_no", "value": "yes"}}
    assert check(demo_library, {"all": [yes, pos]}, f) is None
    assert check(demo_library, {"any": [yes, pos]}, f) is True
    assert check(demo_library, {"all": [{"not": yes}, pos]}, f) is False
    assert check(demo_library, {"at_least": 1, "of": [yes, pos]}, f) is True
    assert check(demo_library, {"at_least": 2, "of": [yes, pos]}, f) is None
    f_no = {"demo.yn": {"kind": "yes_no", "value": "no"}, "demo.sided": {"kind": "sided_test", "left": {"result": "negative"}, "right": {"result": "negative"}}}
    assert check(demo_library, {"at_least": 1, "of": [yes, pos]}, f_no) is False


def test_patient_age_and_sex(demo_library: Library) -> None:
    """Age is computed on the visit date; sex compares the recorded value."""
    assert check(demo_library, {"patient": "age", "at_least": 55}, {}, born="1970-06-01") is True
    assert check(demo_library, {"patient": "age", "at_least": 56}, {}, born="1970-04-30") is True
    assert check(demo_library, {"patient": "age", "at_least": 56}, {}, born="1970-05-02") is False
    assert check(demo_library, {"patient": "sex", "equals": "female"}, {}) is True


def test_condition_shapes_are_validated() -> None:
    """Malformed conditions are refused with a message, never evaluated."""
    for bad in ({"item": "x"}, {"item": "x", "is": "yes", "equals": "no"}, {"at_least": 3, "of": [{"rule": "a"}]},
                {"nonsense": 1}, {"item": "x", "is": "maybe"}):
        with pytest.raises(ValidationError):
            CONDITION.validate_python(bad)


def test_rule_reference_uses_cluster_count(demo_library: Library) -> None:
    """A rule can refer to a cluster's count, which is unknown while items are untested."""
    from exam_assistant.engine.assess import assess

    findings = {"demo.yn": {"kind": "yes_no", "value": "yes"}, "demo.sided": SIDED_LEFT_ARM,
                "demo.mrc": {"kind": "mrc", "left": 4, "right": 5}}
    result = assess(encounter(findings, born="1960-01-01"), demo_library)
    assert [f.id for f in result.red_flags] == ["demo.red"]
    cluster = result.clusters[0]
    assert (cluster.positive, cluster.not_tested) == (2, 1)
    assert cluster.band == "2 of 3"
    assert cluster.posttest_probability == pytest.approx(0.646, abs=0.005)
    young = assess(encounter(findings, born="1990-01-01"), demo_library)
    assert young.red_flags == []
