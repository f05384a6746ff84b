"""What a result is worth (from the library's figures) and the feedback built on it."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from exam_assistant.engine.probability import post_test_probability
from exam_assistant.library import Library
from exam_assistant.models import SidedTest, SideResult
from exam_assistant.practice.case import Case
from exam_assistant.practice.evidence import effect_of, likelihood_ratio, pretest_for, result_on
from exam_assistant.practice.feedback import feedback_for
from exam_assistant.practice.loader import CaseLibrary
from exam_assistant.practice.model_answer import model_attempt
from exam_assistant.protocol import ClusterEffect
from tests.practice.conftest import attempt_for


def test_published_likelihood_ratio_is_used_when_the_pack_has_one(library: Library) -> None:
    """Spurling's LR- is read from the pack's evidence, not calculated."""
    lr = likelihood_ratio(library.items["radic.spurling"], "cervical_radiculopathy", "negative")
    assert lr is not None and not lr.calculated
    published = next(e.lr_negative.point for e in library.items["radic.spurling"].evidence if e.lr_negative)
    assert published == lr.value


def test_likelihood_ratio_is_calculated_from_sensitivity_and_specificity_when_missing(library: Library) -> None:
    """ULTT A has no published LR+: it is sensitivity / (1 - specificity) of its first entry, marked calculated."""
    item = library.items["radic.ultt_a"]
    lr = likelihood_ratio(item, "cervical_radiculopathy", "positive")
    first = next(e for e in item.evidence if e.sensitivity and e.sensitivity.point and e.specificity
                 and e.specificity.point)
    assert lr is not None and lr.calculated
    assert round(first.sensitivity.point / (1 - first.specificity.point), 2) == lr.value  # type: ignore[union-attr,operator]


@pytest.mark.parametrize(("lr", "effect"), [(6.1, "raises"), (2.0, "raises"), (1.2, "little_change"),
                                            (0.5, "lowers"), (0.14, "lowers")])
def test_effect_thresholds_follow_the_likelihood_ratio(lr: float, effect: str) -> None:
    """LR 2 and above raises, 0.5 and below lowers, in between barely changes the probability."""
    assert effect == effect_of(lr)


def test_result_on_a_side_counts_only_positive_criteria(library: Library) -> None:
    """Spurling's with neck pain only reads negative; with arm pain, positive; untested side, unknown."""
    item = library.items["radic.spurling"]
    finding = SidedTest(left=SideResult(result="positive", criteria=["neck_pain_only"]),
                        right=SideResult(result="positive", criteria=["arm_pain"]))
    assert result_on(finding, item, "left") == "negative"
    assert result_on(finding, item, "right") == "positive"
    assert result_on(finding, item, "any") == "positive"
    assert result_on(SidedTest(), item, "left") is None


def test_negative_ultt_feedback_quotes_the_library_lr_and_post_test_probability(
    fixture_case: Case, library: Library
) -> None:
    """A missed ULTT A interpretation is explained with the pack's LR- and the Wainner baseline's post-test."""
    feedback = feedback_for(fixture_case, attempt_for(fixture_case, ["radic.ultt_a"]), library)
    entry = next(e for e in feedback.entries if e.checklist_id == "interp_ultt")
    lr = likelihood_ratio(library.items["radic.ultt_a"], "cervical_radiculopathy", "negative")
    pre = pretest_for("cervical_radiculopathy", library)
    assert lr is not None and pre is not None
    text = " ".join(entry.explanation)
    assert f"LR− {lr.value:g}" in text
    assert f"{post_test_probability(pre.probability, lr.value) * 100:.0f}%" in text
    assert "lowers the probability" in text
    assert set(lr.evidence.references) <= set(entry.references)


def test_pretest_probability_comes_from_a_cluster_rule(library: Library) -> None:
    """The baseline for radiculopathy is the pre-test probability of the library's cluster rule for it."""
    pre = pretest_for("cervical_radiculopathy", library)
    assert pre is not None
    effect = library.rules[pre.rule_id].effect
    assert isinstance(effect, ClusterEffect) and effect.pretest_probability == pre.probability


def test_missed_red_flag_feedback_names_what_raised_it_and_the_action(cases: CaseLibrary, library: Library) -> None:
    """Leaving out the aortic dissection flag is explained by its triggers and its action, with sources."""
    case = cases.get("aortic_dissection")
    assert case is not None
    attempt = model_attempt(case, library)
    attempt.answers.red_flags = []
    feedback = feedback_for(case, attempt, library)
    entry = next(e for e in feedback.entries if e.checklist_id == "red_flag")
    rule = library.rules["rf.aortic_dissection"]
    assert entry.status == "missed"
    assert rule.effect.action in " ".join(entry.explanation)  # type: ignore[union-attr]
    assert set(rule.references) <= set(entry.references)
    assert feedback.score.global_rating == "clear_fail"


def test_feedback_lists_misses_before_met_items(fixture_case: Case, library: Library) -> None:
    """Missed lines come first, met lines last."""
    attempt = attempt_for(fixture_case, ["history.arm_symptoms", "history.fever"])
    statuses = [e.status for e in feedback_for(fixture_case, attempt, library).entries]
    assert statuses.index("missed") < statuses.index("met")


def test_feedback_references_all_resolve_to_library_references(fixture_case: Case, library: Library) -> None:
    """Every reference in the feedback is a library reference with a citation and a link."""
    feedback = feedback_for(fixture_case, attempt_for(fixture_case, ["radic.valsalva"]), library)
    keys = {k for e in feedback.entries for k in e.references} | {r.key for r in feedback.references}
    assert keys and keys <= set(library.references)
    assert all(r.citation and r.link for r in feedback.references)


def test_evidence_notes_compare_the_students_cluster_with_the_whole_case(cases: CaseLibrary,
                                                                        library: Library) -> None:
    """After Spurling's alone, the Wainner cluster shows tests missing; the whole case shows its post-test figure."""
    case = cases.get("c6_radiculopathy")
    assert case is not None
    feedback = feedback_for(case, attempt_for(case, ["history.arm_symptoms", "radic.spurling"]), library)
    note = next(n for n in feedback.evidence if n.title == library.rules["radic.wainner"].title)
    assert "not tested" in note.yours
    assert "post-test probability" in note.whole_case


def test_overridden_effect_explains_which_criterion_the_result_rests_on(make_case: Callable[..., Case],
                                                                       library: Library) -> None:
    """When the case overrides the library's effect, the feedback names the criterion recorded."""
    case = make_case(
        findings={"tos.adson": {"kind": "sided_test", "left": {"result": "positive", "criteria": ["pulse_change"]}}},
        expected={"interpretations": [{"item": "radic.ultt_a"}, {"item": "radic.spurling", "effect": "little_change"},
                                      {"item": "tos.adson", "effect": "little_change"}]},
        marking={"checklist": [{"id": "adson", "text": "Interprets Adson's", "domain": "interpretation",
                                "points": 1, "check": {"check": "interpreted", "item": "tos.adson"}}]},
    )
    feedback = feedback_for(case, attempt_for(case, ["tos.adson"]), library)
    text = " ".join(next(e for e in feedback.entries if e.checklist_id == "adson").explanation)
    pulse = next(c.label for c in library.items["tos.adson"].criteria if c.value == "pulse_change")
    assert pulse in text
    assert "barely changes the probability" in text
