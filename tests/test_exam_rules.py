"""Rules of the radiculopathy, TOS, neuro and pathways_msk packs, one behaviour per rule id.

Each rule id has a case that must fire it and a near-miss that must not; the clusters and the
SVS points rule have their own tests, including "not tested is never negative" and "pulse
change alone is never a TOS positive".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest

from exam_assistant.engine.assess import assess
from exam_assistant.engine.assessment import Assessment, ClusterResult, DecisionResult
from exam_assistant.library import Library
from exam_assistant.models import Encounter

Findings = dict[str, Any]
HELPER_B_PACKS = ("radiculopathy", "tos", "neuro", "pathways_msk")

# ------------------------------------------------------------------ shorthand


def yn(value: str) -> dict[str, str]:
    return {"kind": "yes_no", "value": value}


def choice(value: str) -> dict[str, str]:
    return {"kind": "choice", "value": value}


def multi(*values: str) -> dict[str, Any]:
    return {"kind": "multi_choice", "values": list(values)}


def number(value: float) -> dict[str, Any]:
    return {"kind": "number", "value": value}


def sided(left: str = "not_tested", right: str = "not_tested", lc: tuple[str, ...] = (),
          rc: tuple[str, ...] = ()) -> dict[str, Any]:
    """A sided test: result and recorded criteria for each side."""
    return {"kind": "sided_test", "left": {"result": left, "criteria": list(lc)},
            "right": {"result": right, "criteria": list(rc)}}


def left_pos(*criteria: str) -> dict[str, Any]:
    return sided("positive", "negative", lc=criteria)


def both_neg() -> dict[str, Any]:
    return sided("negative", "negative")


def mrc(left: int | None, right: int | None) -> dict[str, Any]:
    return {"kind": "mrc", "left": left, "right": right}


def reflex(left: int | None, right: int | None) -> dict[str, Any]:
    return {"kind": "reflex", "left": left, "right": right}


def sensation(left: str, right: str) -> dict[str, str]:
    return {"kind": "sensation", "left": left, "right": right}


SENSORY = ("c4", "c5", "c6", "c7", "c8", "t1")
MUSCLES = ("shoulder_abduction", "elbow_flexion", "wrist_extension", "elbow_extension",
           "finger_flexion", "finger_abduction")
REFLEXES = ("biceps", "brachioradialis", "triceps")
TOS_TESTS = ("adson", "wright", "costoclavicular", "roos_east", "elvey_ultt",
             "supraclavicular_pressure", "cyriax_release")

POWER_NORMAL: Findings = {f"neuro.power_{m}": mrc(5, 5) for m in MUSCLES}
NEURO_NORMAL: Findings = {
    **{f"neuro.sens_{s}": sensation("normal", "normal") for s in SENSORY},
    **POWER_NORMAL,
    **{f"neuro.reflex_{r}": reflex(2, 2) for r in REFLEXES},
    "neuro.hoffmann": both_neg(),
}
RADIC: Findings = {"history.arm_symptoms": choice("left"), "radic.spurling": left_pos("arm_pain")}
NECK_ONLY: Findings = {"history.location": multi("neck"), "history.arm_symptoms": choice("none")}
EAST_STOPPED: Findings = {"tos.roos_east": left_pos("paraesthesia", "stopped_early")}
PULSE_ONLY: Findings = {f"tos.{t}": both_neg() for t in TOS_TESTS} | {"tos.roos_east": left_pos("pulse_change")}
COOK_THREE: Findings = {"neuro.gait_abnormal": yn("yes"), "neuro.hoffmann": left_pos(),
                        "neuro.inverted_supinator": left_pos()}


def encounter(findings: Findings, age: int = 50, pretest: dict[str, float] | None = None) -> Encounter:
    """An encounter on 1 May 2026 for a patient of exactly ``age`` years."""
    return Encounter.model_validate({
        "patient": {"name": "Test Patient", "date_of_birth": date(2026 - age, 1, 1).isoformat(), "sex": "female"},
        "created_at": "2026-05-01T09:30:00Z",
        "findings": findings,
        "pretest_probabilities": pretest or {},
    })


def run(library: Library, findings: Findings, age: int = 50, pretest: dict[str, float] | None = None) -> Assessment:
    return assess(encounter(findings, age, pretest), library)


def fired(result: Assessment) -> set[str]:
    """Ids of every rule that fired and shows in the assessment (held-back rules included)."""
    ids = set(result.flags) | {f.id for f in result.red_flags}
    ids |= {e.rule for d in result.differential for e in [*d.for_, *d.against]}
    ids |= {i.id for i in result.imaging} | {t.id for t in result.treatment}
    ids |= {c.id for c in result.clusters if c.called_positive}
    ids |= {h.id for h in result.held_back}
    return ids


def cluster(result: Assessment, rule_id: str) -> ClusterResult:
    [found] = [c for c in result.clusters if c.id == rule_id]
    return found


def decision(result: Assessment, rule_id: str) -> DecisionResult:
    [found] = [d for d in result.decisions if d.id == rule_id]
    return found


# ------------------------------------------------------------------ one case per rule id


@dataclass(frozen=True)
class Case:
    fires: Findings
    quiet: Findings
    age: int = 50
    quiet_age: int | None = None
    note: str = field(default="")


def fires_and_stays_quiet(library: Library, rule_id: str, case: Case) -> None:
    """``rule_id`` fires on the case's findings and not on its near miss (which lacks one finding)."""
    assert rule_id in library.rules, f"{rule_id} is not loaded"
    assert rule_id in fired(run(library, case.fires, case.age))
    quiet_age = case.quiet_age if case.quiet_age is not None else case.age
    assert rule_id not in fired(run(library, case.quiet, quiet_age))


