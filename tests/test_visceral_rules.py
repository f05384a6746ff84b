"""Rules added for issue 11 beyond the thoracic pathway: visceral mimics (lung cancer, gallbladder
and bile ducts, acute pancreatitis, pancreatic cancer), the cauda equina pattern, the region of
imaging, progressive pain and the Roos timing. One behaviour per rule id: a case that fires it and
a near miss that must not."""

from __future__ import annotations

from typing import Any

import pytest

from exam_assistant.library import Library
from tests.test_exam_rules import (
    NEURO_NORMAL,
    Case,
    choice,
    fired,
    fires_and_stays_quiet,
    mrc,
    multi,
    number,
    reflex,
    run,
    yn,
)

Findings = dict[str, Any]
THORACIC: Findings = {"history.location": multi("thoracic_midline"), "history.arm_symptoms": choice("none")}
RUQ: Findings = {"history.upper_abdominal_pain": choice("right_upper")}
EPIGASTRIC_TO_BACK: Findings = {"history.upper_abdominal_pain": choice("upper_middle"),
                                "history.pain_through_to_back": yn("yes")}


def sided(result: str) -> dict[str, Any]:
    return {"kind": "sided_test", "left": {"result": result, "criteria": []}, "right": {"result": result, "criteria": []}}




CASES: dict[str, Case] = {
    # ---------------------------------------------------------------- lung cancer (NICE NG12)
    "rf.lung_cancer": Case(fires={"history.smoker": yn("yes"), "history.persistent_cough": yn("yes")},
                           quiet={"history.smoker": yn("no"), "history.persistent_cough": yn("yes")}, age=55),
    "dx.lung_cancer_haemoptysis": Case(fires={"visceral.haemoptysis": yn("yes")}, quiet={"visceral.haemoptysis": yn("yes")},
                                       age=45, quiet_age=35),
    "dx.lung_cancer_smoker_features": Case(fires={"history.smoker": yn("yes"), "history.appetite_loss": yn("yes")},
                                           quiet={"history.smoker": yn("yes"), "history.appetite_loss": yn("no")}),
    "dx.lung_cancer_smoker_persistent_back_pain": Case(
        fires={**THORACIC, "history.smoker": yn("yes"), "history.duration_weeks": number(4)},
        quiet={**THORACIC, "history.smoker": yn("yes"), "history.duration_weeks": number(1)}, age=60),
    "img.lung_cancer": Case(fires={"visceral.haemoptysis": yn("yes")}, quiet={"visceral.haemoptysis": yn("no")}),
    "tx.lung_cancer": Case(fires={"visceral.haemoptysis": yn("yes")}, quiet={"visceral.haemoptysis": yn("no")}),
    # ---------------------------------------------------------------- gallbladder and bile ducts
    "visceral.biliary_pattern": Case(fires={**RUQ, "history.pain_after_fatty_meals": yn("yes")},
                                     quiet={**RUQ, "history.pain_after_fatty_meals": yn("no")}),
    "rf.cholecystitis": Case(fires={**RUQ, "history.fever": yn("yes")}, quiet={**RUQ, "history.fever": yn("no")}),
    "rf.cholangitis": Case(fires={**RUQ, "history.fever": yn("yes"), "history.jaundice": yn("yes")},
                           quiet={**RUQ, "history.fever": yn("no"), "history.jaundice": yn("yes")}),
    "dx.biliary_ruq_pain": Case(fires=RUQ, quiet={"history.upper_abdominal_pain": choice("elsewhere")}),
    "dx.biliary_murphy": Case(fires={"visceral.ruq_tenderness": yn("yes")}, quiet={"visceral.ruq_tenderness": yn("no")}),
    "dx.biliary_meals_or_stones": Case(fires={**RUQ, "history.gallstones": yn("yes")}, quiet={**RUQ, "history.gallstones": yn("no")}),
    "dx.biliary_referred_right_scapula": Case(fires={**RUQ, "history.location": multi("interscapular")},
                                              quiet={**RUQ, "history.location": multi("neck")}),
    "dx.biliary_fever_or_jaundice": Case(fires={**RUQ, "history.jaundice": yn("yes")}, quiet={**RUQ, "history.jaundice": yn("no")}),
    "img.biliary_ultrasound": Case(fires={**RUQ, "history.vomiting": yn("yes")}, quiet={**RUQ, "history.vomiting": yn("no")}),
    "img.acute_biliary": Case(fires={**RUQ, "rf.temperature": number(38.4)}, quiet={**RUQ, "rf.temperature": number(37.0)}),
    "tx.acute_biliary": Case(fires={**RUQ, "rf.raised_crp_esr": yn("yes")}, quiet={**RUQ, "rf.raised_crp_esr": yn("no")}),
    "tx.biliary_colic": Case(fires={**RUQ, "history.gallstones": yn("yes")}, quiet={**RUQ, "history.gallstones": yn("no")}),
    # ---------------------------------------------------------------- acute pancreatitis
    "rf.acute_pancreatitis": Case(fires={**EPIGASTRIC_TO_BACK, "history.heavy_alcohol": yn("yes")},
                                  quiet={**EPIGASTRIC_TO_BACK, "history.heavy_alcohol": yn("no")}),
    "dx.pancreatitis_epigastric_to_back": Case(fires=EPIGASTRIC_TO_BACK,
                                               quiet={**EPIGASTRIC_TO_BACK, "history.pain_through_to_back": yn("no")}),
    "dx.pancreatitis_cause": Case(fires={**EPIGASTRIC_TO_BACK, "history.gallstones": yn("yes")},
                                  quiet={**EPIGASTRIC_TO_BACK, "history.gallstones": yn("no")}),
    "dx.pancreatitis_vomiting_or_sitting_forward": Case(
        fires={**EPIGASTRIC_TO_BACK, "visceral.sitting_forward_relief": yn("yes")},
        quiet={**EPIGASTRIC_TO_BACK, "visceral.sitting_forward_relief": yn("no")}),
    "dx.pancreatitis_epigastric_tenderness": Case(fires={"visceral.epigastric_tenderness": yn("yes")},
                                                  quiet={"visceral.epigastric_tenderness": yn("no")}),
    "img.pancreatitis": Case(fires={**EPIGASTRIC_TO_BACK, "history.vomiting": yn("yes")},
                             quiet={**EPIGASTRIC_TO_BACK, "history.vomiting": yn("no")}),
    "tx.acute_pancreatitis": Case(fires={**EPIGASTRIC_TO_BACK, "history.vomiting": yn("yes")},
                                  quiet={"history.upper_abdominal_pain": choice("right_upper"), "history.vomiting": yn("yes")}),
    # ---------------------------------------------------------------- pancreatic cancer (NICE NG12)
    "rf.pancreatic_cancer": Case(fires={"history.jaundice": yn("yes")}, quiet={"history.jaundice": yn("yes")},
                                 age=45, quiet_age=35),
    "dx.pancreatic_cancer_jaundice": Case(fires={"history.jaundice": yn("yes")}, quiet={"history.jaundice": yn("no")}),
    "dx.pancreatic_cancer_weight_loss_back_pain": Case(fires={**THORACIC, "history.weight_loss": yn("yes")},
                                                       quiet={**THORACIC, "history.weight_loss": yn("yes")},
                                                       age=65, quiet_age=55),
    "img.pancreatic_cancer": Case(fires={**THORACIC, "history.weight_loss": yn("yes")},
                                  quiet={**THORACIC, "history.weight_loss": yn("no")}, age=70),
    "tx.pancreatic_cancer": Case(fires={"history.jaundice": yn("yes")}, quiet={"history.jaundice": yn("no")}),
    "dx.ntp_against_visceral": Case(fires={**THORACIC, "history.pain_after_fatty_meals": yn("yes")},
                                    quiet={**THORACIC, "history.pain_after_fatty_meals": yn("no")}),
    # ---------------------------------------------------------------- cauda equina pattern
    "rf.cauda_equina": Case(fires={"history.saddle_numbness": yn("yes"), "history.leg_symptoms": choice("both_legs")},
                            quiet={"history.saddle_numbness": yn("yes"), "history.leg_symptoms": choice("none")}),
    "dx.ces_saddle": Case(fires={"upper_back.saddle_sensation": yn("yes")}, quiet={"upper_back.saddle_sensation": yn("no")}),
    "dx.ces_sphincter_both_legs": Case(
        fires={"history.sphincter_change": yn("yes"), "history.leg_symptoms": choice("both_legs")},
        quiet={"history.sphincter_change": yn("yes"), "history.leg_symptoms": choice("one_leg")}),
    "dx.ces_lower_motor_neuron_legs": Case(
        fires={"upper_back.leg_power": mrc(4, 4), "upper_back.ankle_reflex": reflex(0, 1)},
        quiet={"upper_back.leg_power": mrc(4, 4), "upper_back.ankle_reflex": reflex(2, 2)}),
    "dx.ces_against_cord_signs": Case(
        fires={"history.saddle_numbness": yn("yes"), "upper_back.knee_reflex": reflex(4, 4)},
        quiet={"history.saddle_numbness": yn("yes"), "upper_back.knee_reflex": reflex(2, 2)}),
    "img.cauda_equina": Case(fires={"history.sphincter_change": yn("yes"), "history.leg_symptoms": choice("both_legs")},
                             quiet={"history.sphincter_change": yn("no"), "history.leg_symptoms": choice("both_legs")}),
    "tx.cauda_equina": Case(fires={"upper_back.saddle_sensation": yn("yes"), "upper_back.leg_power": mrc(5, 3)},
                            quiet={"upper_back.saddle_sensation": yn("no"), "upper_back.leg_power": mrc(5, 3)}),
    # ---------------------------------------------------------------- region of imaging
    "upper_back.neck_pointer": Case(fires={**THORACIC, "neuro.hoffmann": sided("positive")},
                                    quiet={**THORACIC, "history.below_elbow": yn("no"), "history.paraesthesia": yn("no"),
                                           "history.hand_clumsiness": yn("no"), "neuro.hoffmann": sided("negative"),
                                           "neuro.inverted_supinator": sided("negative"), "neuro.lhermitte": yn("no"),
                                           "neuro.grip_release_slow": yn("no"), "neuro.power_finger_abduction": mrc(5, 5)}),
    # ---------------------------------------------------------------- progressive pain
    "dx.spinal_metastasis.progressive_pain": Case(
        fires={**THORACIC, "history.cancer": yn("yes"), "history.pain_worsening": yn("yes")},
        quiet={**THORACIC, "history.cancer": yn("yes"), "history.pain_worsening": yn("no")}),
    "dx.spinal_infection.worsening_pain": Case(
        fires={**THORACIC, "history.fever": yn("yes"), "history.pain_worsening": yn("yes")},
        quiet={**THORACIC, "history.fever": yn("no"), "history.pain_worsening": yn("yes")}),
    # ---------------------------------------------------------------- Roos timing
    "tos.east_stopped": Case(fires={"tos.roos_stopped_seconds_right": number(75)},
                             quiet={"tos.roos_onset_seconds_right": number(75)}),
}


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_fires_on_its_pattern_and_not_on_the_near_miss(rule_id: str, library: Library) -> None:
    """The rule fires for its case and stays silent for the near miss that lacks one finding."""
    fires_and_stays_quiet(library, rule_id, CASES[rule_id])


