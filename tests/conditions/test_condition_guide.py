"""The condition guide pack: one complete, cited entry per diagnosis, checked by the loader."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from exam_assistant.condition_guide import ConditionGuideEntry
from exam_assistant.library import PackSource, build_library, builtin_protocol_dir, load_library
from exam_assistant.readability import flesch_reading_ease

CONDITIONS = builtin_protocol_dir() / "conditions.yaml"
SECTIONS = ["what_it_is", "causes_and_risk_factors", "typical_symptoms", "prevention", "prognosis", "urgency",
            "seek_help_now"]
LINKED = ["findings_for", "findings_against", "how_diagnosed", "imaging"]
PATIENT = ["what_it_is", "next_step", "what_to_do", "when_to_come_back", "seek_help_now"]


@pytest.fixture(scope="module")
def raw_entries() -> list[dict[str, object]]:
    data = yaml.safe_load(CONDITIONS.read_text(encoding="utf-8"))
    entries: list[dict[str, object]] = data["conditions"]
    return entries


def test_every_diagnosis_has_a_condition_guide_entry() -> None:
    """A diagnosis added to any built-in pack without a guide entry fails here, naming it."""
    lib = load_library()
    missing = sorted(set(lib.diagnoses) - set(lib.conditions))
    assert missing == [], f"add an entry to protocols/conditions.yaml for: {', '.join(missing)}"
    assert len(lib.conditions) >= 24


def test_condition_pack_loads_without_problems() -> None:
    lib = load_library()
    mine = [str(p) for p in lib.problems if p.source.endswith("conditions.yaml")]
    assert mine == []
    assert lib.packs["conditions"].pack.kind == "conditions"


def test_every_statement_cites_references_that_resolve() -> None:
    lib = load_library()
    for dx, entry in lib.conditions.items():
        for statement in entry.statements():
            assert statement.references, f"{dx}: uncited statement {statement.text!r}"
            for key in statement.references:
                assert key in lib.references, f"{dx}: unknown reference {key}"
                ref = lib.references[key]
                assert ref.doi or ref.url, key


def test_treatment_and_imaging_links_name_rules_of_the_right_kind() -> None:
    lib = load_library()
    for dx, entry in lib.conditions.items():
        for rule_id in entry.imaging.rules:
            assert lib.rules[rule_id].effect.type == "imaging", (dx, rule_id)
        for stage in entry.treatment:
            for rule_id in stage.rules:
                assert lib.rules[rule_id].effect.type == "treatment", (dx, rule_id)


# Rules that belong to every patient rather than to one condition.
GENERAL_RULES = {"tx.safety_net"}


def test_every_imaging_and_treatment_rule_is_linked_from_a_condition() -> None:
    """A new img.* or tx.* rule needs a guide entry that links it (or a place in GENERAL_RULES)."""
    lib = load_library()
    linked = {rule_id for e in lib.conditions.values() for _, rule_id, _ in e.rule_links()}
    unlinked = sorted(rid for rid, rule in lib.rules.items()
                      if rule.effect.type in ("imaging", "treatment") and rid not in linked | GENERAL_RULES)
    assert unlinked == [], f"link these from their condition in protocols/conditions.yaml: {', '.join(unlinked)}"


def test_patient_wording_reads_as_plain_english() -> None:
    """The handout prints these; each entry's patient text needs a Flesch reading ease of 60 or more."""
    lib = load_library()
    for dx, entry in lib.conditions.items():
        text = " ".join(s.text for _, group in entry.patient_sections() for s in group)
        assert flesch_reading_ease(text) >= 60, dx


@pytest.mark.parametrize("section", SECTIONS)
def test_an_empty_section_is_rejected(raw_entries: list[dict[str, object]], section: str) -> None:
    entry = dict(raw_entries[0])
    entry[section] = []
    with pytest.raises(ValidationError, match=section):
        ConditionGuideEntry.model_validate(entry)


@pytest.mark.parametrize("section", LINKED)
def test_an_empty_linked_section_is_rejected(raw_entries: list[dict[str, object]], section: str) -> None:
    entry = dict(raw_entries[0])
    entry[section] = {"statements": []}
    with pytest.raises(ValidationError, match=section):
        ConditionGuideEntry.model_validate(entry)


@pytest.mark.parametrize("section", PATIENT)
def test_an_empty_patient_section_is_rejected(raw_entries: list[dict[str, object]], section: str) -> None:
    entry = dict(raw_entries[0])
    entry["patient"] = {**dict(entry["patient"]), section: []}  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=section):
        ConditionGuideEntry.model_validate(entry)