CASES: dict[str, Case] = {
    # radiculopathy pack
    "radic.wainner": Case(
        fires={**RADIC, "radic.distraction": left_pos(), "radic.ultt_a": left_pos("symptoms_reproduced")},
        quiet={**RADIC, "radic.distraction": both_neg(), "radic.ultt_a": left_pos("symptoms_reproduced"),
               "radic.rotation_lt_60": both_neg()}),
    "radic.ultt_negative": Case(
        fires={"history.arm_symptoms": choice("left"), "radic.ultt_a": sided("negative")},
        quiet={"history.arm_symptoms": choice("left"), "radic.ultt_a": sided("positive", "negative")}),
    "radic.pattern": Case(
        fires=RADIC,
        quiet={"history.arm_symptoms": choice("left"), "radic.spurling": left_pos("neck_pain_only")}),
    "radic.suspected": Case(
        fires={"history.arm_symptoms": choice("right"), "history.below_elbow": yn("yes"),
               "neuro.sens_c6": sensation("normal", "reduced")},
        quiet={"history.arm_symptoms": choice("right"), "history.below_elbow": yn("no"),
               "neuro.sens_c6": sensation("normal", "reduced")}),
    # TOS pack
    "tos.cluster": Case(
        fires={"tos.adson": left_pos("pain_reproduced"), "tos.wright": left_pos("paraesthesia"),
               "tos.costoclavicular": left_pos("heaviness_weakness")},
        quiet=PULSE_ONLY),
    "tos.cluster_pain2": Case(
        fires={"tos.adson": left_pos("pain_reproduced"), "tos.wright": left_pos("pain_reproduced")},
        quiet={f"tos.{t}": both_neg() for t in TOS_TESTS}
        | {"tos.adson": left_pos("pain_reproduced"), "tos.wright": left_pos("paraesthesia")}),
    "tos.cluster_any3": Case(
        fires={"tos.adson": left_pos("pain_reproduced"), "tos.wright": left_pos("paraesthesia"),
               "tos.cyriax_release": left_pos("heaviness_weakness")},
        quiet={f"tos.{t}": both_neg() for t in TOS_TESTS}
        | {"tos.adson": left_pos("pain_reproduced"), "tos.wright": left_pos("paraesthesia"),
           "tos.costoclavicular": left_pos("pulse_change")}),
    "tos.east_stopped": Case(fires=EAST_STOPPED, quiet={"tos.roos_east": left_pos("paraesthesia")}),
    "tos.provocation_positive": Case(fires=EAST_STOPPED, quiet=PULSE_ONLY),
    "tos.pulse_change_only": Case(fires={"tos.adson": left_pos("pulse_change")},
                                  quiet={"tos.adson": left_pos("pain_reproduced")}),
    "tos.subtype_venous": Case(fires={"history.arm_swelling": yn("yes")}, quiet={"history.arm_swelling": yn("no")}),
    # a pulse difference alone is also the sign of aortic dissection, so it must not fire this rule
    "tos.subtype_arterial": Case(fires={"history.arm_claudication": yn("yes")},
                                 quiet={"history.arm_pallor_cold": yn("no"), "rf.pulse_or_bp_difference": yn("yes"),
                                        "history.arm_claudication": yn("no"), "history.digital_ischaemia": yn("no")}),
    "tos.subtype_neurogenic": Case(
        fires={"history.positional_arm_symptoms": yn("yes"), **EAST_STOPPED},
        quiet={"history.positional_arm_symptoms": yn("yes"), **PULSE_ONLY}),
    # neuro pack
    "neuro.cook": Case(fires=COOK_THREE, quiet=COOK_THREE | {"neuro.gait_abnormal": yn("no"), "neuro.babinski": both_neg()},
                       age=40),
    "neuro.umn_sign": Case(fires={"neuro.babinski": sided("negative", "positive")},
                           quiet={t: both_neg() for t in ("neuro.hoffmann", "neuro.babinski", "neuro.clonus",
                                                          "neuro.inverted_supinator")}),
    "neuro.root_deficit": Case(fires={"neuro.reflex_triceps": reflex(1, 2)}, quiet=NEURO_NORMAL),
    "neuro.multi_level_weakness": Case(
        fires={**POWER_NORMAL, "neuro.power_wrist_extension": mrc(4, 5), "neuro.power_elbow_extension": mrc(4, 5)},
        quiet={**POWER_NORMAL, "neuro.power_wrist_extension": mrc(4, 5)}),
    "neuro.screen_normal": Case(fires=NEURO_NORMAL,
                                quiet={k: v for k, v in NEURO_NORMAL.items() if k != "neuro.sens_t1"}),
    "neuro.myelopathy_pattern": Case(
        fires={"neuro.hoffmann": left_pos(), "history.hand_clumsiness": yn("yes")},
        quiet={"neuro.hoffmann": left_pos(), "history.hand_clumsiness": yn("no"), "history.gait_imbalance": yn("no")},
        age=40),
    # pathways: differential
    "dx.radic_spurling": Case(fires=RADIC, quiet={"radic.spurling": left_pos("shoulder_pain_only")}),
    "dx.radic_wainner": Case(
        fires={**RADIC, "radic.distraction": left_pos(), "radic.ultt_a": left_pos()},
        quiet={**RADIC, "radic.distraction": both_neg(), "radic.ultt_a": left_pos(), "radic.rotation_lt_60": both_neg()}),
    "dx.radic_distraction": Case(fires={"radic.distraction": left_pos()}, quiet={"radic.distraction": both_neg()}),
    "dx.radic_abduction_relief": Case(fires={"history.easing": multi("hand_on_head")},
                                      quiet={"history.easing": multi("rest")}),
    "dx.radic_dermatomal_paraesthesia": Case(
        fires={"history.arm_symptoms": choice("left"), "history.paraesthesia": yn("yes"),
               "history.paraesthesia_where": multi("thumb_index")},
        quiet={"history.arm_symptoms": choice("left"), "history.paraesthesia": yn("yes"),
               "history.paraesthesia_where": multi("whole_hand")}),
    "dx.radic_below_elbow": Case(
        fires={"history.arm_symptoms": choice("right"), "history.below_elbow": yn("yes")},
        quiet={"history.arm_symptoms": choice("right"), "history.below_elbow": yn("no")}),
    "dx.radic_root_deficit": Case(fires={"neuro.reflex_biceps": reflex(1, 2)}, quiet=NEURO_NORMAL),
    "dx.radic_ultt_negative": Case(fires={**RADIC, "radic.ultt_a": sided("negative")},
                                   quiet={**RADIC, "radic.ultt_a": sided("positive")}),
    "dx.radic_peripheral_pattern": Case(
        fires={**RADIC, "neuro.sensory_pattern": choice("median")},
        quiet={**RADIC, "neuro.sensory_pattern": choice("dermatomal")}),
    "dx.myelo_cook": Case(fires=COOK_THREE, quiet=COOK_THREE | {"neuro.gait_abnormal": yn("no")}, age=40),
    "dx.myelo_umn_sign": Case(fires={"neuro.clonus": left_pos()}, quiet={"neuro.clonus": both_neg()}),
    "dx.myelo_hands": Case(fires={"history.hand_clumsiness": yn("yes")}, quiet={"history.hand_clumsiness": yn("no")}),
    "dx.myelo_gait": Case(fires={"history.gait_imbalance": yn("yes")},
                          quiet={"history.gait_imbalance": yn("no"), "neuro.gait_abnormal": yn("no")}),
    "dx.myelo_lhermitte": Case(fires={"neuro.lhermitte": yn("yes")}, quiet={"neuro.lhermitte": yn("no")}),
    "dx.myelo_cook_low": Case(
        fires={"history.hand_clumsiness": yn("yes"), "neuro.gait_abnormal": yn("no"), "neuro.hoffmann": both_neg(),
               "neuro.inverted_supinator": both_neg(), "neuro.babinski": both_neg()},
        quiet={"history.hand_clumsiness": yn("yes"), "neuro.hoffmann": both_neg()}, age=40),
    "dx.ntos_provocation": Case(fires=EAST_STOPPED, quiet=PULSE_ONLY),
    "dx.ntos_positional": Case(fires={"history.positional_arm_symptoms": yn("yes")},
                               quiet={"history.positional_arm_symptoms": yn("no")}),
    "dx.ntos_svs": Case(
        fires={"tos.svs_local_findings": yn("yes"), "tos.svs_peripheral_signs": yn("yes"),
               "tos.svs_no_better_explanation": yn("yes")},
        quiet={"tos.svs_local_findings": yn("yes"), "tos.svs_peripheral_signs": yn("yes"),
               "tos.svs_no_better_explanation": yn("no")}),
    "dx.ntos_c8_t1": Case(fires={"history.paraesthesia_where": multi("ring_little")},
                          quiet={"history.paraesthesia_where": multi("thumb_index")}),
    "dx.ntos_overhead": Case(fires={"history.overhead_work_or_sport": yn("yes")},
                             quiet={"history.overhead_work_or_sport": yn("no")}),
    "dx.ntos_no_symptom_positive": Case(
        fires={"history.positional_arm_symptoms": yn("yes"), **{f"tos.{t}": both_neg() for t in TOS_TESTS}},
        quiet={"history.positional_arm_symptoms": yn("yes"),
               **{f"tos.{t}": both_neg() for t in TOS_TESTS if t != "cyriax_release"}}),
    "dx.vtos_pattern": Case(fires={"history.arm_cyanosis": yn("yes")}, quiet={"history.arm_cyanosis": yn("no")}),
    "dx.vtos_effort": Case(
        fires={"history.arm_swelling": yn("yes"), "history.aggravating": multi("exertion")},
        quiet={"history.arm_swelling": yn("yes"), "history.aggravating": multi("sustained_posture"),
               "history.overhead_work_or_sport": yn("no")}),
    "dx.atos_pattern": Case(fires={"history.digital_ischaemia": yn("yes")}, quiet={"history.digital_ischaemia": yn("no")}),
    "dx.nsnp_normal_neuro": Case(fires={**NECK_ONLY, **NEURO_NORMAL},
                                 quiet={**NECK_ONLY, **NEURO_NORMAL, "neuro.reflex_triceps": reflex(1, 2)}),
    "dx.nsnp_no_arm_symptoms": Case(fires=NECK_ONLY, quiet={**NECK_ONLY, "history.arm_symptoms": choice("left")}),
    "dx.nsnp_mechanical": Case(
        fires={**NECK_ONLY, "history.aggravating": multi("sustained_posture")},
        quiet={**NECK_ONLY, "history.aggravating": multi("cough_strain")}),
    "dx.myofascial_trigger_points": Case(fires={"msk.trigger_points": yn("yes")},
                                         quiet={"msk.trigger_points": yn("no")}),
    "dx.myofascial_regional": Case(
        fires={"history.location": multi("upper_trapezius"), **NEURO_NORMAL},
        quiet={"history.location": multi("upper_trapezius")}),
    "dx.facet_loading": Case(fires={"msk.facet_loading": left_pos()}, quiet={"msk.facet_loading": both_neg()}),
    "dx.facet_older_axial": Case(fires=NECK_ONLY, quiet=NECK_ONLY, age=60, quiet_age=45),
    "dx.pne_median_provocation": Case(fires={"neuro.median_wrist_provocation": left_pos()},
                                      quiet={"neuro.median_wrist_provocation": both_neg()}),
    "dx.pne_ulnar_provocation": Case(fires={"neuro.ulnar_elbow_provocation": left_pos()},
                                     quiet={"neuro.ulnar_elbow_provocation": both_neg()}),
    "dx.pne_night_shaking": Case(fires={"neuro.night_tingling_shaking": yn("yes")},
                                 quiet={"neuro.night_tingling_shaking": yn("no")}),
    "dx.pne_nerve_territory": Case(fires={"neuro.sensory_pattern": choice("ulnar")},
                                   quiet={"neuro.sensory_pattern": choice("glove")}),
    "dx.pne_dermatomal": Case(
        fires={"neuro.median_wrist_provocation": left_pos(), "neuro.sensory_pattern": choice("dermatomal")},
        quiet={"neuro.median_wrist_provocation": left_pos(), "neuro.sensory_pattern": choice("median")}),
    "dx.pne_spurling_positive": Case(
        fires={"neuro.night_tingling_shaking": yn("yes"), **RADIC},
        quiet={"neuro.night_tingling_shaking": yn("yes"), "radic.spurling": both_neg()}),
    "dx.shoulder_movement": Case(fires={"neuro.shoulder_painful_movement": left_pos("painful_arc")},
                                 quiet={"neuro.shoulder_painful_movement": both_neg()}),
    "dx.shoulder_location": Case(
        fires={"history.location": multi("shoulder"), "history.below_elbow": yn("no")},
        quiet={"history.location": multi("shoulder"), "history.below_elbow": yn("yes")}),
    # pathways: imaging
    "img.neck_pain_no_red_flags": Case(fires=NECK_ONLY, quiet={**NECK_ONLY, "history.arm_symptoms": choice("right")}),
    "img.radiculopathy_early": Case(
        fires={**RADIC, **POWER_NORMAL, "history.duration_weeks": number(2)},
        quiet={**RADIC, **POWER_NORMAL, "history.duration_weeks": number(8)}),
    "img.radiculopathy_persistent": Case(
        fires={**RADIC, "history.duration_weeks": number(8)},
        quiet={**RADIC, "history.duration_weeks": number(3)}),
    "img.radiculopathy_deficit": Case(
        fires={**RADIC, **POWER_NORMAL, "neuro.power_elbow_extension": mrc(3, 5)},
        quiet={**RADIC, **POWER_NORMAL, "history.rapid_progression": yn("no")}),
    "img.myelopathy": Case(fires=COOK_THREE, quiet={"neuro.hoffmann": left_pos(), "history.hand_clumsiness": yn("no"),
                                                     "history.gait_imbalance": yn("no")}, age=40),
    "img.ntos": Case(fires=EAST_STOPPED, quiet=PULSE_ONLY),
    "img.vtos": Case(fires={"history.arm_swelling": yn("yes")}, quiet={"history.arm_swelling": yn("no")}),
    "img.atos": Case(fires={"history.arm_claudication": yn("yes")}, quiet={"history.arm_claudication": yn("no")}),
    "img.edx_level_uncertain": Case(fires={"neuro.ulnar_elbow_provocation": left_pos()},
                                    quiet={"neuro.ulnar_elbow_provocation": both_neg()}),
    # pathways: treatment
    "tx.neck_pain_acute": Case(fires={**NECK_ONLY, "history.duration_weeks": number(2)},
                               quiet={**NECK_ONLY, "history.duration_weeks": number(6)}),
    "tx.neck_pain_subacute": Case(fires={**NECK_ONLY, "history.duration_weeks": number(6)},
                                  quiet={**NECK_ONLY, "history.duration_weeks": number(2)}),
    "tx.neck_pain_chronic": Case(fires={**NECK_ONLY, "history.duration_weeks": number(20)},
                                 quiet={**NECK_ONLY, "history.duration_weeks": number(6)}),
    "tx.radiculopathy": Case(fires=RADIC, quiet={**RADIC, "radic.spurling": left_pos("neck_pain_only")}),
    "tx.facet": Case(fires={"msk.facet_loading": left_pos(), "history.arm_symptoms": choice("none")},
                     quiet={"msk.facet_loading": left_pos(), "history.arm_symptoms": choice("left")}),
    "tx.myelopathy": Case(fires=COOK_THREE, quiet={"neuro.hoffmann": left_pos(), "history.hand_clumsiness": yn("no"),
                                                   "history.gait_imbalance": yn("no")}, age=40),
    "tx.ntos": Case(fires=EAST_STOPPED, quiet=PULSE_ONLY),
    "tx.vtos": Case(fires={"history.dilated_chest_veins": yn("yes")}, quiet={"history.dilated_chest_veins": yn("no")}),
    "tx.atos": Case(fires={"history.arm_pallor_cold": yn("yes")}, quiet={"history.arm_pallor_cold": yn("no")}),
    # issue 11: response to conservative care, arm heaviness, a known cervical rib
    "course.conservative_care_failed": Case(
        fires={"history.conservative_care_weeks": number(8), "history.conservative_care_response": choice("no_better")},
        quiet={"history.conservative_care_weeks": number(8), "history.conservative_care_response": choice("improving")}),
    "tx.radiculopathy_failed_conservative": Case(
        fires={**RADIC, "history.conservative_care_weeks": number(6), "history.conservative_care_response": choice("worse")},
        quiet={**RADIC, "history.conservative_care_weeks": number(4), "history.conservative_care_response": choice("worse")}),
    "dx.atos_cervical_rib": Case(fires={"history.cervical_rib": yn("yes"), "history.arm_pallor_cold": yn("yes")},
                                 quiet={"history.cervical_rib": yn("no"), "history.arm_pallor_cold": yn("yes")}),
    "dx.ntos_cervical_rib": Case(fires={"history.cervical_rib": yn("yes"), "history.positional_arm_symptoms": yn("yes")},
                                 quiet={"history.cervical_rib": yn("yes"), "history.positional_arm_symptoms": yn("no")}),
    "dx.ntos_arm_heaviness": Case(fires={"history.arm_heaviness": yn("yes"), "history.positional_arm_symptoms": yn("yes")},
                                  quiet={"history.arm_heaviness": yn("no"), "history.positional_arm_symptoms": yn("yes")}),
    "dx.vtos_heaviness_with_swelling": Case(fires={"history.arm_heaviness": yn("yes"), "history.arm_swelling": yn("yes")},
                                            quiet={"history.arm_heaviness": yn("no"), "history.arm_swelling": yn("yes")}),
}
# tos.svs is a points rule: it has its own tests below.
OWN_TESTS = {"tos.svs"}


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_fires_on_its_pattern_and_not_on_the_near_miss(rule_id: str, library: Library) -> None:
    """The rule fires for its case and stays silent for the near-miss that lacks one finding."""
    fires_and_stays_quiet(library, rule_id, CASES[rule_id])


