"""Rules of the upper_back pack (issue 11), one behaviour per rule id: a case that fires it and a
near miss that must not."""

from __future__ import annotations

from typing import Any

from exam_assistant.library import Library
from tests.test_exam_rules import NEURO_NORMAL, choice, fired, multi, number, run, yn

THORACIC: dict[str, Any] = {"history.location": multi("thoracic_midline"), "history.arm_symptoms": choice("none")}


def _ids(library: Library, findings: dict[str, Any], age: int = 40) -> set[str]:
    return fired(run(library, findings, age=age))


def test_dx_ntp_thoracic_location_needs_thoracic_pain_without_arm_symptoms(library: Library) -> None:
    assert "dx.ntp_thoracic_location" in _ids(library, THORACIC)
    assert "dx.ntp_thoracic_location" not in _ids(library, THORACIC | {"history.arm_symptoms": choice("left")})
    assert "dx.ntp_thoracic_location" not in _ids(library, THORACIC | {"history.location": multi("neck")})


def test_dx_ntp_normal_neuro_needs_a_complete_normal_screen(library: Library) -> None:
    assert "dx.ntp_normal_neuro" in _ids(library, THORACIC | NEURO_NORMAL)
    incomplete = {k: v for k, v in NEURO_NORMAL.items() if k != "neuro.hoffmann"}
    assert "dx.ntp_normal_neuro" not in _ids(library, THORACIC | incomplete)


def test_dx_nsnp_normal_neuro_accepts_thoracic_midline_pain(library: Library) -> None:
    assert "dx.nsnp_normal_neuro" in _ids(library, THORACIC | NEURO_NORMAL)


def test_dx_ntp_mechanical_posture_or_carrying(library: Library) -> None:
    assert "dx.ntp_mechanical" in _ids(library, THORACIC | {"history.aggravating": multi("carrying")})
    assert "dx.ntp_mechanical" not in _ids(library, THORACIC | {"history.aggravating": multi("overhead_use")})


def test_dx_ntp_trigger_points(library: Library) -> None:
    assert "dx.ntp_trigger_points" in _ids(library, THORACIC | {"msk.trigger_points": yn("yes")})
    assert "dx.ntp_trigger_points" not in _ids(library, THORACIC | {"msk.trigger_points": yn("no")})


def test_dx_ntp_against_chest_breathing_lowers_the_spinal_label(library: Library) -> None:
    result = run(library, THORACIC | {"history.aggravating": multi("deep_breath")})
    [entry] = [d for d in result.differential if d.id == "nonspecific_thoracic_pain"]
    assert "dx.ntp_against_chest_breathing" in {e.rule for e in entry.against}
    assert "dx.ntp_against_chest_breathing" not in _ids(library, THORACIC | {"history.aggravating": multi("sustained_posture")})


def test_dx_ntp_against_radiation(library: Library) -> None:
    assert "dx.ntp_against_radiation" in _ids(library, THORACIC | {"history.below_elbow": yn("yes")})
    assert "dx.ntp_against_radiation" not in _ids(library, THORACIC | {"history.below_elbow": yn("no")})


def test_img_thoracic_pain_no_red_flags_is_no_imaging_and_never_cervical(library: Library) -> None:
    result = run(library, THORACIC | {"history.trauma": choice("none")})
    [img] = [i for i in result.imaging if i.id == "img.thoracic_pain_no_red_flags"]
    assert img.first is None and img.review_in_weeks == 6
    assert set(img.classes) == {"delay_to_review", "reassurance"}
    assert not any(i.first and "cervical" in i.first.study.lower() for i in result.imaging)
    # neck pain takes the neck's rule; exertional pain is not labelled non-specific
    assert "img.thoracic_pain_no_red_flags" not in _ids(library, THORACIC | {"history.location": multi("neck", "thoracic_midline")})
    assert "img.thoracic_pain_no_red_flags" not in _ids(library, THORACIC | {"history.aggravating": multi("exertion")})


