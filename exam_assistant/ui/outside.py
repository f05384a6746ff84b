"""What a block's fragment run cannot redraw: everything drawn outside the block that the
findings decide, as plain data.

A block of questions reruns on its own (a fragment) when one of its answers changes; that is
what keeps a click fast. Anything drawn elsewhere (the urgency bar, the red-flag banner, "Ask
next", the possible-emergency warning, the live panel in the sidebar, tests disabled in other
blocks, the protocols the history's Next button examines) would go stale, so after each save
:class:`~exam_assistant.ui.session.Flow` compares this view before and after and asks for a
whole-page run when it differs (with the step-level "No to every unanswered question" or "Mark the
whole screen normal" button, which must go once nothing is left to fill). Comparing what is drawn, not the assessment, is what keeps most
answers in their fragment: the differential's scores move on nearly every answer, the drawn
panel far less often, and never without a page run.
"""

from __future__ import annotations

from collections.abc import Hashable

from exam_assistant.engine.assessment import Assessment
from exam_assistant.library import Library
from exam_assistant.models import Encounter
from exam_assistant.ui import steps
from exam_assistant.ui.all_clear import flagged_items
from exam_assistant.ui.findings import normal_changes
from exam_assistant.ui.widgets.ask_next import ask_next_text, possible_emergency_text
from exam_assistant.ui.widgets.banner import banner_boxes
from exam_assistant.ui.widgets.live_panel import live_lines


def step_shortcut_fills(encounter: Encounter, assessment: Assessment, library: Library, step: str | None) -> bool | None:
    """Whether the step-level shortcut (history: "No" to the red-flag screen; a protocol: "Mark
    the whole screen normal") would record anything; None on a step without one."""
    if step == steps.HISTORY:
        item_ids, questions = tuple(i.id for i in steps.red_flag_screen(library)), True
    elif step is not None and step.startswith(steps.EXAM_PREFIX):
        loaded = library.packs.get(step.removeprefix(steps.EXAM_PREFIX))
        if loaded is None:
            return None
        item_ids, questions = tuple(i.id for i in loaded.pack.items()), False
    else:
        return None
    blocked = {c.item: c.why for c in assessment.contraindications}
    return bool(normal_changes(dict(encounter.findings), item_ids, library, blocked, questions))


def outside_view(encounter: Encounter | None, assessment: Assessment | None, library: Library,
                 step: str | None = None) -> Hashable:
    """Everything outside a block that the findings decide (on ``step``), in a form that compares
    equal exactly when it would be drawn the same."""
    if encounter is None or assessment is None:
        return None
    return (
        step_shortcut_fills(encounter, assessment, library, step),
        tuple(live_lines(encounter, assessment)),
        tuple(banner_boxes(assessment, encounter)),
        assessment.urgency,
        assessment.stop_examination,
        ask_next_text(assessment),
        possible_emergency_text(assessment),
        tuple(sorted(flagged_items(assessment))),  # a block holding a flagged answer never folds
        tuple((c.item, c.why, c.id) for c in assessment.contraindications),
        tuple(s.pack for s in steps.suggestions(encounter, assessment, library)),
    )
