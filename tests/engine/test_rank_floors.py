"""Rank floors (decision 34): a diagnosis with ``ranks_below`` is listed under every present structural
or red-flag diagnosis, whatever the scores; nothing else moves."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from exam_assistant.engine.assess import assess
from exam_assistant.engine.assessment import Assessment
from exam_assistant.library import Library, PackSource, build_library
from exam_assistant.models import Encounter
from exam_assistant.protocol import Diagnosis


def rank_floor_violations(result: Assessment, lib: Library) -> list[str]:
    """Every entry listed above a present member of a group its diagnosis ranks below (an independent
    restatement of decision 34, checked on every vignette)."""
    out: list[str] = []
    for i, entry in enumerate(result.differential):
        dx = lib.diagnoses.get(entry.id)
        for group in dx.ranks_below if dx else []:
            for below in result.differential[i + 1:]:
                member = lib.diagnoses[below.id].structural if group == "structural" else below.id in result.suspected
                if member:
                    out.append(f"{entry.id} listed above {group} {below.id}")
    return out


def _yes(item: str) -> dict[str, Any]:
    return {"item": item, "is": "yes"}


def _pack(tmp_path: Path) -> Library:
    """A clinic pack with a diagnosis of exclusion, a structural one, a flagged one and a plain one."""
    refs = ["ref_a"]
    items = [{"id": f"demo.{n}", "kind": "question", "answer": "yes_no", "label": n, "references": refs}
             for n in ("widespread", "disc", "alarm", "ache")]
    dx = [
        {"id": "exclusion", "name": "Exclusion", "description": "d", "prior": 0.0, "references": refs,
         "ranks_below": ["structural", "red_flag"]},
        {"id": "disc", "name": "Disc", "description": "d", "structural": True, "references": refs},
        {"id": "alarm", "name": "Alarm", "description": "d", "default_tier": "URGENT", "references": refs},
        {"id": "ache", "name": "Ache", "description": "d", "references": refs},
    ]

    def weight(rule_id: str, item: str, diagnosis: str, w: float) -> dict[str, Any]:
        return {"id": rule_id, "title": rule_id, "when": _yes(item), "reason": "demo rule",
                "effect": {"type": "differential", "diagnosis": diagnosis, "weight": w, "finding": item},
                "references": refs}

    rules = [
        weight("dx.exclusion", "demo.widespread", "exclusion", 5),
        weight("dx.disc", "demo.disc", "disc", 1),
        weight("dx.alarm_weak", "demo.alarm", "alarm", 0.5),
        weight("dx.ache", "demo.ache", "ache", 2),
        {"id": "rf.alarm", "title": "Alarm flag", "reason": "demo flag", "references": refs,
         "when": {"all": [_yes("demo.alarm"), _yes("demo.disc")]},
         "effect": {"type": "red_flag", "tier": "URGENT", "action": "act", "suggests": ["alarm"]}},
    ]
    pack = {"schema_version": "1", "id": "rank_demo", "title": "Rank demo", "version": "1.0", "kind": "assessment",
            "description": "test", "authors": ["test"], "licence": "test",
            "references": [{"key": "ref_a", "citation": "Author A. A title. J 2020.", "doi": "10.1000/demo"}],
            "sections": [{"id": "demo.s", "title": "Demo", "items": items}], "diagnoses": dx, "rules": rules}
    path = tmp_path / "rank_demo.yaml"
    path.write_text(yaml.safe_dump(pack), encoding="utf-8")
    lib = build_library([PackSource(path, "test")])
    assert not lib.problems, lib.problems
    return lib


def _run(lib: Library, *yes: str) -> Assessment:
    enc = Encounter.model_validate({
        "patient": {"name": "Test Patient", "date_of_birth": date(1976, 1, 1).isoformat(), "sex": "female"},
        "created_at": "2026-05-01T09:30:00Z",
        "findings": {f"demo.{n}": {"kind": "yes_no", "value": "yes"} for n in yes},
    })
    return assess(enc, lib)


def test_a_diagnosis_of_exclusion_is_listed_under_a_weaker_structural_cause(tmp_path: Path) -> None:
    """Score 5 against 1: the structural diagnosis still comes first, and the reason says why."""
    result = _run(_pack(tmp_path), "widespread", "disc", "ache")
    assert [d.id for d in result.differential] == ["ache", "disc", "exclusion"]
    moved = result.differential[-1]
    assert moved.score == 5 and "never ranks above a structural cause" in moved.reason and "Disc" in moved.reason
    lib = _pack(tmp_path)
    assert rank_floor_violations(result, lib) == []
    by_score = result.model_copy(update={"differential": sorted(result.differential, key=lambda d: -d.score)})
    assert rank_floor_violations(by_score, lib) == ["exclusion listed above structural disc"]


def test_a_non_structural_diagnosis_does_not_hold_it_down(tmp_path: Path) -> None:
    """Only the named groups count: a plain higher-scoring-or-not diagnosis keeps score order."""
    result = _run(_pack(tmp_path), "widespread", "ache")
    assert [d.id for d in result.differential] == ["exclusion", "ache"]
    assert "Listed after" not in result.differential[0].reason


def test_red_flag_group_is_what_a_raised_flag_suggests_not_a_tier_alone(tmp_path: Path) -> None:
    """An URGENT-tier diagnosis with a weak finding and no raised flag does not hold the exclusion down;
    once its red flag is raised it does."""
    lib = _pack(tmp_path)
    weak = _run(lib, "widespread", "alarm")
    assert [d.id for d in weak.differential] == ["exclusion", "alarm"]
    flagged = _run(lib, "widespread", "alarm", "disc")
    assert "rf.alarm" in {f.id for f in flagged.red_flags}
    assert [d.id for d in flagged.differential][-1] == "exclusion"


def test_ranks_below_accepts_only_the_two_groups() -> None:
    """A typo in a pack is a load error naming the field, never a silently ignored setting."""
    with pytest.raises(ValidationError, match="ranks_below"):
        Diagnosis.model_validate({"id": "x", "name": "X", "description": "d", "references": ["a"],
                                  "ranks_below": ["structual"]})


def test_fibromyalgia_meeting_the_criteria_ranks_under_a_cervical_radiculopathy(library: Library) -> None:
    """The built-in fibromyalgia diagnosis: criteria met (score higher) yet listed after the root cause."""
    areas = ["neck", "upper_back", "lower_back", "shoulder_girdle_left", "shoulder_girdle_right",
             "upper_arm_left", "hip_left", "hip_right", "upper_leg_left", "lower_leg_right"]
    enc = Encounter.model_validate({
        "patient": {"name": "Test Patient", "date_of_birth": "1980-01-01", "sex": "female"},
        "created_at": "2026-05-01T09:30:00Z",
        "findings": {
            "fm.pain_areas": {"kind": "multi_choice", "values": areas},
            "fm.fatigue": {"kind": "choice", "value": "severe"},
            "fm.waking_unrefreshed": {"kind": "choice", "value": "moderate"},
            "fm.cognitive": {"kind": "choice", "value": "mild"},
            "fm.headaches": {"kind": "yes_no", "value": "yes"},
            "fm.three_months": {"kind": "yes_no", "value": "yes"},
            "history.arm_symptoms": {"kind": "choice", "value": "left"},
            "radic.spurling": {"kind": "sided_test", "left": {"result": "positive", "criteria": ["arm_pain"]},
                               "right": {"result": "negative", "criteria": []}},
        },
    })
    result = assess(enc, library)
    ids = [d.id for d in result.differential]
    fibro = next(d for d in result.differential if d.id == "fibromyalgia")
    radic = next(d for d in result.differential if d.id == "cervical_radiculopathy")
    assert fibro.score > radic.score
    assert ids.index("cervical_radiculopathy") < ids.index("fibromyalgia")