def test_tx_thoracic_pain_is_staged_and_classed_conservative(library: Library) -> None:
    result = run(library, THORACIC | {"history.duration_weeks": number(2)})
    [tx] = [t for t in result.treatment if t.id == "tx.thoracic_pain"]
    assert [s.stage for s in tx.steps] == ["self_care", "self_care", "self_care", "physiotherapy", "analgesia",
                                           "review", "safety_net"]
    rule = library.rules["tx.thoracic_pain"]
    assert rule.effect.type == "treatment" and rule.effect.classes == ["conservative_only"]
    assert "tx.thoracic_pain" not in _ids(library, THORACIC | {"history.trauma": choice("significant")})
    assert "tx.thoracic_pain" not in _ids(library, THORACIC | {"history.aggravating": multi("lying_flat")})


def test_tx_thoracic_pain_is_held_back_beside_a_fracture_flag(library: Library) -> None:
    result = run(library, THORACIC | {"history.trauma": choice("none"), "history.onset": choice("sudden"),
                                      "rf.midline_spinal_tenderness": yn("yes")}, age=82)
    assert "rf.fracture" in {f.id for f in result.red_flags}
    assert "tx.thoracic_pain" in {h.id for h in result.held_back}
    assert "tx.thoracic_pain" not in {t.id for t in result.treatment}


# ------------------------------------------------------------------ the cord below the neck

def sided_pos() -> dict[str, Any]:
    return {"kind": "sided_test", "left": {"result": "positive", "criteria": []},
            "right": {"result": "positive", "criteria": []}}


def sided_neg() -> dict[str, Any]:
    return {"kind": "sided_test", "left": {"result": "negative", "criteria": []},
            "right": {"result": "negative", "criteria": []}}


def test_upper_back_leg_umn_sign_from_brisk_jerks_tone_babinski_or_clonus(library: Library) -> None:
    for finding in ({"upper_back.knee_reflex": {"kind": "reflex", "left": 4, "right": 2}},
                    {"upper_back.ankle_reflex": {"kind": "reflex", "left": 2, "right": 4}},
                    {"upper_back.leg_tone": yn("yes")}, {"neuro.babinski": sided_pos()}, {"neuro.clonus": sided_pos()}):
        assert "upper_back.leg_umn_sign" in _ids(library, THORACIC | finding), finding
    normal = {"upper_back.knee_reflex": {"kind": "reflex", "left": 2, "right": 2}, "upper_back.leg_tone": yn("no")}
    assert "upper_back.leg_umn_sign" not in _ids(library, THORACIC | normal)


def test_rf_thoracic_cord_compression_from_a_sensory_level(library: Library) -> None:
    result = run(library, THORACIC | {"upper_back.sensory_level": yn("yes")})
    [flag] = [f for f in result.red_flags if f.id == "rf.thoracic_cord_compression"]
    assert flag.tier == "URGENT" and "thoracic_myelopathy" in result.suspected
    assert "rf.thoracic_cord_compression" not in _ids(library, THORACIC | {"upper_back.sensory_level": yn("no")})


def test_rf_thoracic_cord_compression_from_leg_umn_signs_with_gait_and_normal_hands(library: Library) -> None:
    base = THORACIC | {"neuro.babinski": sided_pos(), "neuro.gait_abnormal": yn("yes")}
    assert "rf.thoracic_cord_compression" in _ids(library, base | {"neuro.hoffmann": sided_neg()})
    # cord signs in the hands: the cervical myelopathy rules lead instead
    assert "rf.thoracic_cord_compression" not in _ids(library, base | {"neuro.hoffmann": sided_pos()})


def test_rf_thoracic_cord_compression_from_leg_weakness_with_thoracic_pain_not_aortic_dissection(library: Library) -> None:
    weak = {"upper_back.leg_power": {"kind": "mrc", "left": 4, "right": 5}}
    result = run(library, THORACIC | weak)
    raised = {f.id for f in result.red_flags}
    assert "rf.thoracic_cord_compression" in raised and "rf.aortic_dissection" not in raised
    assert "rf.thoracic_cord_compression" not in _ids(library, {"history.location": multi("neck"), **weak})


def test_dx_tmyelo_rules_rank_thoracic_cord_compression(library: Library) -> None:
    ids = _ids(library, THORACIC | {"upper_back.sensory_level": yn("yes")})
    assert "dx.tmyelo_sensory_level" in ids
    ids = _ids(library, THORACIC | {"neuro.clonus": sided_pos(), "neuro.hoffmann": sided_neg()})
    assert "dx.tmyelo_leg_umn_normal_arms" in ids
    assert "dx.tmyelo_leg_umn_normal_arms" not in _ids(library, THORACIC | {"neuro.clonus": sided_pos(),
                                                                             "neuro.hoffmann": sided_pos()})
    ids = _ids(library, THORACIC | {"upper_back.leg_power": {"kind": "mrc", "left": 5, "right": 3}})
    assert "dx.tmyelo_leg_weakness_thoracic_pain" in ids


