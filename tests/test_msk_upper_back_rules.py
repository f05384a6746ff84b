"""Rules of the spine_structure, inflammatory_back_pain, widespread_pain and shoulder_injury packs
(issue 11), one behaviour per rule id: a case that fires it and a near miss that must not; then the
fixes to the fracture rules (age or a risk factor alone never adds a fracture) and the region of
the first study."""

from __future__ import annotations

from typing import Any

import pytest

from exam_assistant.library import Library
from tests.test_exam_rules import Case, choice, decision, fired, fires_and_stays_quiet, multi, number, run, sided, yn

PACKS = ("spine_structure", "inflammatory_back_pain", "widespread_pain", "shoulder_injury")
Findings = dict[str, Any]

THORACIC: Findings = {"history.location": multi("thoracic_midline"), "history.arm_symptoms": choice("none"),
                      "history.trauma": choice("none")}
BAND: Findings = {**THORACIC, "spine.band_pain": yn("yes"), "history.dermatomal_rash": yn("no")}
NG65_BASE: Findings = {"axial.onset_before_45": yn("yes"), "history.duration_weeks": number(30),
                       "history.location": multi("thoracic_midline")}
FOUR: Findings = {"axial.onset_before_35": yn("yes"), "axial.night_waking_second_half": yn("yes"),
                  "axial.buttock_pain": yn("yes"), "history.easing": multi("exercise")}
NG65_NO: Findings = {f"axial.{k}": yn("no") for k in ("family_history", "arthritis", "enthesitis", "psoriasis")}
AREAS = ["neck", "upper_back", "lower_back", "shoulder_girdle_left", "shoulder_girdle_right", "upper_arm_left",
         "hip_left", "hip_right", "upper_leg_left", "lower_leg_right"]
FM_MET: Findings = {"fm.pain_areas": multi(*AREAS), "fm.fatigue": choice("severe"),
                    "fm.waking_unrefreshed": choice("moderate"), "fm.cognitive": choice("mild"),
                    "fm.headaches": yn("yes"), "fm.lower_abdominal_pain": yn("no"), "fm.depression": yn("no"),
                    "fm.three_months": yn("yes")}
SHOULDER_FALL: Findings = {"history.trauma": choice("minor"), "history.location": multi("shoulder"),
                           "shoulder.injury": yn("yes")}
UMN_HANDS: Findings = {"neuro.hoffmann": sided("positive", "positive"), "history.hand_clumsiness": yn("yes"),
                       "neuro.gait_abnormal": yn("yes")}


def _drop(findings: Findings, *keys: str) -> Findings:
    return {k: v for k, v in findings.items() if k not in keys}


