"""The red-flag banner: tier, action and the findings that raised it, at the top of every step.

An EMERGENCY is a stop-the-examination banner. The banner is never collapsed or hidden and is
drawn before anything else on the step. Meaning is carried by words and icons, not colour.
"""

from __future__ import annotations

import streamlit as st

from exam_assistant.engine.assessment import Assessment, RedFlag
from exam_assistant.models import Encounter
from exam_assistant.previsit.confirm import marked
from exam_assistant.ui.text import TIER_ICON, md, tier_label

BOX = {"EMERGENCY": st.error, "SAME_DAY": st.error, "URGENT": st.warning, "ROUTINE": st.info}


def _triggers(flag: RedFlag, encounter: Encounter | None) -> str:
    """The findings that raised the flag; a patient's unconfirmed pre-visit answer says so."""
    findings = encounter.findings if encounter is not None else {}
    parts = []
    for t in flag.triggered_by:
        label = md(marked(t.label, findings.get(t.item)))
        parts.append(f"{label}: {md(t.value)}" if t.value else label)
    return "; ".join(parts) or "the findings recorded"


def _flag_text(flag: RedFlag, encounter: Encounter | None) -> str:
    return (
        f"**{tier_label(flag.tier)}: {md(flag.title)}**  \n"
        f"**Action:** {md(flag.action)}  \n"
        f"Raised by: {_triggers(flag, encounter)} (rule {md(flag.id)})"
    )


EMERGENCY_TAIL = ("Routine tests, imaging and treatment suggestions are held back until the "
                  "emergency is dealt with. Record only what the emergency action needs.")


def banner_boxes(assessment: Assessment | None, encounter: Encounter | None = None) -> list[tuple[str, str]]:
    """The banner's boxes as (tier, markdown), most urgent first; empty when no flag is raised.

    Every EMERGENCY flag goes into one stop-the-examination box headed by the instruction to
    stop; each lower tier flag follows in its own box. With the encounter, a flag raised by the
    patient's unconfirmed pre-visit answer names it "(patient-reported)".
    """
    if assessment is None or not assessment.red_flags:
        return []
    emergencies = [f for f in assessment.red_flags if f.tier == "EMERGENCY"]
    boxes: list[tuple[str, str]] = []
    if emergencies:
        boxes.append(("EMERGENCY", f"## {TIER_ICON['EMERGENCY']} EMERGENCY: stop the examination\n"
                      + "\n\n".join(_flag_text(f, encounter) for f in emergencies) + "\n\n" + EMERGENCY_TAIL))
    boxes += [(f.tier, _flag_text(f, encounter)) for f in assessment.red_flags if f.tier != "EMERGENCY"]
    return boxes


def red_flag_banner(assessment: Assessment | None, encounter: Encounter | None = None) -> None:
    """Draw the banner for every raised red flag, most urgent first (nothing when none)."""
    boxes = banner_boxes(assessment, encounter)
    if not boxes:
        return
    with st.container(key="red_flag_banner"):
        for tier, text in boxes:
            BOX[tier](text)
