"""What a block's fragment run cannot redraw: everything drawn outside the block that the
findings decide, as plain data.

A block of questions reruns on its own (a fragment) when one of its answers changes; that is
what keeps a click fast. Anything drawn elsewhere (the urgency bar, the red-flag banner, "Ask
next", the possible-emergency warning, the live panel in the sidebar, tests disabled in other
blocks, the protocols the history's Next button examines) would go stale, so after each save
:class:`~exam_assistant.ui.session.Flow` compares this view before and after and asks for a
whole-page run when it differs. Comparing what is drawn, not the assessment, is what keeps most
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
from exam_assistant.ui.widgets.ask_next import ask_next_text, possible_emergency_text
from exam_assistant.ui.widgets.banner import banner_boxes
from exam_assistant.ui.widgets.live_panel import live_lines


def outside_view(encounter: Encounter | None, assessment: Assessment | None, library: Library) -> Hashable:
    """Everything outside a block that the findings decide, in a form that compares equal
    exactly when it would be drawn the same."""
    if encounter is None or assessment is None:
        return None
    return (
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