CASES: dict[str, Case] = {
    # ------------------------------------------------------------ spinal stenosis
    "dx.stenosis_known_on_imaging": Case({"spine.known_canal_stenosis": yn("yes")}, {"spine.known_canal_stenosis": yn("no")}),
    "dx.stenosis_older_both_arms": Case({"spine.known_canal_stenosis": yn("yes"), "history.arm_symptoms": choice("both")},
                                        {"spine.known_canal_stenosis": yn("yes"), "history.arm_symptoms": choice("both")},
                                        age=64, quiet_age=45),
    "dx.stenosis_against_cord_signs": Case({"spine.known_canal_stenosis": yn("yes"), "neuro.babinski": sided("positive")},
                                           {"spine.known_canal_stenosis": yn("yes"), "neuro.babinski": sided("negative")}),
    "dx.stenosis_against_under_40": Case({"spine.known_canal_stenosis": yn("yes")}, {"spine.known_canal_stenosis": yn("yes")},
                                         age=35, quiet_age=55),
    "tx.spinal_stenosis": Case({"spine.known_canal_stenosis": yn("yes")}, {"spine.known_canal_stenosis": yn("no")}),
    # ------------------------------------------------------------ thoracic root
    "spine.thoracic_root_pattern": Case(BAND, {**BAND, "history.dermatomal_rash": yn("yes")}),
    "spine.thoracic_root_imaging": Case({**BAND, "history.duration_weeks": number(8)}, {**BAND, "history.duration_weeks": number(3)}),
    "dx.tdh_band_radicular": Case(BAND, {**BAND, "spine.band_pain": yn("no")}),
    "dx.tdh_cough_strain": Case({**BAND, "history.aggravating": multi("cough_strain")}, {**BAND, "history.aggravating": multi("carrying")}),
    "dx.tdh_band_sensory_change": Case({**THORACIC, "spine.band_sensory_change": yn("yes")}, {**THORACIC, "spine.band_sensory_change": yn("no")}),
    "dx.tdh_against_exertional": Case({**BAND, "history.exertional_pain": yn("yes")}, {**BAND, "history.exertional_pain": yn("no")}),
    "dx.ntp_against_band_pain": Case(BAND, {**BAND, "spine.band_pain": yn("no")}),
    "img.thoracic_root_mri": Case({**BAND, "spine.band_sensory_change": yn("yes")}, {**BAND, "spine.band_sensory_change": yn("no")}),
    "tx.thoracic_root_pain": Case(BAND, {**BAND, "history.aggravating": multi("exertion")}),
    "dx.ntp_paraspinal_tenderness": Case({**THORACIC, "spine.paraspinal_tenderness": yn("yes"), "rf.midline_spinal_tenderness": yn("no")},
                                         {**THORACIC, "spine.paraspinal_tenderness": yn("yes"), "rf.midline_spinal_tenderness": yn("yes")}),
    # ------------------------------------------------------------ curves and DISH
    "img.spinal_curve_standing": Case({**THORACIC, "posture.spinal_asymmetry": yn("yes")}, {**THORACIC, "posture.spinal_asymmetry": yn("no")}, age=14),
    "img.kyphosis_fracture_check": Case({**THORACIC, "posture.kyphosis_height_loss": yn("yes")}, {**THORACIC, "posture.kyphosis_height_loss": yn("yes")},
                                        age=72, quiet_age=30),
    "dx.dish_older_stiff": Case({**THORACIC, "spine.thoracic_stiffness": yn("yes")}, {**THORACIC, "spine.thoracic_stiffness": yn("yes")},
                                age=68, quiet_age=40),
    "dx.dish_metabolic": Case({**THORACIC, "spine.thoracic_stiffness": yn("yes"), "history.diabetes": yn("yes")},
                              {**THORACIC, "spine.thoracic_stiffness": yn("yes"), "history.diabetes": yn("no")}, age=68),
    "img.dish_radiograph": Case({**THORACIC, "spine.thoracic_stiffness": yn("yes")}, {**THORACIC, "spine.thoracic_stiffness": yn("yes"),
                                                                                      "history.as_or_dish": yn("yes")}, age=68),
    "spine.thoracic_imaging_indicated": Case({**THORACIC, "posture.spinal_asymmetry": yn("yes")}, {**THORACIC, "posture.spinal_asymmetry": yn("no")}),
    # ------------------------------------------------------------ bone fragility
    "dx.osteoporosis_known": Case({"history.osteoporosis": yn("yes")}, {"history.osteoporosis": yn("no")}),
    "dx.osteoporosis_steroids": Case({"history.steroids": yn("yes")}, {"history.steroids": yn("no")}),
    "dx.osteoporosis_age_with_spinal_pain": Case(THORACIC, {**THORACIC, "history.location": multi("hand")}, age=70),
    "dx.osteoporosis_height_loss": Case({"posture.kyphosis_height_loss": yn("yes")}, {"posture.kyphosis_height_loss": yn("no")}),
    "dx.osteoporosis_other_risk": Case({"bone.bmi": number(17.5)}, {"bone.bmi": number(23)}),
    "bone.fracture_risk_assessment": Case({"bone.falls": yn("yes")}, {"bone.falls": yn("yes")}, age=60, quiet_age=45),
    "img.bone_health": Case({"history.steroids": yn("yes")}, {"history.steroids": yn("no")}, age=45),
    # ------------------------------------------------------------ inflammatory back pain (NICE NG65)
    "axial.ng65_refer": Case({**NG65_BASE, **FOUR}, {**NG65_BASE, **FOUR, "axial.onset_before_45": yn("no")}),
    "axial.ng65_hla_b27": Case({**NG65_BASE, **_drop(FOUR, "history.easing"), **NG65_NO, "history.easing": multi("rest")},
                               {**NG65_BASE, **FOUR, **NG65_NO}),
    "dx.axspa_ng65_criteria": Case({**NG65_BASE, **FOUR}, {**NG65_BASE, **FOUR, "history.duration_weeks": number(8)}),
    "dx.axspa_ng65_three": Case({**NG65_BASE, **_drop(FOUR, "history.easing"), **NG65_NO, "history.easing": multi("rest")},
                                {**NG65_BASE, **_drop(FOUR, "history.easing"), **NG65_NO, "history.easing": multi("rest"),
                                 "axial.buttock_pain": yn("no")}),
    "dx.axspa_chronic_before_45": Case(NG65_BASE, {**NG65_BASE, "history.duration_weeks": number(4)}),
    "dx.axspa_morning_stiffness": Case({"axial.morning_stiffness": yn("yes")}, {"axial.morning_stiffness": yn("no")}),
    "dx.axspa_night_waking": Case({"axial.night_waking_second_half": yn("yes")}, {"axial.night_waking_second_half": yn("no")}),
    "dx.axspa_buttock_pain": Case({"axial.buttock_pain": yn("yes")}, {"axial.buttock_pain": yn("no")}),
    "dx.axspa_associated_features": Case({"axial.enthesitis": yn("yes")}, NG65_NO),
    "dx.axspa_against_rest_relief": Case({"axial.morning_stiffness": yn("yes"), "history.easing": multi("rest")},
                                         {"axial.morning_stiffness": yn("yes"), "history.easing": multi("rest", "exercise")}),
    "dx.axspa_against_late_onset": Case({"axial.morning_stiffness": yn("yes"), "axial.onset_before_45": yn("no")},
                                        {"axial.morning_stiffness": yn("yes"), "axial.onset_before_45": yn("yes")}),
    "dx.dish_against_early_onset": Case({**THORACIC, "spine.thoracic_stiffness": yn("yes"), "axial.onset_before_45": yn("yes")},
                                        {**THORACIC, "spine.thoracic_stiffness": yn("yes"), "axial.onset_before_45": yn("no")}, age=60),
    "tx.axial_spa_referral": Case({**NG65_BASE, **FOUR}, {**NG65_BASE, **_drop(FOUR, "axial.buttock_pain"), "axial.buttock_pain": yn("no")}),
    "tx.axial_spa_hla_b27": Case({**NG65_BASE, **_drop(FOUR, "history.easing"), **NG65_NO, "history.easing": multi("rest")},
                                 {**NG65_BASE, **FOUR, **NG65_NO}),
    "img.axial_spa": Case({**NG65_BASE, **FOUR}, {**NG65_BASE, **FOUR, "axial.onset_before_45": yn("no")}),
    # ------------------------------------------------------------ widespread pain
    "fm.generalised_pain": Case(FM_MET, {**FM_MET, "fm.pain_areas": multi("neck", "upper_back", "shoulder_girdle_left", "chest", "abdomen")}),
    "fm.criteria_met": Case(FM_MET, {**FM_MET, "fm.three_months": yn("no")}),
    "dx.fibromyalgia_criteria": Case(FM_MET, {**FM_MET, "fm.fatigue": choice("none"), "fm.waking_unrefreshed": choice("none")}),
    "dx.fibromyalgia_generalised_pain": Case(FM_MET, {**FM_MET, "fm.pain_areas": multi("neck", "jaw_left", "chest")}),
    "dx.fibromyalgia_fatigue_sleep": Case({"fm.fatigue": choice("moderate")}, {"fm.fatigue": choice("mild")}),
    "dx.fibromyalgia_against_regional": Case({**FM_MET, "fm.pain_areas": multi("neck", "shoulder_girdle_left")}, FM_MET),
    "dx.fibromyalgia_against_criteria": Case({**FM_MET, "fm.three_months": yn("no")}, FM_MET),
    # ------------------------------------------------------------ shoulder injury
    "rf.shoulder_dislocation": Case({**SHOULDER_FALL, "shoulder.deformity_or_locked": yn("yes")},
                                    {**SHOULDER_FALL, "shoulder.deformity_or_locked": yn("no")}),
    "rf.acute_cuff_tear": Case({**SHOULDER_FALL, "shoulder.weak_after_injury": yn("yes")}, {**SHOULDER_FALL, "shoulder.weak_after_injury": yn("no")}),
    "shoulder.injured": Case(SHOULDER_FALL, {**SHOULDER_FALL, "shoulder.injury": yn("no"), "history.trauma": choice("none")}),
    "dx.shoulder_injury_mechanism": Case(SHOULDER_FALL, {"history.trauma": choice("none"), "history.location": multi("shoulder")}),
    "dx.shoulder_injury_movement": Case({**SHOULDER_FALL, "neuro.shoulder_painful_movement": sided("positive", lc=("painful_arc",))},
                                        {**SHOULDER_FALL, "neuro.shoulder_painful_movement": sided("negative")}),
    "dx.shoulder_injury_neck_tests_negative": Case({**SHOULDER_FALL, "radic.spurling": sided("negative", "negative")},
                                                   {**SHOULDER_FALL, "radic.spurling": sided("positive", lc=("arm_pain",))}),
    "dx.shoulder_injury_weakness": Case({"shoulder.weak_after_injury": yn("yes")}, {"shoulder.weak_after_injury": yn("no")}),
    "dx.shoulder_injury_deformity": Case({"shoulder.deformity_or_locked": yn("yes")}, {"shoulder.deformity_or_locked": yn("no")}),
    "dx.shoulder_injury_against_no_injury": Case({"shoulder.weak_after_injury": yn("yes"), "history.trauma": choice("none")},
                                                 {"shoulder.weak_after_injury": yn("yes"), "history.trauma": choice("minor")}),
    "dx.shoulder_injury_against_radicular": Case({**SHOULDER_FALL, "radic.spurling": sided("positive", lc=("arm_pain",))},
                                                 {**SHOULDER_FALL, "radic.spurling": sided("negative", "negative")}),
    "img.shoulder_injury": Case(SHOULDER_FALL, {"history.trauma": choice("none"), "history.location": multi("shoulder")}),
    "tx.shoulder_injury": Case(SHOULDER_FALL, {**SHOULDER_FALL, "shoulder.injury": yn("no"), "history.trauma": choice("none")}),
}
# points rules show as decisions, not as fired rules: tested on their own below
OWN_TESTS = {"fm.wpi", "fm.sss"}


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_fires_on_its_pattern_and_not_on_the_near_miss(rule_id: str, library: Library) -> None:
    """The rule fires for its case and stays silent for the near miss that lacks one finding."""
    fires_and_stays_quiet(library, rule_id, CASES[rule_id])


