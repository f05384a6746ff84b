"""The hold-back policy: one mechanism, checked on random encounters and on clinic packs it has never seen."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exam_assistant.advice_policy import vocabularies_are_documented
from exam_assistant.engine.assess import assess
from exam_assistant.library import Library, PackSource, build_library, builtin_protocol_dir, load_library
from exam_assistant.models import Encounter
from exam_assistant.protocol import RedFlagEffect
from tests.engine.policy_invariants import policy_violations, visible_units
from tests.engine.test_properties import ITEMS, finding_for

LIB = load_library()
VIGNETTES = Path(__file__).resolve().parents[1] / "vignettes"


def _red_flag_answers(lib: Library) -> list[tuple[str, dict[str, Any]]]:
    """A 'yes' (or positive) answer to every yes/no item a red-flag rule reads: the seeds of seams."""
    from exam_assistant.conditions import ItemCondition, walk

    out: dict[str, dict[str, Any]] = {}
    for rule in lib.rules.values():
        if not isinstance(rule.effect, RedFlagEffect):
            continue
        for node in walk(rule.when):
            if isinstance(node, ItemCondition) and node.item in lib.items and lib.items[node.item].answer == "yes_no":
                out[node.item] = {"kind": "yes_no", "value": "yes"}
    return sorted(out.items())


SEEDS = _red_flag_answers(LIB)


@st.composite
def encounters_at_the_seams(draw: st.DrawFn) -> Encounter:
    """Random valid encounters that usually raise one or more red flags beside routine findings."""
    chosen = draw(st.lists(st.sampled_from(ITEMS), unique_by=lambda i: i.id, max_size=35))
    findings = {item.id: draw(finding_for(item)) for item in chosen}
    findings.update(dict(draw(st.lists(st.sampled_from(SEEDS), max_size=4))))
    born = draw(st.sampled_from(["1940-01-01", "1958-06-01", "1975-03-03", "2000-09-09"]))
    return Encounter.model_validate({
        "patient": {"name": "Property Patient", "date_of_birth": born, "sex": draw(st.sampled_from(["female", "male"]))},
        "created_at": "2026-05-01T09:00:00Z", "findings": findings})


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(encounters_at_the_seams())
def test_no_held_or_forbidden_class_is_ever_shown_beside_its_holder(encounter: Encounter) -> None:
    """Whatever fires together, nothing a raised flag or suspected diagnosis suppresses or forbids stays in the
    visible plan, every held-back item names its holder, and every forbidden class has its 'do not' line."""
    assert policy_violations(assess(encounter, LIB), LIB) == []


def test_every_advice_class_and_test_tag_is_documented() -> None:
    """The vocabulary in the schema has a description for every class and tag, and nothing else."""
    assert vocabularies_are_documented()


def test_every_recommendation_in_the_built_in_packs_carries_a_class() -> None:
    """Imaging suggestions and every treatment step are classified, so the policy can reach them."""
    for rule in LIB.rules.values():
        eff = rule.effect
        if eff.type == "imaging":
            assert eff.classes, rule.id
        if eff.type == "treatment":
            assert all(eff.classes or s.classes for s in eff.steps), rule.id


def _write_pack(folder: Path, body: dict[str, Any]) -> Path:
    pack = {"schema_version": "1", "id": "clinic", "title": "Clinic pack", "version": "1.0.0", "kind": "assessment",
            "description": "A clinic's own additions.", "authors": ["Clinic"], "licence": "CC-BY-4.0", **body}
    path = folder / "clinic.yaml"
    path.write_text(yaml.safe_dump(pack, sort_keys=False))
    return path


def _with_clinic(tmp_path: Path, body: dict[str, Any]) -> Library:
    _write_pack(tmp_path, body)
    return build_library([PackSource(builtin_protocol_dir(), "builtin"), PackSource(tmp_path, "test")])


def test_an_unknown_advice_class_is_a_load_error_naming_file_line_and_field(tmp_path: Path) -> None:
    """A pack that classifies a step as 'massage' (not in the vocabulary) is refused, and the message says where."""
    lib = _with_clinic(tmp_path, {"rules": [{
        "id": "tx.clinic_massage", "title": "Massage", "when": {"item": "history.location", "contains": "neck"},
        "reason": "Clinic preference for massage.", "references": ["nice_cks_neck_pain"],
        "effect": {"type": "treatment", "pathway": "Massage", "classes": ["massage"],
                   "steps": [{"stage": "physiotherapy", "text": "Massage the neck."}]}}]})
    [problem] = [p for p in lib.problems if p.source.endswith("clinic.yaml")]
    assert "classes" in (problem.path or "") and problem.line is not None
    assert "massage" in problem.message or "urgent_action" in problem.message
    assert "clinic" not in lib.packs and "red_flags" in lib.packs


def test_a_clinic_traction_step_is_held_back_by_the_built_in_myelopathy_flag(tmp_path: Path) -> None:
    """A clinic's new traction pathway, unknown to the built-in packs, is forbidden beside suspected myelopathy."""
    lib = _with_clinic(tmp_path, {"rules": [{
        "id": "tx.clinic_traction", "title": "Home traction device", "when": {"item": "history.location", "contains": "neck"},
        "reason": "Clinic protocol.", "references": ["nice_cks_neck_pain"],
        "effect": {"type": "treatment", "pathway": "Home traction", "classes": ["conservative_only"],
                   "steps": [{"stage": "physiotherapy", "text": "Home cervical traction twice a day.", "classes": ["traction"]}]}}]})
    assert not [p for p in lib.problems if p.source.endswith("clinic.yaml")]
    findings = {"history.location": {"kind": "multi_choice", "values": ["neck"]},
                "history.hand_clumsiness": {"kind": "yes_no", "value": "yes"},
                "history.gait_imbalance": {"kind": "yes_no", "value": "yes"}}
    enc = Encounter.model_validate({"patient": {"name": "P", "date_of_birth": "1960-01-01"},
                                    "created_at": "2026-05-01T09:00:00Z", "findings": findings})
    plain = assess(enc.model_copy(update={"findings": {"history.location": enc.findings["history.location"]}}), lib)
    assert "tx.clinic_traction" in {t.id for t in plain.treatment}
    result = assess(enc, lib)
    assert "rf.myelopathy" in {f.id for f in result.red_flags}
    assert "tx.clinic_traction" not in {t.id for t in result.treatment}
    [held] = [h for h in result.held_back if h.id == "tx.clinic_traction"]
    assert held.forbidden and "cervical_myelopathy" in held.held_by
    [do_not] = [d for d in result.do_not if d.advice_class == "traction"]
    assert "tx.clinic_traction" in do_not.withheld