def test_no_treatment_stage_is_rejected(raw_entries: list[dict[str, object]]) -> None:
    entry = {**raw_entries[0], "treatment": []}
    with pytest.raises(ValidationError, match="treatment"):
        ConditionGuideEntry.model_validate(entry)


def test_an_uncited_statement_is_rejected(raw_entries: list[dict[str, object]]) -> None:
    entry = {**raw_entries[0], "prognosis": [{"text": "Gets better.", "references": []}]}
    with pytest.raises(ValidationError, match="prognosis"):
        ConditionGuideEntry.model_validate(entry)
    entry = {**raw_entries[0], "prognosis": [{"text": "Gets better."}]}
    with pytest.raises(ValidationError, match="references"):
        ConditionGuideEntry.model_validate(entry)


def _clinic_pack(tmp_path: Path, entry: dict[str, object]) -> Path:
    pack = {
        "schema_version": "1", "id": "clinic_guide", "title": "Clinic guide", "version": "1.0", "kind": "conditions",
        "description": "test", "authors": ["test"], "licence": "test",
        "diagnoses": [{"id": "clinic_dx", "name": "Clinic condition", "description": "d", "references": ["downie_2013"]}],
        "conditions": [entry],
    }
    path = tmp_path / "clinic.yaml"
    path.write_text(yaml.safe_dump(pack), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "code", "text"),
    [
        ({"imaging": {"statements": [{"text": "MRI.", "references": ["downie_2013"]}], "rules": ["img.nope"]}},
         "PACK_006", "img.nope"),
        ({"imaging": {"statements": [{"text": "MRI.", "references": ["downie_2013"]}], "rules": ["tx.radiculopathy"]}},
         "PACK_007", "tx.radiculopathy"),
        ({"how_diagnosed": {"statements": [{"text": "Test.", "references": ["downie_2013"]}], "items": ["radic.nope"]}},
         "PACK_003", "radic.nope"),
        ({"prognosis": [{"text": "Fine.", "references": ["no_such_ref"]}]}, "PACK_005", "no_such_ref"),
        ({"diagnosis": "not_a_diagnosis"}, "PACK_003", "not_a_diagnosis"),
    ],
)
def test_a_bad_link_leaves_out_only_that_entry(
    tmp_path: Path, raw_entries: list[dict[str, object]], change: dict[str, object], code: str, text: str
) -> None:
    entry = {**raw_entries[0], "diagnosis": "clinic_dx", **change}
    lib = build_library([PackSource(builtin_protocol_dir(), "builtin"), PackSource(_clinic_pack(tmp_path, entry), "test")])
    found = [p for p in lib.problems if p.source.endswith("clinic.yaml")]
    assert [p.code for p in found] == [code]
    assert text in found[0].message and "left out" in found[0].message
    assert found[0].path.startswith("conditions[0]") and found[0].line is not None
    assert "clinic_dx" not in lib.conditions and "not_a_diagnosis" not in lib.conditions
    assert "cervical_radiculopathy" in lib.conditions and "clinic_dx" in lib.diagnoses


def test_a_second_entry_for_the_same_diagnosis_is_reported(tmp_path: Path, raw_entries: list[dict[str, object]]) -> None:
    entry = dict(raw_entries[0])
    lib = build_library([PackSource(builtin_protocol_dir(), "builtin"), PackSource(_clinic_pack(tmp_path, entry), "test")])
    assert [p.code for p in lib.problems if p.source.endswith("clinic.yaml")] == ["PACK_004"]
    assert lib.conditions[str(entry["diagnosis"])] == load_library().conditions[str(entry["diagnosis"])]


def test_a_valid_clinic_entry_loads(tmp_path: Path, raw_entries: list[dict[str, object]]) -> None:
    entry = {**raw_entries[0], "diagnosis": "clinic_dx"}
    lib = build_library([PackSource(builtin_protocol_dir(), "builtin"), PackSource(_clinic_pack(tmp_path, entry), "test")])
    assert [p for p in lib.problems if p.source.endswith("clinic.yaml")] == []
    assert "clinic_dx" in lib.conditions


def test_reading_ease_separates_plain_from_dense_text() -> None:
    """The score the handout test relies on: short everyday sentences score high, dense clinical prose low."""
    from exam_assistant.readability import syllables

    assert [syllables(w) for w in ("neck", "pillow", "physiotherapy", "radiculopathy", "tested", "make")] == [
        1, 2, 5, 6, 2, 1]
    plain = "Keep moving. Sleep on one firm pillow. Come back if it gets worse."
    dense = ("Cervical radiculopathy secondary to foraminal stenosis demonstrates considerable interindividual "
             "variability regarding symptomatology, necessitating comprehensive electrodiagnostic evaluation.")
    assert flesch_reading_ease(plain) > 80
    assert flesch_reading_ease(dense) < 0