def test_every_new_visceral_and_cauda_equina_rule_has_a_case(library: Library) -> None:
    """No rule of the visceral pack added for issue 11, and no cauda equina rule, goes untested."""
    pericarditis_and_pe = {r for r in library.rules if "pericarditis" in r or "pe_" in r or "pulmonary_embolism" in r}
    visceral = {r.id for r in library.packs["visceral"].pack.rules} - pericarditis_and_pe
    ces = {r for r in library.rules if "cauda_equina" in r or r.startswith("dx.ces_")}
    assert (visceral | ces) - set(CASES) == set()


# ------------------------------------------------------------------ tiers, actions, hold-back


@pytest.mark.parametrize(("findings", "flag", "tier", "age"), [
    ({"visceral.haemoptysis": yn("yes")}, "rf.lung_cancer", "URGENT", 45),
    ({**RUQ, "history.fever": yn("yes")}, "rf.cholecystitis", "SAME_DAY", 50),
    ({**RUQ, "history.fever": yn("yes"), "history.jaundice": yn("yes")}, "rf.cholangitis", "EMERGENCY", 50),
    ({**EPIGASTRIC_TO_BACK, "history.vomiting": yn("yes")}, "rf.acute_pancreatitis", "SAME_DAY", 50),
    ({"history.jaundice": yn("yes")}, "rf.pancreatic_cancer", "URGENT", 45),
    ({"history.saddle_numbness": yn("yes"), "history.leg_symptoms": choice("one_leg")}, "rf.cauda_equina", "EMERGENCY", 50),
])
def test_each_new_red_flag_has_its_tier_and_says_it_is_not_a_spine_problem(
        findings: Findings, flag: str, tier: str, age: int, library: Library) -> None:
    result = run(library, findings, age=age)
    [raised] = [f for f in result.red_flags if f.id == flag]
    assert raised.tier == tier
    if flag != "rf.cauda_equina":
        assert "not a spine problem" in raised.action.lower()