def test_every_rule_of_these_packs_has_a_case(library: Library) -> None:
    """No rule of the four packs goes untested."""
    defined = {r.id for pid in PACKS for r in library.packs[pid].pack.rules}
    assert defined - set(CASES) - OWN_TESTS == set()


# ------------------------------------------------------------------ widespread pain scores


def test_fm_wpi_counts_the_19_areas(library: Library) -> None:
    """fm.wpi is the number of painful areas; unanswered areas give no score at all."""
    assert decision(run(library, FM_MET), "fm.wpi").score == 10
    assert not [d for d in run(library, {"fm.fatigue": choice("mild")}).decisions if d.id == "fm.wpi"]


def test_fm_sss_adds_three_severities_and_three_symptoms(library: Library) -> None:
    """fm.sss: severe 3 + moderate 2 + mild 1 + headaches 1 = 7; a missing part leaves it undecided, not low."""
    assert decision(run(library, FM_MET), "fm.sss").score == 7
    partial = run(library, {"fm.fatigue": choice("severe")})
    [sss] = [d for d in partial.decisions if d.id == "fm.sss"]
    assert sss.score == 3 and sss.missing


def test_fm_criteria_need_wpi_4_to_6_with_sss_9(library: Library) -> None:
    """WPI 5 (4 regions) with SSS 9 meets the criteria; the same WPI with SSS 7 does not."""
    five = multi("neck", "shoulder_girdle_left", "shoulder_girdle_right", "hip_left", "hip_right")
    high = {**FM_MET, "fm.pain_areas": five, "fm.cognitive": choice("severe"), "fm.depression": yn("yes")}
    assert "fm.criteria_met" in fired(run(library, high))
    assert "fm.criteria_met" not in fired(run(library, {**FM_MET, "fm.pain_areas": five}))