def test_a_clinic_neck_loading_test_is_blocked_by_tag(tmp_path: Path) -> None:
    """A clinic's own foraminal compression test, tagged neck_compression, is greyed out beside a suspected fracture."""
    lib = _with_clinic(tmp_path, {"kind": "examination", "sections": [{"id": "clinic.tests", "title": "Clinic tests", "items": [{
        "id": "clinic.jackson", "kind": "test", "answer": "sided_test", "label": "Jackson's compression test",
        "technique": "Side-bend the neck and press down on the head.", "positive_when": "Arm pain reproduced.",
        "tags": ["neck_compression"], "references": ["rubinstein_2007"]}]}]})
    assert "clinic" in lib.packs, lib.problems
    findings = {"history.steroids": {"kind": "yes_no", "value": "yes"},
                "history.onset": {"kind": "choice", "value": "sudden"}}
    enc = Encounter.model_validate({"patient": {"name": "P", "date_of_birth": "1960-01-01"},
                                    "created_at": "2026-05-01T09:00:00Z", "findings": findings})
    result = assess(enc, lib)
    assert "rf.fracture" in {f.id for f in result.red_flags}
    assert "clinic.jackson" in {c.item for c in result.contraindications}


def test_a_flag_never_holds_back_its_own_pathway() -> None:
    """The fracture pathway's review step stays beside the fracture flag that raised it (its own pathway)."""
    findings = {"history.location": {"kind": "multi_choice", "values": ["thoracic_midline"]},
                "history.osteoporosis": {"kind": "yes_no", "value": "yes"},
                "history.onset": {"kind": "choice", "value": "sudden"}, "history.trauma": {"kind": "choice", "value": "none"}}
    enc = Encounter.model_validate({"patient": {"name": "P", "date_of_birth": "1950-01-01"},
                                    "created_at": "2026-05-01T09:00:00Z", "findings": findings})
    result = assess(enc, LIB)
    [plan] = [t for t in result.treatment if t.id == "tx.osteoporotic_fracture"]
    assert any(s.review_in_weeks == 2 for s in plan.steps)


