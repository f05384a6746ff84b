"""The issue 11 musculoskeletal panels open in the guided examination and their answers are stored."""

from __future__ import annotations

import pytest

from exam_assistant.models import MultiChoice, YesNo
from exam_assistant.store import EncounterRepository
from exam_assistant.ui import steps
from tests.ui.conftest import new_app, ok, page_text, stored_draft, widget

PANELS = {
    "spine_structure": "Spinal findings",
    "inflammatory_back_pain": "Inflammatory back pain",
    "widespread_pain": "Widespread pain and symptom severity",
    "shoulder_injury": "Shoulder injury",
}


@pytest.mark.parametrize("pack", sorted(PANELS))
def test_each_panel_opens_with_its_section(pack: str, store: EncounterRepository) -> None:
    """Each new pack is a step of its own that renders its first section without an exception."""
    encounter_id = stored_draft(store, chosen={pack}, step=steps.EXAM_PREFIX + pack)
    at = new_app(query={"encounter": encounter_id})
    assert PANELS[pack] in page_text(at)


def test_a_panel_answer_is_stored_as_its_finding(store: EncounterRepository) -> None:
    """A yes/no answer on the spine panel is saved at once as a finding of its item."""
    encounter_id = stored_draft(store, chosen={"spine_structure"}, step=steps.EXAM_PREFIX + "spine_structure")
    at = new_app(query={"encounter": encounter_id})
    widget(at, "spine.band_pain").set_value("yes")
    ok(at.run())
    assert YesNo(value="yes") == store.get(encounter_id).encounter.findings["spine.band_pain"]


def test_the_widespread_pain_areas_are_stored(store: EncounterRepository) -> None:
    """The 19-area body list of the widespread pain index is a multi-choice finding."""
    findings = {"fm.pain_areas": {"kind": "multi_choice", "values": ["neck", "hip_left"]}}
    encounter_id = stored_draft(store, findings=findings, chosen={"widespread_pain"},
                                step=steps.EXAM_PREFIX + "widespread_pain")
    at = new_app(query={"encounter": encounter_id})
    ok(at)
    stored = store.get(encounter_id).encounter.findings["fm.pain_areas"]
    assert isinstance(stored, MultiChoice) and set(stored.values) == {"neck", "hip_left"}
