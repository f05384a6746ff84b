"""Rank floors: a diagnosis that says ``ranks_below`` is listed under every present diagnosis of the
groups it names.

Scores order the differential (decision 6), but some diagnoses are made only once others are
dealt with: fibromyalgia is never listed above a structural or red-flag cause, spinal stenosis
never above the myelopathy a raised cord flag points to. The packs say so in data
(``Diagnosis.ranks_below``: ``structural`` for diagnoses marked structural, ``red_flag`` for those
a raised flag suggests or the hold-back policy suspects). Entries only ever move down, and an
entry that moved says why in its reason.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from exam_assistant.engine.assessment import DifferentialEntry
from exam_assistant.library import Library

GROUP_WORDS = {"structural": "a structural cause", "red_flag": "a red-flag cause"}


def in_group(entry: DifferentialEntry, group: str, suspected: Collection[str], lib: Library) -> bool:
    """Whether a present entry belongs to a ``ranks_below`` group."""
    if group == "structural":
        dx = lib.diagnoses.get(entry.id)
        return dx is not None and dx.structural
    return group == "red_flag" and entry.id in suspected


def apply_rank_floors(entries: Sequence[DifferentialEntry], suspected: Collection[str],
                      lib: Library) -> list[DifferentialEntry]:
    """``entries`` (sorted by score) with each entry whose diagnosis has ``ranks_below`` moved, when
    needed, to just under the last present entry of those groups; its reason then names them.

    ``suspected`` are the diagnoses a raised red flag suggests or the policy suspects
    (:func:`exam_assistant.engine.policy.suspected_diagnoses`).
    """
    out = list(entries)
    floors = {e.id: lib.diagnoses[e.id].ranks_below for e in out
              if e.id in lib.diagnoses and lib.diagnoses[e.id].ranks_below}
    if not floors:
        return out
    leaders_of: dict[str, list[str]] = {}
    # An entry only ever moves down, so a few passes settle every chain; the bound guards against
    # two diagnoses that each rank below the other's group.
    for _ in range(len(out) + 1):
        moved = False
        for dx_id, groups in floors.items():
            pos = next(i for i, e in enumerate(out) if e.id == dx_id)
            leaders = [i for i, e in enumerate(out)
                       if e.id != dx_id and any(in_group(e, g, suspected, lib) for g in groups)]
            if leaders and max(leaders) > pos:
                leaders_of[dx_id] = list(dict.fromkeys([*leaders_of.get(dx_id, []), *(out[i].name for i in leaders)]))
                out.insert(max(leaders), out.pop(pos))  # just under the last leader, which moved up by one
                moved = True
        if not moved:
            break
    return [_explained(e, leaders_of[e.id], floors[e.id]) if e.id in leaders_of else e for e in out]


def _explained(entry: DifferentialEntry, leaders: list[str], groups: Sequence[str]) -> DifferentialEntry:
    words = " or ".join(GROUP_WORDS[g] for g in groups)
    note = f" Listed after {', '.join(leaders)}: this diagnosis never ranks above {words}, whatever its score."
    return entry.model_copy(update={"reason": entry.reason + note})