def test_every_rule_of_these_packs_has_a_case(library: Library) -> None:
    """No rule of the four packs goes untested."""
    defined = {r.id for pid in HELPER_B_PACKS for r in library.packs[pid].pack.rules}
    assert defined - set(CASES) - OWN_TESTS == set()
    assert set(CASES) - defined == set()


# ------------------------------------------------------------------ radic.wainner


def test_radic_wainner_four_of_four_gives_lr_30_and_about_90_percent(library: Library) -> None:
    """All four items positive on the symptomatic side: +LR 30.3, post-test about 90% from 23%."""
    result = run(library, {**RADIC, "radic.distraction": left_pos(), "radic.ultt_a": left_pos(),
                           "radic.rotation_lt_60": left_pos()})
    wainner = cluster(result, "radic.wainner")
    assert (wainner.positive, wainner.band, wainner.lr_positive) == (4, "4 of 4 positive", 30.3)
    assert wainner.posttest_probability == pytest.approx(0.90, abs=0.005)
    assert wainner.verification == "secondary"


def test_radic_wainner_three_of_four_gives_lr_6_1_and_about_65_percent(library: Library) -> None:
    """Three items positive: +LR 6.1, post-test about 65% at the back-calculated 23% baseline."""
    result = run(library, {**RADIC, "radic.distraction": left_pos(), "radic.ultt_a": left_pos(),
                           "radic.rotation_lt_60": both_neg()})
    wainner = cluster(result, "radic.wainner")
    assert (wainner.positive, wainner.lr_positive, wainner.called_positive) == (3, 6.1, True)
    assert wainner.posttest_probability == pytest.approx(0.65, abs=0.01)