def _cli_assess(tmp_path: Path, vignette: str) -> dict[str, Any]:
    data = yaml.safe_load((VIGNETTES / f"{vignette}.yaml").read_text())
    path = tmp_path / "encounter.json"
    path.write_text(json.dumps(data["encounter"]))
    out = subprocess.run([sys.executable, "-m", "exam_assistant.cli", "assess", str(path), "--format", "json"],
                         capture_output=True, text=True, check=True)
    result: dict[str, Any] = json.loads(out.stdout)
    return result


def _visible_text(result: dict[str, Any]) -> str:
    parts = [s["text"] for t in result["treatment"] for s in t["steps"]]
    parts += [i["first"]["study"] for i in result["imaging"] if i["first"]]
    parts += [a["study"] for i in result["imaging"] for a in i["alternatives"]]
    return " ".join(parts).lower()


def test_cli_assess_dissection_with_acs_lists_antithrombotics_only_as_do_not(tmp_path: Path) -> None:
    """exam-assistant assess: suspected dissection with ACS features shows no aspirin, and a 'do not' for antithrombotics."""
    result = _cli_assess(tmp_path, "s_dissection_with_acs_features")
    assert "aspirin" not in _visible_text(result)
    assert "antithrombotic" in {d["class"] for d in result["do_not"]}
    assert any(h["forbidden"] and "antithrombotic" in h["classes"] for h in result["held_back"])


def test_cli_assess_pancoast_and_myelopathy_list_no_traction_manual_therapy_or_disc_plan(tmp_path: Path) -> None:
    """exam-assistant assess: Pancoast and myelopathy pictures carry no traction, manual therapy or cervical-disc plan."""
    for vignette in ("s_pancoast_with_radicular_signs", "s_myelopathy_with_radiculopathy"):
        result = _cli_assess(tmp_path, vignette)
        text = _visible_text(result)
        assert "traction" not in text and "manual therapy" not in text, vignette
        assert "tx.radiculopathy" not in {t["id"] for t in result["treatment"]}, vignette
        assert {"traction", "manual_therapy"} <= {d["class"] for d in result["do_not"]}, vignette


def test_cli_assess_cancer_with_neck_pain_gives_no_reassurance(tmp_path: Path) -> None:
    """exam-assistant assess: a cancer history with neck pain shows nothing that says the pain is self-limiting."""
    result = _cli_assess(tmp_path, "s_cancer_history_neck_pain")
    assert "self-limiting" not in _visible_text(result)
    assert "reassurance" not in {c for i in result["imaging"] for c in i["classes"]}


def test_cli_assess_thirty_minutes_of_chest_pain_is_an_emergency(tmp_path: Path) -> None:
    """exam-assistant assess: 30 minutes of ongoing chest pain and nothing else gives EMERGENCY."""
    assert _cli_assess(tmp_path, "s_acs_thirty_minutes_chest_pain_alone")["urgency"] == "EMERGENCY"


def test_visible_units_cover_every_suggestion_kind() -> None:
    """The invariant checker sees imaging, treatment steps and suggested protocols (or it could pass vacuously)."""
    data = yaml.safe_load((VIGNETTES / "b_c6_radiculopathy.yaml").read_text())
    result = assess(Encounter.model_validate(data["encounter"]), LIB)
    kinds = {rule_id.split(".")[0] for rule_id, _, _ in visible_units(result, LIB)}
    assert {"img", "tx", "history"} <= kinds


def test_the_invariant_checker_catches_aspirin_slipped_back_beside_a_dissection() -> None:
    """policy_violations is not vacuous: putting the withheld aspirin step back into the plan is reported."""
    data = yaml.safe_load((VIGNETTES / "s_dissection_with_acs_features.yaml").read_text())
    result = assess(Encounter.model_validate(data["encounter"]), LIB)
    assert policy_violations(result, LIB) == []
    acs = LIB.rules["tx.acs"].effect
    assert acs.type == "treatment"
    tampered = result.model_copy(update={"treatment": [
        t.model_copy(update={"steps": list(acs.steps)}) if t.id == "tx.acs" else t for t in result.treatment]})
    problems = policy_violations(tampered, LIB)
    assert any("antithrombotic" in p and "tx.acs" in p for p in problems)