def test_dx_cmyelo_against_rules_lower_cervical_myelopathy_for_signs_below_the_neck(library: Library) -> None:
    # (a diagnosis with only findings against is not listed, so give it one finding for)
    ids = _ids(library, THORACIC | {"upper_back.sensory_level": yn("yes"), "neuro.hoffmann": sided_neg(),
                                    "neuro.babinski": sided_pos()})
    assert "dx.cmyelo_against_truncal_level" in ids
    ids = _ids(library, THORACIC | {"neuro.babinski": sided_pos(), "neuro.hoffmann": sided_neg()})
    assert "dx.cmyelo_against_leg_only_signs" in ids
    assert "dx.cmyelo_against_leg_only_signs" not in _ids(
        library, THORACIC | {"history.arm_symptoms": choice("both"), "neuro.babinski": sided_pos(),
                             "neuro.hoffmann": sided_neg()})


def test_img_thoracic_cord_is_whole_spine_mri_and_lists_cervical_alone_as_not_appropriate(library: Library) -> None:
    result = run(library, THORACIC | {"upper_back.sensory_level": yn("yes"), "neuro.hoffmann": sided_neg(),
                                      "neuro.babinski": sided_pos(), "neuro.gait_abnormal": yn("yes")})
    assert result.imaging[0].id == "img.thoracic_cord"
    assert result.imaging[0].first is not None and "whole spine" in result.imaging[0].first.study.lower()
    # img.myelopathy (cervical MRI) does not fire when a truncal level points below the neck
    assert "img.myelopathy" not in {i.id for i in result.imaging}
    assert "img.thoracic_cord" not in _ids(library, THORACIC)


# ------------------------------------------------------------------ visceral mimics

def test_rf_pericarditis_from_positional_pain_or_a_rub(library: Library) -> None:
    positional = THORACIC | {"history.aggravating": multi("lying_flat"), "visceral.sitting_forward_relief": yn("yes")}
    result = run(library, positional)
    [flag] = [f for f in result.red_flags if f.id == "rf.pericarditis"]
    assert flag.tier == "SAME_DAY" and "pericarditis" in result.suspected
    assert "rf.pericarditis" in _ids(library, THORACIC | {"visceral.pericardial_rub": yn("yes")})
    assert "rf.pericarditis" not in _ids(library, THORACIC | {"history.aggravating": multi("lying_flat"),
                                                              "visceral.sitting_forward_relief": yn("no")})


def test_dx_pericarditis_rules(library: Library) -> None:
    ids = _ids(library, THORACIC | {"history.aggravating": multi("lying_flat", "deep_breath"),
                                    "visceral.sitting_forward_relief": yn("yes"), "visceral.recent_viral_illness": yn("yes"),
                                    "visceral.pericardial_rub": yn("yes")})
    assert {"dx.pericarditis_positional", "dx.pericarditis_pleuritic", "dx.pericarditis_rub",
            "dx.pericarditis_post_viral"} <= ids
    assert "dx.pericarditis_post_viral" not in _ids(library, THORACIC | {"visceral.recent_viral_illness": yn("yes"),
                                                                         "visceral.pericardial_rub": yn("yes")})


def test_tx_pericarditis_is_urgent_action_and_not_a_spinal_plan(library: Library) -> None:
    result = run(library, THORACIC | {"visceral.pericardial_rub": yn("yes")})
    assert "tx.pericarditis" in {t.id for t in result.treatment}
    rule = library.rules["tx.pericarditis"]
    assert rule.effect.type == "treatment" and rule.effect.classes == ["urgent_action"]
    assert "tx.thoracic_pain" not in {t.id for t in result.treatment}