def test_radic_wainner_uses_the_clinicians_pretest_probability(library: Library) -> None:
    """A pre-test probability entered for the cluster replaces the study baseline."""
    findings = {**RADIC, "radic.distraction": left_pos(), "radic.ultt_a": left_pos(), "radic.rotation_lt_60": both_neg()}
    result = run(library, findings, pretest={"radic.wainner": 0.5})
    assert cluster(result, "radic.wainner").posttest_probability == pytest.approx(6.1 / 7.1)


def test_radic_wainner_not_tested_items_are_never_negative(library: Library) -> None:
    """Spurling's negative and three items not tested: undetermined, no band, not called negative."""
    result = run(library, {"history.arm_symptoms": choice("left"), "radic.spurling": sided("negative"),
                           "radic.ultt_a": sided(), "radic.distraction": sided(), "radic.rotation_lt_60": sided()})
    wainner = cluster(result, "radic.wainner")
    assert (wainner.positive, wainner.negative, wainner.not_tested) == (0, 1, 3)
    assert wainner.called_positive is None
    assert wainner.band is None
    assert not wainner.complete


def test_radic_wainner_reads_rotation_on_the_symptomatic_side_only(library: Library) -> None:
    """Restricted rotation toward the side without symptoms is not the Wainner item."""
    result = run(library, {"history.arm_symptoms": choice("right"), "radic.rotation_lt_60": left_pos()})
    wainner = cluster(result, "radic.wainner")
    assert wainner.positive == 0
    assert wainner.negative == 1


