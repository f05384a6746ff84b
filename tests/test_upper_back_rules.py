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
