"""Localising a root level from the neuro screen.

Items carry their root (``level``) and modality in the neuro pack; a root lesion shows as
reduced sensation at its key point, weakness of its key muscle, or a reduced reflex. Brisk
reflexes are upper-motor-neuron signs and do not localise a root, so they are not counted.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Literal

from exam_assistant.engine.assessment import LevelFinding, LevelResult, Lookalike
from exam_assistant.engine.describe import graded_text
from exam_assistant.models import Encounter, Mrc, Reflex, Sensation
from exam_assistant.protocol import LEVELS, Item
from exam_assistant.protocol import Lookalike as LookalikeDef


def _abnormal(encounter: Encounter, item: Item, side: str) -> str | None:
    """The abnormal value on that side as text, or None when normal or not tested."""
    finding = encounter.findings.get(item.id)
    if isinstance(finding, Sensation):
        grade = getattr(finding, side)
        return grade if grade in ("reduced", "absent") else None
    if isinstance(finding, Mrc):
        grade = getattr(finding, side)
        return graded_text("mrc", grade) if grade is not None and grade < 5 else None
    if isinstance(finding, Reflex):
        grade = getattr(finding, side)
        return graded_text("reflex", grade) if grade is not None and grade < 2 else None
    return None


def localise(
    encounter: Encounter, items: dict[str, Item], lookalikes: list[LookalikeDef]
) -> LevelResult | None:
    hits: dict[tuple[str, str], list[LevelFinding]] = defaultdict(list)
    refs: dict[tuple[str, str], list[str]] = defaultdict(list)
    for item in items.values():
        if item.level is None or item.modality is None:
            continue
        for side in ("left", "right"):
            value = _abnormal(encounter, item, side)
            if value is not None:
                hits[(item.level, side)].append(LevelFinding(item=item.id, label=item.label, value=f"{side}: {value}"))
                refs[(item.level, side)].extend(item.references)
    if not hits:
        return None

    def strength(key: tuple[str, str]) -> tuple[int, int]:
        modalities = {items[f.item].modality for f in hits[key]}
        return (len(modalities), len(hits[key]))

    ranked = sorted(hits, key=lambda k: (strength(k), -LEVELS.index(k[0])), reverse=True)
    best = ranked[0]
    runner_up = [k for k in ranked[1:] if k[1] == best[1] and strength(k) == strength(best)]
    if runner_up:
        return None  # two roots on one side look the same: not a single-level pattern
    level, side = best
    other = (level, "right" if side == "left" else "left")
    sides: Literal["left", "right", "bilateral"] = "left" if side == "left" else "right"
    if other in hits and strength(other) == strength(best):
        sides = "bilateral"
    supporting = hits[best] + (hits[other] if sides == "bilateral" else [])
    confident = strength(best)[0] >= 2
    matched = [la for la in lookalikes if la.level == level]
    references = list(dict.fromkeys(refs[best] + [r for la in matched for r in la.references]))
    return LevelResult(
        level=level,
        side=sides,
        supporting=supporting,
        confidence="consistent pattern" if confident else "single finding",
        lookalikes=[Lookalike(condition=la.condition, distinguish=la.distinguish, references=list(la.references))
                    for la in matched],
        reason=(
            f"{level} key-point sensation, key-muscle power or reflex is abnormal on the {side} "
            f"({len(hits[best])} finding(s) in {strength(best)[0]} modality/modalities)."
            + ("" if confident else " One modality only: treat the level as provisional.")
        ),
        references=references,
    )