def test_radic_wainner_does_not_count_spurling_with_neck_pain_only(library: Library) -> None:
    """Spurling's reproducing neck pain only is a negative item, not a positive one."""
    result = run(library, {"history.arm_symptoms": choice("left"), "radic.spurling": left_pos("neck_pain_only"),
                           "radic.distraction": both_neg(), "radic.ultt_a": left_pos(),
                           "radic.rotation_lt_60": left_pos()})
    wainner = cluster(result, "radic.wainner")
    assert (wainner.positive, wainner.negative, wainner.called_positive) == (2, 2, False)
    assert "dx.radic_spurling" not in fired(result)


def test_radic_ultt_negative_on_the_asymptomatic_side_means_nothing(library: Library) -> None:
    """A negative ULTT A on the arm without symptoms does not flag radiculopathy as unlikely."""
    result = run(library, {"history.arm_symptoms": choice("left"), "radic.ultt_a": sided("not_tested", "negative")})
    assert "radic.ultt_negative" not in fired(result)


# ------------------------------------------------------------------ tos.cluster and friends


def test_tos_cluster_never_counts_pulse_change_alone(library: Library) -> None:
    """Every manoeuvre positive by pulse change only: zero counted, cluster called negative."""
    findings = {f"tos.{t}": sided("positive", "positive", lc=("pulse_change",), rc=("pulse_change",))
                for t in ("adson", "wright", "costoclavicular", "roos_east", "supraclavicular_pressure")}
    findings |= {"tos.elvey_ultt": both_neg(), "tos.cyriax_release": both_neg()}
    result = run(library, findings)
    tos = cluster(result, "tos.cluster")
    assert (tos.positive, tos.negative, tos.called_positive) == (0, 7, False)
    assert "tos.provocation_positive" not in fired(result)
    assert "tos.pulse_change_only" in fired(result)