def test_rf_pulmonary_embolism_needs_breathlessness_and_a_pe_feature(library: Library) -> None:
    base = THORACIC | {"visceral.breathless": yn("yes")}
    for feature in ({"history.aggravating": multi("deep_breath")}, {"visceral.haemoptysis": yn("yes")},
                    {"visceral.dvt_signs": yn("yes")}, {"visceral.heart_rate": number(110)}):
        result = run(library, base | feature)
        assert "rf.pulmonary_embolism" in {f.id for f in result.red_flags}, feature
        assert "pulmonary_embolism" in result.suspected
    assert "rf.pulmonary_embolism" not in _ids(library, base | {"visceral.heart_rate": number(100)})
    assert "rf.pulmonary_embolism" not in _ids(library, THORACIC | {"visceral.haemoptysis": yn("yes")})


def test_dx_pe_rules(library: Library) -> None:
    ids = _ids(library, THORACIC | {"visceral.breathless": yn("yes"), "history.aggravating": multi("deep_breath"),
                                    "visceral.dvt_signs": yn("yes"), "history.cancer": yn("yes")})
    assert {"dx.pe_breathless_pleuritic", "dx.pe_wells_features", "dx.pe_risk_factor"} <= ids
    assert "dx.pe_risk_factor" not in _ids(library, THORACIC | {"visceral.breathless": yn("no"),
                                                                "history.cancer": yn("yes"),
                                                                "visceral.dvt_signs": yn("yes")})


def test_tx_pulmonary_embolism_is_urgent_action(library: Library) -> None:
    result = run(library, THORACIC | {"visceral.breathless": yn("yes"), "visceral.dvt_signs": yn("yes")})
    assert "tx.pulmonary_embolism" in {t.id for t in result.treatment}
    rule = library.rules["tx.pulmonary_embolism"]
    assert rule.effect.type == "treatment" and rule.effect.classes == ["urgent_action"]


# ------------------------------------------------------------------ nerve studies

def test_img_edx_root_and_plexus_or_nerve_when_root_and_tos_or_nerve_signs_coexist(library: Library) -> None:
    from tests.test_exam_rules import EAST_STOPPED, RADIC, left_pos
    both = run(library, RADIC | EAST_STOPPED | {"history.below_elbow": yn("yes")})
    [img] = [i for i in both.imaging if i.id == "img.edx_root_and_plexus_or_nerve"]
    assert img.first is not None and "nerve conduction" in img.first.study.lower()
    assert "img.edx_root_and_plexus_or_nerve" in _ids(library, RADIC | {"neuro.ulnar_elbow_provocation": left_pos()})
    # root signs alone, or TOS signs alone: not this rule
    assert "img.edx_root_and_plexus_or_nerve" not in _ids(library, RADIC)
    assert "img.edx_root_and_plexus_or_nerve" not in _ids(library, EAST_STOPPED | {"history.arm_symptoms": choice("left")})


# ------------------------------------------------------------------ measurements

def test_rotation_degrees_under_60_toward_the_arm_feed_the_wainner_rotation_item(library: Library) -> None:
    from tests.test_exam_rules import cluster
    base = {"history.arm_symptoms": choice("left")}
    low = cluster(run(library, base | {"upper_back.rotation_left_degrees": number(45)}), "radic.wainner")
    assert low.positive == 1 and low.not_tested == 3
    full = cluster(run(library, base | {"upper_back.rotation_left_degrees": number(75)}), "radic.wainner")
    assert full.positive == 0 and full.negative == 1 and full.not_tested == 3
    # the other side's rotation does not count for a left arm
    other = cluster(run(library, base | {"upper_back.rotation_right_degrees": number(40)}), "radic.wainner")
    assert other.positive == 0


def test_a_systolic_difference_over_20_mmhg_feeds_add_rs_and_the_dissection_differential(library: Library) -> None:
    pain = {"history.abrupt_severe_pain": yn("yes"), "history.location": multi("interscapular")}
    wide = run(library, pain | {"upper_back.systolic_difference_arms": number(25)})
    narrow = run(library, pain | {"upper_back.systolic_difference_arms": number(20)})
    assert "dx.aortic_dissection.pulse_deficit" in fired(wide)
    assert "dx.aortic_dissection.pulse_deficit" not in fired(narrow)
    [wide_add] = [d for d in wide.decisions if d.id == "rf.add_rs"]
    [narrow_add] = [d for d in narrow.decisions if d.id == "rf.add_rs"]
    assert wide_add.score is not None and narrow_add.score is not None
    assert wide_add.score == narrow_add.score + 1