def test_rf_lung_cancer_counts_chest_pain_only_after_three_weeks_and_needs_two_features_in_a_non_smoker(
        library: Library) -> None:
    chest = {"history.chest_pain": yn("yes"), "history.smoker": yn("yes")}
    assert "rf.lung_cancer" not in fired(run(library, {**chest, "history.duration_weeks": number(1)}, age=60))
    assert "rf.lung_cancer" in fired(run(library, {**chest, "history.duration_weeks": number(3)}, age=60))
    never = {"history.smoker": yn("no"), "history.persistent_cough": yn("yes")}
    assert "rf.lung_cancer" not in fired(run(library, never, age=60))
    assert "rf.lung_cancer" in fired(run(library, {**never, "history.weight_loss": yn("yes")}, age=60))
    assert "rf.lung_cancer" not in fired(run(library, {**never, "history.weight_loss": yn("yes")}, age=39))


def test_rf_pancreatic_cancer_weight_loss_branch_needs_sixty(library: Library) -> None:
    base = {**THORACIC, "history.weight_loss": yn("yes")}
    assert "rf.pancreatic_cancer" in fired(run(library, base, age=60))
    assert "rf.pancreatic_cancer" not in fired(run(library, base, age=59))


def test_a_suspected_visceral_cause_holds_back_the_thoracic_spine_pathway_without_a_flag(library: Library) -> None:
    """Biliary colic on its findings (no fever): the non-specific thoracic pathway and 'no imaging' wait."""
    findings = {**THORACIC, "history.location": multi("interscapular"), **RUQ, "history.pain_after_fatty_meals": yn("yes"),
                "history.trauma": choice("none")}
    result = run(library, findings)
    assert not result.red_flags or all(f.tier == "ROUTINE" for f in result.red_flags)
    assert "biliary_disease" in result.suspected
    held = {h.id for h in result.held_back}
    assert {"tx.thoracic_pain", "img.thoracic_pain_no_red_flags"} <= held
    assert "img.biliary_ultrasound" in {i.id for i in result.imaging}


