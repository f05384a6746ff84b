"""The vignette suite: readable YAML encounters, each with the assessment a careful clinician expects.

Each file in tests/vignettes/ holds `title`, `encounter` (the public encounter format) and `expect`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from exam_assistant.engine.assess import assess
from exam_assistant.library import Library
from exam_assistant.models import Encounter
from exam_assistant.validation import library_problems
from tests.engine.policy_invariants import policy_violations, visible_units
from tests.engine.test_rank_floors import rank_floor_violations

VIGNETTES = sorted((Path(__file__).resolve().parents[1] / "vignettes").glob("*.yaml"))
KNOWN_KEYS = {"urgency", "red_flags", "absent_red_flags", "top_differential", "top3_differential",
              "imaging_first_contains", "level", "level_side", "clusters", "contraindicated", "not_contraindicated",
              # the seams: where two rules meet (see docs/safety.md)
              "do_not", "visible_classes_absent", "shown", "held_back", "not_shown", "visible_text_absent",
              "suspected", "absent_differential", "differential_for"}


def load(path: Path) -> tuple[Encounter, dict[str, Any]]:
    data = yaml.safe_load(path.read_text())
    unknown = set(data["expect"]) - KNOWN_KEYS
    assert not unknown, f"{path.name}: unknown expectation(s) {unknown}"
    return Encounter.model_validate(data["encounter"]), data["expect"]


def test_there_are_at_least_thirty_vignettes() -> None:
    """The issue asks for at least 30 readable vignettes."""
    assert len(VIGNETTES) >= 30


@pytest.mark.parametrize("path", VIGNETTES, ids=[p.stem for p in VIGNETTES])
def test_vignette(path: Path, library: Library) -> None:
    """The assessment of the vignette matches what its author expects."""
    encounter, expect = load(path)
    assert library_problems(encounter, library) == []
    result = assess(encounter, library)
    raised = {f.id for f in result.red_flags}
    if "urgency" in expect:
        assert result.urgency == expect["urgency"], result.headline
    for flag in expect.get("red_flags") or []:
        assert flag in raised, f"expected red flag {flag}; raised {sorted(raised)}"
    for flag in expect.get("absent_red_flags") or []:
        assert flag not in raised, f"red flag {flag} should not be raised"
    ranked = [d.id for d in result.differential]
    if expect.get("top_differential"):
        assert ranked and ranked[0] == expect["top_differential"], f"differential: {ranked[:5]}"
    for dx in expect.get("top3_differential") or []:
        assert dx in ranked[:3], f"{dx} not in top three: {ranked[:5]}"
    for dx in expect.get("absent_differential") or []:  # e.g. a risk factor alone lists nothing
        assert dx not in ranked, f"{dx} should not be in the differential: {ranked}"
    for dx, rule_id in (expect.get("differential_for") or {}).items():
        entry = next((d for d in result.differential if d.id == dx), None)
        assert entry is not None and rule_id in {e.rule for e in entry.for_}, f"{rule_id} not counted for {dx}"
    if "imaging_first_contains" in expect:
        wanted = str(expect["imaging_first_contains"]).lower()
        assert result.imaging, "no imaging suggestion"
        first = result.imaging[0]
        text = first.first.study if first.first else f"no imaging now, review in {first.review_in_weeks} weeks"
        assert wanted in text.lower(), f"first imaging: {text}"
    if "level" in expect:
        got = result.level.level if result.level else None
        assert got == expect["level"], f"level {got}"
    if expect.get("level_side"):
        assert result.level is not None and result.level.side == expect["level_side"]
    for cluster_id, counts in (expect.get("clusters") or {}).items():
        [cluster] = [c for c in result.clusters if c.id == cluster_id]
        for key, value in counts.items():
            assert getattr(cluster, key) == value, f"{cluster_id}.{key} = {getattr(cluster, key)}"
    contraindicated = {c.item for c in result.contraindications}
    for item in expect.get("contraindicated") or []:
        assert item in contraindicated
    for item in expect.get("not_contraindicated") or []:
        assert item not in contraindicated
    _check_seams(result, library, expect)


def _check_seams(result: Any, library: Library, expect: dict[str, Any]) -> None:
    """Every vignette obeys the hold-back policy; seam vignettes also name what must and must not show."""
    assert policy_violations(result, library) == []
    assert rank_floor_violations(result, library) == []
    units = visible_units(result, library)
    shown = {rule_id for rule_id, _, _ in units}
    visible_classes = {c for _, classes, _ in units for c in classes}
    text = " ".join(t for _, _, t in units).lower()
    text += " " + " ".join(a.study for i in result.imaging for a in i.alternatives).lower()
    for cls in expect.get("do_not") or []:
        assert cls in {d.advice_class for d in result.do_not}, f"no 'do not {cls}': {[d.advice_class for d in result.do_not]}"
    for cls in expect.get("visible_classes_absent") or []:
        assert cls not in visible_classes, f"{cls} visible in {[u[0] for u in units if cls in u[1]]}"
    for rule_id in expect.get("shown") or []:
        assert rule_id in shown, f"{rule_id} not shown; shown {sorted(shown)}"
    for rule_id in expect.get("not_shown") or []:
        assert rule_id not in shown, f"{rule_id} shown"
    for rule_id in expect.get("held_back") or []:
        assert rule_id in {h.id for h in result.held_back}, f"{rule_id} not held back: {[h.id for h in result.held_back]}"
    for words in expect.get("visible_text_absent") or []:
        assert words.lower() not in text, f"'{words}' still visible"
    for dx in expect.get("suspected") or []:
        assert dx in result.suspected, f"{dx} not suspected: {result.suspected}"
