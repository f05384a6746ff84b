"""Export then import: the same encounter, the same findings and the same assessment; bad input refused plainly."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from exam_assistant.cli import areas_for, main
from exam_assistant.fhir.importer import ImportProblem, encounter_from_bundle, encounter_from_response
from exam_assistant.library import Library
from exam_assistant.models import Encounter
from tests.fhir.conftest import EXAMPLES, resources

Exported = dict[str, tuple[Encounter, dict[str, Any]]]


@pytest.mark.parametrize("name", [p.name for p in EXAMPLES])
def test_import_gives_back_the_exported_encounter(name: str, exported: Exported, library: Library) -> None:
    """Importing an example's bundle gives an encounter equal to the original, findings included."""
    encounter, bundle = exported[name]
    back = encounter_from_bundle(bundle, library)
    assert back.findings == encounter.findings
    assert back == encounter


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_cli_export_import_assess_gives_the_same_assessment(
    path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`export fhir`, `import fhir`, then `assess` prints the same assessment JSON as assessing the original."""
    bundle, imported = tmp_path / "b.json", tmp_path / "e.json"
    assert main(["export", "fhir", str(path), "-o", str(bundle)]) == 0
    assert main(["import", "fhir", str(bundle), "-o", str(imported)]) == 0
    capsys.readouterr()
    assert main(["assess", str(path)]) == 0
    original = capsys.readouterr().out
    assert main(["assess", str(imported)]) == 0
    assert json.loads(capsys.readouterr().out) == json.loads(original)


def test_lone_questionnaire_response_imports_its_answers(exported: Exported, library: Library) -> None:
    """One pack's QuestionnaireResponse, with the patient given separately, yields exactly that pack's findings."""
    from datetime import date

    encounter, bundle = exported["c6_radiculopathy.json"]
    qr = next(r for r in resources(bundle, "QuestionnaireResponse") if "/radiculopathy|" in r["questionnaire"])
    back = encounter_from_response(qr, library, "Maria Fernández", date(1979, 8, 14))
    assert back.findings == {k: v for k, v in encounter.findings.items() if k.startswith("radic.")}
    assert back.patient.name == "Maria Fernández"


def test_cli_imports_a_lone_response_only_with_the_patient(
    exported: Exported, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`import fhir` of a lone response exits 2 without --patient-name/--birth-date and 0 with them."""
    _, bundle = exported["c6_radiculopathy.json"]
    qr_file = tmp_path / "qr.json"
    qr_file.write_text(json.dumps(resources(bundle, "QuestionnaireResponse")[0]), encoding="utf-8")
    assert main(["import", "fhir", str(qr_file)]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    out = tmp_path / "e.json"
    assert main(["import", "fhir", str(qr_file), "--patient-name", "A B", "--birth-date", "1980-01-02", "-o", str(out)]) == 0
    assert Encounter.model_validate_json(out.read_text(encoding="utf-8")).patient.name == "A B"


def test_import_refuses_an_answer_outside_its_item(exported: Exported, library: Library) -> None:
    """A response whose Spurling result code is not one of the item's codes is refused with a plain reason."""
    _, bundle = exported["c6_radiculopathy.json"]
    broken = json.loads(json.dumps(bundle))
    for qr in resources(broken, "QuestionnaireResponse"):
        for group in qr.get("item", []):
            for node in group["item"]:
                if node["linkId"] == "radic.spurling":
                    node["item"][0]["item"][0]["answer"][0]["valueCoding"]["code"] = "maybe"
    with pytest.raises(ImportProblem, match=r"radic\.spurling/left/result"):
        encounter_from_bundle(broken, library)


def test_import_refuses_a_bundle_without_an_encounter(exported: Exported, library: Library) -> None:
    """A bundle missing its Encounter is refused, naming what is missing."""
    _, bundle = exported["tos_neurogenic.json"]
    broken = {**bundle, "entry": [e for e in bundle["entry"] if e["resource"]["resourceType"] != "Encounter"]}
    with pytest.raises(ImportProblem, match="no Encounter"):
        encounter_from_bundle(broken, library)


@pytest.mark.parametrize("content", ['{"resourceType": "Patient", "id": "x"}', "not json",
                                     '{"resourceType": "Bundle", "type": "document", "entry": "x"}'])
def test_cli_import_of_bad_input_exits_2_with_one_plain_line(
    content: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Input that is not a bundle or response of this project exits 2 with a single line on stderr."""
    source = tmp_path / "in.json"
    source.write_text(content, encoding="utf-8")
    assert main(["import", "fhir", str(source)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_cli_export_of_an_invalid_encounter_exits_2_with_one_plain_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An encounter file that does not validate exits 2 with one line and writes nothing."""
    source = tmp_path / "bad.json"
    source.write_text(json.dumps({"schema_version": "1.0", "patient": {"name": "X"}, "findings": {"nope.item": {}}}))
    out = tmp_path / "b.json"
    assert main(["export", "fhir", str(source), "-o", str(out)]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    assert not out.exists()


def test_cli_export_of_a_missing_file_exits_3(tmp_path: Path) -> None:
    """A missing encounter file is 'not found' (3), as for the other commands."""
    assert main(["export", "fhir", str(tmp_path / "nope.json"), "-o", str(tmp_path / "b.json")]) == 3


def test_fhir_commands_load_only_the_fhir_area() -> None:
    """`export fhir` and `import fhir` import only the FHIR area, `export pdf` only the reports area; `export --help` both."""
    assert areas_for(["export", "fhir", "e.json", "-o", "b.json"]) == ["exam_assistant.fhir.cli"]
    assert areas_for(["import", "fhir", "b.json"]) == ["exam_assistant.fhir.cli"]
    assert areas_for(["export", "pdf", "e.json"]) == ["reports.cli"]
    assert {"reports.cli", "exam_assistant.fhir.cli"} <= set(areas_for(["export", "--help"]) or [])


def test_answers_given_by_the_screen_button_keep_their_mark(library: Library) -> None:
    """A 'no' recorded by the all-negative screen button comes back marked as such; one asked alone comes back unmarked."""
    from exam_assistant.fhir.bundle import build_bundle
    from exam_assistant.models import YesNo
    from tests.fhir.conftest import example

    encounter = example("neck_pain_normal_exam.json", library)
    findings = {**encounter.findings, "history.fever": YesNo(value="no", screen=True),
                "history.weight_loss": YesNo(value="no")}
    screened = encounter.model_copy(update={"findings": findings})
    back = encounter_from_bundle(json.loads(json.dumps(build_bundle(screened, library))), library)
    assert back.findings["history.fever"] == YesNo(value="no", screen=True)
    assert back.findings["history.weight_loss"] == YesNo(value="no", screen=False)


def test_cli_import_refuses_deeply_nested_json_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """JSON nested past Python's recursion limit is refused with exit 2 and one line, not a traceback."""
    source = tmp_path / "deep.json"
    source.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    assert main(["import", "fhir", str(source)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_cluster_outcome_is_coded_as_its_diagnosis(exported: Exported) -> None:
    """The Wainner RiskAssessment predicts cervical radiculopathy as a coded diagnosis, not a bare id."""
    _, bundle = exported["c6_radiculopathy.json"]
    wainner = next(r for r in resources(bundle, "RiskAssessment") if r["code"]["coding"][0]["code"] == "radic.wainner")
    outcome = wainner["prediction"][0]["outcome"]
    assert outcome["coding"][0]["code"] == "cervical_radiculopathy" and "radiculopathy" in outcome["text"].lower()