@pytest.mark.parametrize(("findings", "first"), [
    ({"visceral.haemoptysis": yn("yes")}, "chest radiograph"),
    # with fever and the pain in the spine, spinal infection (rf.infection) is imaged too, so the
    # right-shoulder-blade pain is recorded at the shoulder here
    ({**RUQ, "history.fever": yn("yes"), "history.location": multi("shoulder")}, "ultrasound of the gallbladder"),
    ({**EPIGASTRIC_TO_BACK, "history.vomiting": yn("yes")}, "lipase"),
    ({"history.weight_loss": yn("yes")}, "ct of the abdomen"),
])
def test_visceral_flags_lead_with_their_own_first_test_never_spinal_imaging(
        findings: Findings, first: str, library: Library) -> None:
    result = run(library, {**THORACIC, **findings}, age=65)
    assert result.imaging and result.imaging[0].first is not None
    assert first in result.imaging[0].first.study.lower()


def test_cauda_equina_gets_lumbosacral_mri_and_forbids_manipulation(library: Library) -> None:
    result = run(library, {**THORACIC, "history.sphincter_change": yn("yes"), "history.leg_symptoms": choice("both_legs")})
    studies = [i.first.study.lower() for i in result.imaging if i.first]
    assert any("lumbosacral" in s for s in studies)
    assert {"manual_therapy", "traction"} <= {d.advice_class for d in result.do_not}
    assert "cauda_equina_syndrome" in result.suspected