def test_tos_cluster_counts_a_manoeuvre_with_pain_and_pulse_change(library: Library) -> None:
    """Pain reproduced counts even when a pulse change is also recorded on the same side."""
    result = run(library, {"tos.adson": left_pos("pain_reproduced", "pulse_change")})
    assert cluster(result, "tos.cluster").positive == 1


def test_tos_cluster_ignores_a_positive_with_no_recorded_criterion(library: Library) -> None:
    """A positive without what was reproduced cannot be shown to be symptom-based, so it is not counted."""
    result = run(library, {"tos.adson": left_pos(), "tos.wright": both_neg()})
    assert cluster(result, "tos.cluster").positive == 0


def test_tos_cluster_not_tested_manoeuvres_leave_it_undetermined(library: Library) -> None:
    """Two symptom positives with five manoeuvres not tested: neither positive nor negative."""
    result = run(library, {"tos.adson": left_pos("paraesthesia"), "tos.wright": left_pos("paraesthesia")})
    tos = cluster(result, "tos.cluster")
    assert (tos.positive, tos.not_tested, tos.called_positive) == (2, 5, None)
    assert "tos.provocation_positive" not in fired(result)


def test_tos_cluster_states_the_false_positive_caveat(library: Library) -> None:
    """The caveat quotes Nord 2008: 56% of healthy people and 94% with carpal tunnel syndrome."""
    tos = cluster(run(library, {"tos.adson": left_pos("pain_reproduced")}), "tos.cluster")
    assert tos.caveat is not None
    assert "56%" in tos.caveat and "94%" in tos.caveat


def test_tos_cluster_thresholds_never_claim_a_diagnosis(library: Library) -> None:
    """Every positive band says it supports, never diagnoses, neurogenic TOS or does not support it."""
    rule = library.rules["tos.cluster"]
    for band in rule.effect.thresholds:  # type: ignore[union-attr]
        assert "diagnos" not in band.interpretation.lower() or "never diagnostic" in band.interpretation.lower()


def test_tos_east_stopped_early_alone_makes_the_provocation_positive(library: Library) -> None:
    """Stopping the Roos test early because of symptoms is a positive route on its own."""
    assert "tos.provocation_positive" in fired(run(library, EAST_STOPPED))


# ------------------------------------------------------------------ tos.svs


def test_tos_svs_three_of_three_says_criterion_4_not_assessed(library: Library) -> None:
    """All three bedside criteria give 3 points and a band that says the injection was not assessed."""
    result = run(library, {"tos.svs_local_findings": yn("yes"), "tos.svs_peripheral_signs": yn("yes"),
                           "tos.svs_no_better_explanation": yn("yes")})
    svs = decision(result, "tos.svs")
    assert svs.score == 3
    assert svs.band is not None and "criterion 4" in svs.band and "not assessed" in svs.band


def test_tos_svs_unanswered_criteria_are_missing_not_zero(library: Library) -> None:
    """One criterion met and two unanswered: the score lists them as missing."""
    svs = decision(run(library, {"tos.svs_local_findings": yn("yes")}), "tos.svs")
    assert svs.score == 1
    assert len(svs.missing) == 2


def test_tos_svs_bands_all_state_criterion_4_is_not_assessed(library: Library) -> None:
    """Both bands of the SVS rule carry the 'criterion 4 not assessed' wording."""
    bands = library.rules["tos.svs"].effect.bands  # type: ignore[union-attr]
    assert all("criterion 4" in b.label and "not assessed" in b.label for b in bands)


# ------------------------------------------------------------------ neuro.cook


def test_neuro_cook_age_alone_with_untested_signs_is_not_a_rule_out(library: Library) -> None:
    """Age over 45 with every sign not tested: no rule-out band and no 'against' finding."""
    findings = {"neuro.hoffmann": sided(), "neuro.babinski": sided(), "neuro.inverted_supinator": sided(),
                "neuro.gait_abnormal": yn("unknown"), "history.hand_clumsiness": yn("yes")}
    result = run(library, findings, age=60)
    assert not [c for c in result.clusters if c.id == "neuro.cook" and c.called_positive is False]
    assert "dx.myelo_cook_low" not in fired(result)


