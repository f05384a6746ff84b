"""What the clinician decided: kept apart from the findings (what was observed) and from the
assessment (the suggestions, recomputed from the findings, never reading this).

Only the clinician writes decisions. Each suggestion the assessment made can be accepted,
changed or declined; declining one while a red flag above routine is raised needs a reason
(the medico-legal record). The clinician's own additions are typed: a prescription line, an
imaging request, a referral, advice given, the follow-up date, and the shared decision.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

MAX_LINE = 300
MAX_TEXT = 4000

Line = Annotated[str, Field(min_length=1, max_length=MAX_LINE)]
OptionalLine = Annotated[str, Field(max_length=MAX_LINE)] | None
Urgency = Literal["routine", "soon", "urgent", "emergency"]
SuggestionKind = Literal["imaging", "treatment", "review", "examination"]
DecisionStatus = Literal["accepted", "changed", "declined"]


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True, str_strip_whitespace=True)


class SuggestionDecision(_Part):
    """The clinician's answer to one suggestion, by its stable id (see ``suggestions.py``)."""

    suggestion: Annotated[str, Field(min_length=1, max_length=200)]
    kind: SuggestionKind
    status: DecisionStatus
    change: Annotated[str, Field(max_length=MAX_TEXT)] | None = Field(
        default=None, description="what was done instead (required when changed)"
    )
    reason: Annotated[str, Field(max_length=MAX_TEXT)] | None = None
    beside_red_flag: bool = Field(
        default=False, description="a red flag above routine was raised when this was decided"
    )

    @model_validator(mode="after")
    def _explained(self) -> SuggestionDecision:
        if self.status == "changed" and not (self.change or "").strip():
            raise ValueError("a changed suggestion needs what was done instead")
        if self.status == "declined" and self.beside_red_flag and not (self.reason or "").strip():
            raise ValueError("declining a suggestion while a red flag is raised needs a reason")
        return self


class Prescription(_Part):
    drug: Line
    dose: Line
    route: Line
    frequency: Line
    duration: Line


class ImagingRequest(_Part):
    study: Line
    reason: OptionalLine = None
    urgency: Urgency = "routine"


class Referral(_Part):
    to: Line
    reason: OptionalLine = None
    urgency: Urgency = "routine"


class Decisions(_Part):
    """Everything the clinician decided at this visit."""

    suggestions: list[SuggestionDecision] = Field(default_factory=list)
    prescriptions: list[Prescription] = Field(default_factory=list)
    imaging_requests: list[ImagingRequest] = Field(default_factory=list)
    referrals: list[Referral] = Field(default_factory=list)
    advice: list[Annotated[str, Field(min_length=1, max_length=MAX_TEXT)]] = Field(default_factory=list)
    follow_up: date | None = None
    shared_decision: Annotated[str, Field(max_length=MAX_TEXT)] = Field(
        default="", description="what was discussed and what the patient chose"
    )

    @model_validator(mode="after")
    def _one_answer_per_suggestion(self) -> Decisions:
        ids = [d.suggestion for d in self.suggestions]
        if len(ids) != len(set(ids)):
            raise ValueError("each suggestion is decided once")
        return self

    def about(self, suggestion_id: str) -> SuggestionDecision | None:
        return next((d for d in self.suggestions if d.suggestion == suggestion_id), None)

    @property
    def empty(self) -> bool:
        return self == Decisions()