def test_fibromyalgia_never_ranks_above_a_structural_or_red_flag_cause(library: Library) -> None:
    """Criteria met (score about 5.7) beside a flagged fracture or a weaker structural cause: listed after them."""
    flagged = run(library, {**FM_MET, **THORACIC, "history.onset": choice("sudden"),
                            "rf.midline_spinal_tenderness": yn("yes")}, age=80)
    ids = [d.id for d in flagged.differential]
    assert "rf.fracture" in {f.id for f in flagged.red_flags}
    assert ids.index("osteoporotic_fracture") < ids.index("fibromyalgia")
    structural = run(library, {**FM_MET, "history.location": multi("shoulder"), "history.trauma": choice("none"),
                               "neuro.shoulder_painful_movement": sided("positive", lc=("painful_arc",))})
    ids = [d.id for d in structural.differential]
    assert ids.index("shoulder_pathology") < ids.index("fibromyalgia")
    assert "never ranks above" in structural.differential[ids.index("fibromyalgia")].reason


def test_stenosis_never_outranks_a_flagged_myelopathy(library: Library) -> None:
    """Known narrowing with cord signs: cervical myelopathy first; without cord signs stenosis may lead."""
    signs = run(library, {"spine.known_canal_stenosis": yn("yes"), "history.arm_symptoms": choice("both"), **UMN_HANDS}, age=64)
    ids = [d.id for d in signs.differential]
    assert ids[0] == "cervical_myelopathy" and ids.index("spinal_stenosis") > 0
    quiet = run(library, {"spine.known_canal_stenosis": yn("yes"), "history.arm_symptoms": choice("both"),
                          "neuro.hoffmann": sided("negative", "negative")}, age=64)
    assert quiet.differential[0].id == "spinal_stenosis"


