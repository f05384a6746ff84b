"""Schema of the condition guide: one cited, sectioned entry per diagnosis, for clinicians and patients.

This module imports nothing from ``protocol.py`` because ``ProtocolPack`` imports it; the few
shared literals are repeated here and a test pins them to the pack schema's.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

_ID = r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$"
GuideId = Annotated[str, Field(pattern=_ID, max_length=80)]
RefKey = Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]

Region = Literal["neck", "upper_back", "arm", "chest_and_body"]
REGION_TITLES: dict[str, str] = {
    "neck": "Neck",
    "upper_back": "Upper back",
    "arm": "Shoulder, arm and hand",
    "chest_and_body": "Chest and whole body",
}
Stage = Literal["self_care", "medicines", "physiotherapy", "injection", "specialist", "surgery", "emergency"]
STAGE_TITLES: dict[str, str] = {
    "self_care": "Self-care",
    "medicines": "Medicines",
    "physiotherapy": "Physiotherapy and exercise",
    "injection": "Injections and procedures",
    "specialist": "Specialist care",
    "surgery": "Surgery",
    "emergency": "Emergency care",
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Statement(_Strict):
    """One claim in the guide, with the sources that support it."""

    text: Annotated[str, Field(min_length=3)]
    references: Annotated[list[RefKey], Field(min_length=1, description="reference keys; a statement is never uncited")]
    uncertain: bool = Field(
        default=False, description="true when the sources disagree, were read only in a secondary source, or are weak"
    )


Statements = Annotated[list[Statement], Field(min_length=1)]


class LinkedSection(_Strict):
    """Statements plus the examination items and rules they are about, so the screen can link to them."""

    statements: Statements
    items: list[GuideId] = Field(default_factory=list, description="item ids (tests, questions, signs)")
    rules: list[GuideId] = Field(default_factory=list, description="rule ids (clusters, decision rules, differential)")


class ImagingSection(_Strict):
    statements: Statements
    rules: list[GuideId] = Field(default_factory=list, description="imaging rule ids (img.*)")


class TreatmentStage(_Strict):
    stage: Stage
    statements: Statements
    rules: list[GuideId] = Field(default_factory=list, description="treatment rule ids (tx.*)")


class PatientText(_Strict):
    """Plain-language wording for the patient handout: short sentences, everyday words."""

    what_it_is: Statements
    next_step: Statements = Field(description="what usually happens next, and why (e.g. an urgent scan because ...)")
    what_to_do: Statements
    when_to_come_back: Statements
    seek_help_now: Statements = Field(description="when to go to the emergency department or call emergency services")
    exercises: list[GuideId] = Field(
        default_factory=list, description="ids of home exercises (a pack's 'exercises') the handout may print"
    )


class ConditionGuideEntry(_Strict):
    """Everything the guide says about one diagnosis of the differential."""

    diagnosis: GuideId
    region: Region
    also_called: list[str] = Field(default_factory=list, description="other names, for search")
    what_it_is: Statements
    causes_and_risk_factors: Statements
    typical_symptoms: Statements
    findings_for: LinkedSection
    findings_against: LinkedSection
    how_diagnosed: LinkedSection
    imaging: ImagingSection
    treatment: Annotated[list[TreatmentStage], Field(min_length=1)]
    prevention: Statements
    prognosis: Statements
    urgency: Statements
    seek_help_now: Statements
    patient: PatientText

    def sections(self) -> Iterator[tuple[str, list[Statement]]]:
        """(heading, statements) in reading order, treatment stages one heading each."""
        yield "What it is", self.what_it_is
        yield "Causes and risk factors", self.causes_and_risk_factors
        yield "Typical symptoms", self.typical_symptoms
        yield "Findings for", self.findings_for.statements
        yield "Findings against", self.findings_against.statements
        yield "How it is diagnosed", self.how_diagnosed.statements
        yield "Imaging", self.imaging.statements
        for step in self.treatment:
            yield f"Treatment: {STAGE_TITLES[step.stage]}", step.statements
        yield "Prevention", self.prevention
        yield "Prognosis", self.prognosis
        yield "Urgency", self.urgency
        yield "Seek help now if", self.seek_help_now

    def patient_sections(self) -> Iterator[tuple[str, list[Statement]]]:
        p = self.patient
        yield "What it is", p.what_it_is
        yield "What happens next", p.next_step
        yield "What to do now", p.what_to_do
        yield "When to come back", p.when_to_come_back
        yield "Go to the emergency department or call emergency services if", p.seek_help_now

    def statements(self) -> Iterator[Statement]:
        for _, group in (*self.sections(), *self.patient_sections()):
            yield from group

    def item_links(self) -> list[str]:
        return [*self.findings_for.items, *self.findings_against.items, *self.how_diagnosed.items]

    def rule_links(self) -> list[tuple[tuple[str | int, ...], str, str | None]]:
        """(path in the entry, rule id, the effect type it must have, or None for any)."""
        out: list[tuple[tuple[str | int, ...], str, str | None]] = []
        for name in ("findings_for", "findings_against", "how_diagnosed"):
            out += [((name, "rules"), r, None) for r in getattr(self, name).rules]
        out += [(("imaging", "rules"), r, "imaging") for r in self.imaging.rules]
        for i, step in enumerate(self.treatment):
            out += [(("treatment", i, "rules"), r, "treatment") for r in step.rules]
        return out


def entry_problems(
    entry: ConditionGuideEntry,
    *,
    items: Mapping[str, object],
    rule_types: Mapping[str, str],
    diagnoses: Mapping[str, object],
    references: Mapping[str, object],
    exercises: Mapping[str, object],
) -> list[tuple[tuple[str | int, ...], str, str]]:
    """(path inside the entry, error code, message) for every id the entry names that is not loaded."""
    found: list[tuple[tuple[str | int, ...], str, str]] = []
    if entry.diagnosis not in diagnoses:
        found.append((("diagnosis",), "PACK_003", f"describes diagnosis '{entry.diagnosis}', which no loaded pack defines"))
    for item_id in entry.item_links():
        if item_id not in items:
            found.append(((), "PACK_003", f"links item '{item_id}', which no loaded pack defines"))
    for path, rule_id, kind in entry.rule_links():
        if rule_id not in rule_types:
            found.append((path, "PACK_006", f"links rule '{rule_id}', which no loaded pack defines"))
        elif kind is not None and rule_types[rule_id] != kind:
            found.append((path, "PACK_007", f"links rule '{rule_id}' as {kind}, but it is a {rule_types[rule_id]} rule"))
    for exercise_id in entry.patient.exercises:
        if exercise_id not in exercises:
            found.append((("patient", "exercises"), "PACK_003", f"gives exercise '{exercise_id}', which no loaded pack defines"))
    missing = sorted({k for s in entry.statements() for k in s.references if k not in references})
    for key in missing:
        found.append(((), "PACK_005", f"cites reference '{key}', which no loaded pack defines"))
    return found