# Words that name advice the hold-back policy controls. A red flag's action is never held back, so
# it must not carry such advice: it belongs in a classed plan step, where a forbid can reach it.
CONTROLLED_WORDS = {
    "antithrombotic": ("aspirin", "heparin", "anticoagul", "thromboly", "clopidogrel", "antiplatelet"),
    "manual_therapy": ("manipulat", r"\bmobilis"),
    "traction": ("traction",),
    "nsaid": ("ibuprofen", "naproxen", "nsaid"),
}
NEGATIONS = ("do not", "don't", "no ", "avoid", "never", "not ")


def test_red_flag_actions_carry_no_advice_the_policy_controls() -> None:
    """No red-flag action or headline recommends a drug or treatment of a controlled class (only 'do not ...')."""
    import re

    offenders = []
    for rule in LIB.rules.values():
        if rule.effect.type != "red_flag":
            continue
        for sentence in re.split(r"(?<=[.;:])\s+", rule.effect.action.lower()):
            for cls, words in CONTROLLED_WORDS.items():
                if any(re.search(w, sentence) for w in words) and not any(n in sentence for n in NEGATIONS):
                    offenders.append(f"{rule.id} ({cls}): {sentence}")
    assert offenders == []


def test_held_back_lines_say_when_only_some_steps_of_a_pathway_wait() -> None:
    """A pathway held back whole is named; one held step is quoted and two are counted, so the
    note never reads as if the whole safety-netting advice were withheld when only its 'return if
    not improving' step is."""
    from exam_assistant.engine.assessment import HeldBack
    from exam_assistant.engine.policy import held_back_lines

    def held(rule: str, title: str, kind: str, text: str | None = None) -> HeldBack:
        return HeldBack(id=rule, title=title, why="held back - cancer", kind=kind, text=text,  # type: ignore[arg-type]
                        held_by=["rf.malignancy"], holder_title="Spinal pain with a history of cancer")

    lines = held_back_lines([
        held("tx.safety_net", "Safety-netting advice", "treatment_step",
             "Return for review if the pain is not improving as expected or stops you sleeping."),
        held("tx.neck_pain_acute", "Acute neck pain", "treatment_step", "Reassure: most neck pain settles."),
        held("tx.neck_pain_acute", "Acute neck pain", "treatment_step", "Stay active."),
        held("img.neck_pain_no_red_flags", "No imaging for neck pain", "imaging"),
    ])
    assert lines == [
        "until Spinal pain with a history of cancer is dealt with: one step of Safety-netting advice, "
        '"Return for review if the pain is not improving as expected or stops you sleeping"; '
        "2 steps of Acute neck pain; No imaging for neck pain"
    ]
    long = "Return for review " + "and keep moving gently " * 10 + "."
    line = held_back_lines([held("tx.safety_net", "Safety-netting advice", "treatment_step", long)])[0]
    assert line.endswith('..."') and len(line) < 200


def test_a_do_not_line_names_every_holder_not_only_the_most_urgent() -> None:
    """Cancer with night pain at 62 raises the cancer flag and the systemic one: infection (more
    urgent) and metastasis (the working diagnosis) both forbid manipulation. The line names the
    infection first and the metastasis after it, so the working diagnosis is not missing."""
    from pathlib import Path

    from exam_assistant.engine.assess import assess
    from exam_assistant.engine.policy import do_not_holders
    from exam_assistant.library import cached_library
    from exam_assistant.models import Encounter

    path = Path(__file__).resolve().parents[2] / "examples" / "encounters" / "thoracic_pain_breast_cancer_history.json"
    a = assess(Encounter.model_validate_json(path.read_text(encoding="utf-8")), cached_library())
    line = next(d for d in a.do_not if d.advice_class == "manual_therapy")
    assert line.held_by == "spinal_infection" and line.also_held_by == ["spinal_metastasis"]
    assert do_not_holders(line) == (
        "Suspected spinal infection (discitis, vertebral osteomyelitis, epidural abscess); "
        "also suspected spinal metastasis or metastatic spinal cord compression")