def test_saddle_numbness_without_leg_involvement_is_the_cord_flag_only(library: Library) -> None:
    result = run(library, {"history.location": multi("neck"), "history.saddle_numbness": yn("yes"),
                           "history.leg_symptoms": choice("none")})
    raised = {f.id for f in result.red_flags}
    assert "rf.cord_compression" in raised and "rf.cauda_equina" not in raised


def test_history_suggest_tos_opens_for_a_heavy_arm_overhead_or_a_known_cervical_rib(library: Library) -> None:
    def suggested(findings: Findings) -> set[str]:
        return {p.id for p in run(library, findings).suggested_protocols}

    heavy = {"history.arm_heaviness": yn("yes"), "history.aggravating": multi("overhead_use")}
    assert "history.suggest_tos" in suggested(heavy)
    assert "history.suggest_tos" in suggested({"history.cervical_rib": yn("yes")})
    assert "history.suggest_tos" not in suggested({"history.arm_heaviness": yn("yes")})


def test_roos_timing_is_validated_with_its_range(library: Library) -> None:
    for item_id, top in (("tos.roos_onset_seconds_left", 180), ("tos.roos_stopped_seconds_right", 179)):
        item = library.items[item_id]
        assert (item.minimum, item.maximum, item.integer, item.unit) == (0, top, True, "seconds")
    weeks = library.items["history.conservative_care_weeks"]
    assert (weeks.minimum, weeks.maximum) == (0, 520)


def test_the_roos_cluster_is_called_positive_from_the_stopped_seconds(library: Library) -> None:
    result = run(library, {"tos.roos_stopped_seconds_left": number(40)})
    assert "tos.provocation_positive" in result.flags
    assert "tos.provocation_positive" not in run(library, {}).flags


def test_failed_conservative_care_replaces_no_imaging_with_mri_for_radiculopathy(library: Library) -> None:
    radic = {"history.arm_symptoms": choice("left"), "radic.spurling": {
        "kind": "sided_test", "left": {"result": "positive", "criteria": ["arm_pain"]},
        "right": {"result": "not_tested", "criteria": []}}, "history.duration_weeks": number(5),
             "history.rapid_progression": yn("no"), **NEURO_NORMAL}
    early = {i.id for i in run(library, radic).imaging}
    assert "img.radiculopathy_early" in early and "img.radiculopathy_persistent" not in early
    failed = {**radic, "history.conservative_care_weeks": number(6), "history.conservative_care_response": choice("no_better")}
    result = run(library, failed)
    ids = {i.id for i in result.imaging}
    assert "img.radiculopathy_persistent" in ids and "img.radiculopathy_early" not in ids
    assert "tx.radiculopathy_failed_conservative" in {t.id for t in result.treatment}
