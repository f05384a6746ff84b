"""The fixed answer vocabulary of practice mode: domains, imaging and plan choices, global ratings.

Cases and attempts refer to these values; the screen shows the labels. Adding a value here is
the one code change a teacher's new case could need.
"""

from __future__ import annotations

from typing import Literal, get_args

Domain = Literal[
    "history",
    "red_flag_screen",
    "test_selection",
    "safety",
    "interpretation",
    "diagnosis",
    "level",
    "imaging",
    "plan",
]
DOMAINS: tuple[Domain, ...] = get_args(Domain)
DOMAIN_LABELS: dict[str, str] = {
    "history": "History",
    "red_flag_screen": "Red-flag screen",
    "test_selection": "Test selection",
    "safety": "Safety",
    "interpretation": "Interpretation",
    "diagnosis": "Diagnosis",
    "level": "Level and side",
    "imaging": "Imaging",
    "plan": "Plan",
}

CaseLevel = Literal["foundation", "intermediate", "advanced"]
Mode = Literal["learning", "exam"]
Effect = Literal["raises", "lowers", "little_change"]
EFFECT_LABELS: dict[str, str] = {
    "raises": "raises the probability",
    "lowers": "lowers the probability",
    "little_change": "barely changes the probability",
}
# Likelihood ratios between these bounds barely move probability (clinical-reference §0).
LR_RAISES_FROM = 2.0
LR_LOWERS_BELOW = 0.5

RootLevel = Literal["C4", "C5", "C6", "C7", "C8", "T1", "none"]
Side = Literal["left", "right", "bilateral", "none"]

ImagingChoice = Literal[
    "none_now",
    "xr_cervical",
    "xr_thoracic",
    "ct_cervical",
    "mri_cervical",
    "mri_thoracic",
    "mri_spine_contrast",
    "mri_whole_spine",
    "chest_xr",
    "ct_chest",
    "cta_aorta",
    "cta_neck",
    "duplex_subclavian",
    "electrodiagnosis",
]
IMAGING_LABELS: dict[str, str] = {
    "none_now": "No imaging now; review and image only if it fails to settle or worsens",
    "xr_cervical": "Cervical spine radiographs",
    "xr_thoracic": "Thoracic spine radiographs",
    "ct_cervical": "CT cervical spine",
    "mri_cervical": "MRI cervical spine",
    "mri_thoracic": "MRI thoracic spine",
    "mri_spine_contrast": "MRI of the spine with contrast, same day (infection or cancer suspected)",
    "mri_whole_spine": "Whole-spine MRI",
    "chest_xr": "Chest radiograph",
    "ct_chest": "CT chest",
    "cta_aorta": "CT angiography of the aorta, in the emergency department",
    "cta_neck": "CT or MR angiography of the head and neck",
    "duplex_subclavian": "Duplex ultrasound of the subclavian artery and vein",
    "electrodiagnosis": "Nerve conduction studies and EMG",
}

PlanChoice = Literal[
    "reassure_stay_active",
    "simple_analgesia",
    "neuropathic_analgesia",
    "physiotherapy",
    "ergonomic_advice",
    "review_4_6_weeks",
    "safety_net",
    "cervical_collar",
    "bed_rest",
    "neck_manipulation",
    "epidural_injection",
    "urgent_spinal_referral",
    "emergency_transfer",
    "same_day_vascular",
    "urgent_vascular_referral",
    "immobilise_neck",
    "anticoagulation",
    "antiviral_72h",
    "suspected_cancer_pathway",
    "bone_health",
    "blood_tests",
]
PLAN_LABELS: dict[str, str] = {
    "reassure_stay_active": "Explain, reassure and advise staying active",
    "simple_analgesia": "Simple analgesia (NSAID or paracetamol) with its cautions",
    "neuropathic_analgesia": "Neuropathic pain medicine (e.g. amitriptyline, gabapentinoid) with its cautions",
    "physiotherapy": "Physiotherapy: exercise-based rehabilitation",
    "ergonomic_advice": "Posture, workstation and activity modification advice",
    "review_4_6_weeks": "Review in 4–6 weeks; refer if not settling or worse",
    "safety_net": "Safety-net advice: which new symptoms mean coming back at once",
    "cervical_collar": "Soft cervical collar",
    "bed_rest": "Bed rest until the pain settles",
    "neck_manipulation": "High-velocity neck manipulation",
    "epidural_injection": "Cervical epidural steroid injection",
    "urgent_spinal_referral": "Urgent spinal specialist referral (within two weeks)",
    "emergency_transfer": "Stop the examination: emergency transfer now",
    "same_day_vascular": "Same-day vascular assessment",
    "urgent_vascular_referral": "Urgent vascular surgery referral",
    "immobilise_neck": "Keep the neck still (immobilise) until a fracture is excluded",
    "anticoagulation": "Anticoagulation per local protocol once thrombosis is confirmed",
    "antiviral_72h": "Antiviral medicine, started within 72 hours of the rash",
    "suspected_cancer_pathway": "Urgent suspected-cancer pathway referral",
    "bone_health": "Fracture analgesia and bone-health (osteoporosis) assessment",
    "blood_tests": "Blood tests (full blood count, CRP/ESR)",
}

GlobalRating = Literal["clear_fail", "borderline", "clear_pass", "good", "excellent"]
GLOBAL_RATINGS: tuple[GlobalRating, ...] = ("clear_fail", "borderline", "clear_pass", "good", "excellent")
GLOBAL_RATING_LABELS: dict[str, str] = {
    "clear_fail": "Clear fail",
    "borderline": "Borderline",
    "clear_pass": "Clear pass",
    "good": "Good",
    "excellent": "Excellent",
}
