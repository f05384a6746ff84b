"""``exam-assistant conditions list|show``, run as a user runs it: in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "exam_assistant.cli", *args], capture_output=True, text=True,
                          cwd=REPO, timeout=120)


def test_conditions_list_json_has_every_diagnosis_with_every_section_cited() -> None:
    from exam_assistant.library import load_library

    result = cli("conditions", "list", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    ids = [c["id"] for c in data["conditions"]]
    assert sorted(ids) == sorted(load_library().diagnoses)
    assert data["missing"] == []
    for c in data["conditions"]:
        for section in ("what_it_is", "causes_and_risk_factors", "typical_symptoms", "prevention", "prognosis",
                        "urgency", "seek_help_now"):
            assert c[section] and all(s["references"] for s in c[section]), (c["id"], section)
        for section in ("findings_for", "findings_against", "how_diagnosed", "imaging"):
            assert c[section]["statements"] and all(s["references"] for s in c[section]["statements"])
        assert c["treatment"] and all(s["references"] for t in c["treatment"] for s in t["statements"])
        assert c["tier"] in {"EMERGENCY", "SAME_DAY", "URGENT", "ROUTINE"} and c["name"]


def test_conditions_list_text_names_each_condition_once() -> None:
    result = cli("conditions", "list")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert any(line.startswith("cervical_radiculopathy ") for line in lines)
    assert len(lines) == len({line.split()[0] for line in lines})


def test_conditions_show_prints_sections_links_and_full_references() -> None:
    result = cli("conditions", "show", "cervical_radiculopathy")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for heading in ("What it is", "Imaging", "Treatment: Surgery", "Seek help now if", "For the patient", "References"):
        assert f"\n{heading}" in out
    assert "img.radiculopathy_persistent" in out and "tx.radiculopathy" in out and "radic.spurling" in out
    assert "doi:10.1093/brain/117.2.325" in out  # radhakrishnan_1994 printed in full


def test_conditions_show_json_and_unknown_id() -> None:
    result = cli("conditions", "show", "venous_tos", "--format", "json")
    assert result.returncode == 0 and json.loads(result.stdout)["tier"] == "SAME_DAY"
    missing = cli("conditions", "show", "no_such_condition")
    assert missing.returncode == 3
    assert "no_such_condition" in missing.stderr and missing.stdout == ""


def test_conditions_command_does_not_load_the_store_or_pdf_libraries() -> None:
    code = ("import sys, contextlib, io\nfrom exam_assistant.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n    main(['conditions', 'list'])\n"
            "print(sorted(m for m in ('sqlalchemy', 'alembic', 'reportlab', 'streamlit') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert result.stdout.strip() == "[]", result.stderr