# ------------------------------------------------------------------ fracture fixes (issue 11)


def test_age_alone_adds_no_fracture_to_an_unrelated_differential(library: Library) -> None:
    """At 80, sudden arm pain or a fall onto the shoulder raises no fracture flag or fracture diagnosis;
    with thoracic pain it does."""
    for findings in ({"history.location": multi("arm"), "history.onset": choice("sudden")},
                     {"history.location": multi("shoulder"), "history.trauma": choice("minor")},
                     {"history.location": multi("hand"), "history.osteoporosis": yn("yes"), "history.steroids": yn("yes")}):
        result = run(library, findings, age=80)
        assert "rf.fracture" not in {f.id for f in result.red_flags}, findings
        assert "osteoporotic_fracture" not in {d.id for d in result.differential}, findings
    thoracic = run(library, {"history.location": multi("thoracic_midline"), "history.onset": choice("sudden")}, age=80)
    assert "rf.fracture" in {f.id for f in thoracic.red_flags}
    assert "dx.osteoporotic_fracture.older_age" in fired(thoracic)


def test_dx_osteoporotic_fracture_risk_factors_need_upper_back_pain(library: Library) -> None:
    """dx.osteoporotic_fracture.osteoporosis and .steroids count with thoracic pain or midline tenderness only."""
    for rule_id, item in (("dx.osteoporotic_fracture.osteoporosis", "history.osteoporosis"),
                          ("dx.osteoporotic_fracture.steroids", "history.steroids")):
        assert rule_id in fired(run(library, {item: yn("yes"), "history.location": multi("interscapular")}))
        assert rule_id in fired(run(library, {item: yn("yes"), "rf.midline_spinal_tenderness": yn("yes")}))
        assert rule_id not in fired(run(library, {item: yn("yes"), "history.location": multi("hand")}))


def test_thoracic_fragility_fracture_gets_thoracic_films_and_never_cervical(library: Library) -> None:
    """img.osteoporotic_fracture_thoracic for upper-back pain alone; the generic study when the neck hurts too."""
    base = {"history.onset": choice("sudden"), "history.steroids": yn("yes"), "history.trauma": choice("none")}
    thoracic = run(library, {**base, "history.location": multi("thoracic_midline")}, age=70)
    assert thoracic.imaging[0].id == "img.osteoporotic_fracture_thoracic"
    assert "img.osteoporotic_fracture" not in {i.id for i in thoracic.imaging}
    studies = [i.first.study.lower() for i in thoracic.imaging if i.first]
    studies += [a.study.lower() for i in thoracic.imaging for a in i.alternatives]
    assert not any("cervical" in s for s in studies)
    both = run(library, {**base, "history.location": multi("thoracic_midline", "neck")}, age=70)
    assert "img.osteoporotic_fracture" in {i.id for i in both.imaging}
    assert "img.osteoporotic_fracture_thoracic" not in {i.id for i in both.imaging}


def test_no_imaging_now_steps_aside_for_a_thoracic_study(library: Library) -> None:
    """img.thoracic_pain_no_red_flags is not shown beside thoracic root MRI, standing films, a kyphosis check or DISH films,
    and still shows when those items are unanswered."""
    assert "img.thoracic_pain_no_red_flags" in fired(run(library, THORACIC, age=70))
    for extra, age in (({"spine.band_pain": yn("yes"), "spine.band_sensory_change": yn("yes")}, 50),
                       ({"posture.spinal_asymmetry": yn("yes")}, 15), ({"posture.kyphosis_height_loss": yn("yes")}, 70),
                       ({"spine.thoracic_stiffness": yn("yes")}, 70)):
        assert "img.thoracic_pain_no_red_flags" not in fired(run(library, {**THORACIC, **extra}, age=age)), extra


def test_tx_thoracic_pain_gives_way_to_the_root_pathway(library: Library) -> None:
    """Band-like root pain takes tx.thoracic_root_pain instead of the non-specific pathway."""
    ids = fired(run(library, BAND))
    assert "tx.thoracic_root_pain" in ids and "tx.thoracic_pain" not in ids