def test_neuro_cook_one_positive_with_all_tested_gives_the_rule_out_band(library: Library) -> None:
    """Only age positive and the four signs tested negative: -LR 0.18 band."""
    result = run(library, {"neuro.hoffmann": both_neg(), "neuro.babinski": both_neg(),
                           "neuro.inverted_supinator": both_neg(), "neuro.gait_abnormal": yn("no")}, age=60)
    cook = cluster(result, "neuro.cook")
    assert (cook.positive, cook.band, cook.lr_negative) == (1, "1 or none of 5 positive", 0.18)


def test_neuro_cook_three_positive_gives_lr_30_9(library: Library) -> None:
    """Gait, Hoffmann's and age over 45: the rule-in band with +LR 30.9."""
    cook = cluster(run(library, {"neuro.gait_abnormal": yn("yes"), "neuro.hoffmann": left_pos()}, age=50), "neuro.cook")
    assert (cook.positive, cook.lr_positive, cook.called_positive) == (3, 30.9, True)


@pytest.mark.parametrize(("age", "counted"), [(45, False), (46, True)])
def test_neuro_cook_age_item_means_over_45(age: int, counted: bool, library: Library) -> None:
    """The age item counts from 46: 'age over 45' in Cook 2010."""
    cook = cluster(run(library, {"neuro.hoffmann": both_neg()}, age=age), "neuro.cook")
    assert ("Age over 45" in cook.positive_items) is counted


# ------------------------------------------------------------------ neuro flags and level


def test_neuro_multi_level_weakness_fires_for_a_single_muscle_at_mrc_3(library: Library) -> None:
    """One key muscle at MRC 3 is marked weakness even at a single level."""
    result = run(library, {**POWER_NORMAL, "neuro.power_finger_flexion": mrc(5, 3)})
    assert "neuro.multi_level_weakness" in fired(result)


def test_neuro_multi_level_weakness_treats_two_c5_muscles_as_one_level(library: Library) -> None:
    """Deltoid and biceps both weak is one myotome (C5), not multi-level weakness."""
    result = run(library, {**POWER_NORMAL, "neuro.power_shoulder_abduction": mrc(4, 5),
                           "neuro.power_elbow_flexion": mrc(4, 5)})
    assert "neuro.multi_level_weakness" not in fired(result)


def test_neuro_lookalikes_cover_every_level_and_say_they_are_unverified(library: Library) -> None:
    """C5 to T1 each have look-alikes, and each says it is standard teaching not individually verified."""
    lookalikes = library.packs["neuro"].pack.lookalikes
    assert {la.level for la in lookalikes} == {"C5", "C6", "C7", "C8", "T1"}
    assert all("not individually verified" in la.distinguish for la in lookalikes)


def test_neuro_level_c6_lists_carpal_tunnel_as_a_lookalike(library: Library) -> None:
    """A left C6 pattern names carpal tunnel syndrome and how to tell them apart."""
    result = run(library, {"neuro.sens_c6": sensation("reduced", "normal"), "neuro.power_wrist_extension": mrc(4, 5)})
    assert result.level is not None
    assert (result.level.level, result.level.side) == ("C6", "left")
    assert any("Carpal tunnel" in la.condition for la in result.level.lookalikes)


# ------------------------------------------------------------------ "not tested" across the packs


def test_everything_not_tested_fires_no_against_finding_and_no_reassurance(library: Library) -> None:
    """With every test recorded as not tested, nothing negative or reassuring is concluded."""
    not_tested = sided()
    findings: Findings = {
        "history.arm_symptoms": choice("left"), "history.location": multi("neck", "arm"),
        **{k: not_tested for k in ("radic.spurling", "radic.distraction", "radic.ultt_a", "radic.rotation_lt_60",
                                   "neuro.hoffmann", "neuro.babinski", "neuro.inverted_supinator", "neuro.clonus")},
        **{f"tos.{t}": not_tested for t in TOS_TESTS},
        **{f"neuro.sens_{s}": sensation("not_tested", "not_tested") for s in SENSORY},
        **{f"neuro.power_{m}": mrc(None, None) for m in MUSCLES},
        **{f"neuro.reflex_{r}": reflex(None, None) for r in REFLEXES},
    }
    result = run(library, findings, age=60)
    assert not [c for c in result.clusters if c.called_positive is False]
    assert not [e for d in result.differential for e in d.against]
    assert {"neuro.screen_normal", "radic.ultt_negative", "img.radiculopathy_early",
            "dx.myelo_cook_low", "dx.ntos_no_symptom_positive"}.isdisjoint(fired(result))


def test_img_radiculopathy_early_needs_power_tested_before_saying_no_imaging(library: Library) -> None:
    """'No imaging now' is only offered once the key muscles have been tested."""
    result = run(library, {**RADIC, "history.duration_weeks": number(2)})
    assert "img.radiculopathy_early" not in fired(result)


def test_img_radiculopathy_early_is_no_imaging_with_a_review(library: Library) -> None:
    """Early radiculopathy without a marked deficit: no imaging now, review in 4 weeks."""
    result = run(library, {**RADIC, **POWER_NORMAL, "history.duration_weeks": number(2)})
    first = result.imaging[0]
    assert (first.id, first.first, first.review_in_weeks) == ("img.radiculopathy_early", None, 4)


