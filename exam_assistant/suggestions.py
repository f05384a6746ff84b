"""The suggestions a clinician decides on, each with a stable id, read from an assessment.

The engine makes suggestions and never reads decisions; this module pairs the two for the
summary step, the note and exchange formats. Ids are the proposing rule's id (``img.x``), with
``:review`` for the review date it proposes, so a decision still finds its suggestion after the
assessment is recomputed. A treatment step is named by its pathway, stage and a short hash of its
text (``tx.x:analgesia:1a2b3c4d``), not by its position, so a step held back by a red flag does
not shift the others.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from exam_assistant.decision_models import Decisions, SuggestionDecision, SuggestionKind
from exam_assistant.engine.assessment import Assessment
from exam_assistant.protocol import TIER_ORDER

STAGE_WORDS = {
    "emergency": "Emergency",
    "self_care": "Self-care",
    "analgesia": "Analgesia",
    "physiotherapy": "Physiotherapy",
    "review": "Review",
    "escalation": "Escalation",
    "referral": "Referral",
    "safety_net": "Safety-net",
}


@dataclass(frozen=True)
class Suggestion:
    id: str
    kind: SuggestionKind
    title: str
    text: str


def suggestions(assessment: Assessment, done_protocols: frozenset[str] = frozenset()) -> list[Suggestion]:
    """Every suggestion to decide on, in the order the note prints them. Safety-netting advice is
    not a choice and is left out; so are examinations of protocols already done."""
    out: list[Suggestion] = []
    for im in assessment.imaging:
        study = f"{im.first.study} ({im.first.appropriateness})" if im.first else "No imaging now"
        out.append(Suggestion(im.id, "imaging", im.title, study))
        if im.review_in_weeks is not None:
            weeks = im.review_in_weeks
            out.append(Suggestion(f"{im.id}:review", "review", im.title, f"Review in {weeks} week{'s' * (weeks != 1)}"))
    for pathway in assessment.treatment:
        for step in pathway.steps:
            if step.stage == "safety_net":
                continue
            key = f"{pathway.id}:{step.stage}:{hashlib.sha256(step.text.encode()).hexdigest()[:8]}"
            out.append(Suggestion(key, "treatment", f"{pathway.title}: {STAGE_WORDS[step.stage]}", step.text))
    for sp in assessment.suggested_protocols:
        if sp.protocol not in done_protocols:
            out.append(Suggestion(f"exam:{sp.protocol}", "examination", sp.protocol, sp.why))
    return out


def red_flag_raised(assessment: Assessment) -> bool:
    """A red flag above routine: declining a suggestion then needs a reason."""
    return any(TIER_ORDER[f.tier] > TIER_ORDER["ROUTINE"] for f in assessment.red_flags)


def decide(
    decisions: Decisions, suggestion: Suggestion, status: str | None, assessment: Assessment,
    reason: str | None = None, change: str | None = None,
) -> Decisions:
    """``decisions`` with the answer to ``suggestion`` set (or cleared when ``status`` is None).

    Raises pydantic's ValidationError when the answer is incomplete (a decline beside a red flag
    without a reason, a change without what was done instead)."""
    kept = [d for d in decisions.suggestions if d.suggestion != suggestion.id]
    if status is not None:
        kept.append(
            SuggestionDecision.model_validate(
                {
                    "suggestion": suggestion.id,
                    "kind": suggestion.kind,
                    "status": status,
                    "reason": reason or None,
                    "change": change or None,
                    "beside_red_flag": red_flag_raised(assessment),
                }
            )
        )
    return decisions.model_copy(update={"suggestions": kept})


def unexplained_declines(decisions: Decisions, assessment: Assessment) -> list[SuggestionDecision]:
    """Declines without a reason while a red flag is raised now (the flag may have come after)."""
    if not red_flag_raised(assessment):
        return []
    return [d for d in decisions.suggestions if d.status == "declined" and not (d.reason or "").strip()]