def test_img_radiculopathy_deficit_comes_before_the_persistent_scenario(library: Library) -> None:
    """Marked weakness puts MRI with urgent referral first; the elective MRI waits behind the URGENT flag."""
    result = run(library, {**RADIC, **POWER_NORMAL, "neuro.power_elbow_extension": mrc(3, 5),
                           "history.duration_weeks": number(8)})
    assert next(i.id for i in result.imaging) == "img.radiculopathy_deficit"
    [held] = [h for h in result.held_back if h.id == "img.radiculopathy_persistent"]
    assert "rf.severe_radiculopathy" in held.held_by and not held.forbidden


# ------------------------------------------------------------------ emergencies hold routine advice back


def test_routine_imaging_and_treatment_are_held_back_in_an_emergency(library: Library) -> None:
    """With an EMERGENCY raised, routine neck-pain imaging and treatment wait; vascular TOS care does not."""
    findings = {**NECK_ONLY, "history.duration_weeks": number(2), "history.sphincter_change": yn("yes"),
                "history.arm_swelling": yn("yes")}
    result = run(library, findings)
    assert result.urgency == "EMERGENCY"
    held = {h.id for h in result.held_back}
    assert {"img.neck_pain_no_red_flags", "tx.neck_pain_acute"} <= held
    shown = {i.id for i in result.imaging} | {t.id for t in result.treatment}
    assert {"img.vtos", "tx.vtos"} <= shown


def _classes(library: Library, rule_id: str) -> set[str]:
    eff = library.rules[rule_id].effect
    if eff.type == "imaging":
        return set(eff.classes)
    assert eff.type == "treatment"
    return set(eff.classes) | {c for s in eff.steps for c in s.classes}


def test_routine_rules_of_these_packs_carry_classes_an_urgent_flag_holds_back(library: Library) -> None:
    """Routine imaging and treatment carry a class the URGENT tier suppresses; urgent vascular and cord pathways are urgent actions."""
    routine = {"img.neck_pain_no_red_flags", "img.radiculopathy_early", "img.radiculopathy_persistent", "img.ntos",
               "img.edx_level_uncertain", "tx.neck_pain_acute", "tx.neck_pain_subacute", "tx.neck_pain_chronic",
               "tx.radiculopathy", "tx.facet", "tx.ntos"}
    urgent = {"img.vtos", "img.atos", "img.myelopathy", "img.radiculopathy_deficit", "tx.vtos", "tx.atos",
              "tx.myelopathy"}
    [urgent_default] = [d for d in library.tier_defaults if d.tier == "URGENT"]
    assert all(_classes(library, r) & set(urgent_default.suppresses) for r in routine)
    assert all("urgent_action" in _classes(library, r) for r in urgent)


# ------------------------------------------------------------------ treatment content


def test_tx_radiculopathy_shows_the_gabapentinoid_evidence_and_injection_warnings(library: Library) -> None:
    """The radiculopathy plan cautions that gabapentinoids are unproven and that injections can be catastrophic."""
    [plan] = [t for t in run(library, RADIC).treatment if t.id == "tx.radiculopathy"]
    text = " ".join(s.text for s in plan.steps)
    cautions = " ".join(c for s in plan.steps for c in s.cautions)
    assert "no significant benefit" in text
    assert "Schedule 3" in cautions
    assert "paralysis" in cautions


def test_tx_ntos_marks_the_3_to_6_month_trial_unverified(library: Library) -> None:
    """The nTOS plan reviews at 6 weeks and flags the 3-6 month trial length as unverified."""
    [plan] = [t for t in run(library, EAST_STOPPED).treatment if t.id == "tx.ntos"]
    assert any(s.review_in_weeks == 6 for s in plan.steps)
    assert any("3-6 months" in s.text and s.verification == "unverified" for s in plan.steps)


# ------------------------------------------------------------------ seams fixed by the hold-back issue


def test_img_spinal_metastasis_times_mri_by_nice_ng234(library: Library) -> None:
    """img.spinal_metastasis asks for whole-spine MRI within 1 week; img.mscc_emergency within 24 hours."""
    from tests.test_red_flag_rules import multi, yes

    base = {"history.cancer": yes(), "history.location": multi("neck")}
    [mets] = [i for i in run(library, base).imaging if i.id == "img.spinal_metastasis"]
    assert mets.first is not None and "within 1 week" in mets.first.study
    [mscc] = [i for i in run(library, {**base, "history.paraesthesia": yes()}).imaging if i.id == "img.mscc_emergency"]
    assert mscc.first is not None and "within 24 hours" in mscc.first.study


def test_dx_radic_ultt_negative_only_lowers_radiculopathy_a_little(library: Library) -> None:
    """dx.radic_ultt_negative weighs -0.5 (pooled -LR about 0.57), so a Wainner-positive C6 picture still ranks first."""
    rule = library.rules["dx.radic_ultt_negative"]
    assert rule.effect.type == "differential" and rule.effect.weight == -0.5
    ultt = library.items["radic.ultt_a"]
    assert ultt.evidence[0].references == ["shen_2023"]


def test_tos_cluster_pain2_counts_positives_on_one_arm(library: Library) -> None:
    """tos.cluster_pain2 fires for two pain-positive manoeuvres on the left, not for one on each arm."""
    from tests.test_red_flag_rules import SidedTest, SideResult

    def test(side: str) -> SidedTest:
        pos = SideResult(result="positive", criteria=["pain_reproduced"])
        neg = SideResult(result="negative")
        return SidedTest(left=pos if side == "left" else neg, right=pos if side == "right" else neg)

    same = run(library, {"tos.adson": test("left"), "tos.wright": test("left")})
    split = run(library, {"tos.adson": test("left"), "tos.wright": test("right")})
    assert "tos.cluster_pain2" in same.flags
    assert "tos.cluster_pain2" not in split.flags
