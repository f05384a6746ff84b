"""What the patient handout says, as plain data: chosen from the assessment, worded by the condition guide.

The condition guide's ``patient`` fields hold the wording; this module only chooses which
conditions to explain and in what order. A condition behind a raised red flag always comes first
and is never left out; its wording explains the next step calmly ("we have arranged ... because").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from exam_assistant.condition_guide import ConditionGuideEntry, Statement
from exam_assistant.engine.assessment import Assessment
from exam_assistant.engine.policy import advice_allowed
from exam_assistant.exercises import Exercise
from exam_assistant.library import Library
from exam_assistant.models import Encounter
from exam_assistant.protocol import TIER_ORDER

# The non-specific neck pain entry carries the general warning signs every patient is given.
GENERAL_SAFETY_NET = "nonspecific_neck_pain"
MAX_CONDITIONS = 3
MAX_TO_DO = 6
MAX_SEEK_HELP = 9
MAX_EXERCISES = 3
EMERGENCY_HEADING = "Go to the emergency department or call emergency services if"
_TRAILING_ALIASES = re.compile(r"\s*\([^()]*\)\s*$")


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    labelled: list[tuple[str, str]] = field(default_factory=list)  # (label printed in bold, text)
    bullets: list[str] = field(default_factory=list)
    note: str = ""  # a small line under the heading (e.g. that a plan is only suggested)
    urgent: bool = False  # drawn as a framed box
    exercises: list[Exercise] = field(default_factory=list)  # drawn with their figures


@dataclass(frozen=True)
class Handout:
    title: str
    visit: date
    sections: list[Section]


def chosen_conditions(assessment: Assessment, library: Library) -> list[ConditionGuideEntry]:
    """Red-flag conditions first (most urgent flag first), then the top of the differential."""
    red = red_flag_ids(assessment, library)
    likely = [d.id for d in assessment.differential[:1] if d.id in library.conditions]
    chosen = list(dict.fromkeys([*red, *likely]))
    # red-flag conditions are never cut; the cap applies only to what follows them
    return [library.conditions[d] for d in chosen[: max(MAX_CONDITIONS, len(red))]]


def _texts(groups: list[list[Statement]], limit: int | None = None) -> list[str]:
    out = list(dict.fromkeys(s.text for group in groups for s in group))
    return out[:limit] if limit is not None else out


def _found(assessment: Assessment) -> Section:
    lines = ["We asked about your symptoms and examined your neck, shoulders and arms."]
    if assessment.red_flags:
        lines.append("Some of what we found needs a prompt check. The next part explains why.")
    else:
        lines.append("We found no warning signs of a serious problem.")
    if assessment.level is not None:
        side = {"left": "left side", "right": "right side", "bilateral": "both sides"}[assessment.level.side]
        lines.append(f"The tests suggest a nerve in your neck is irritated, on the {side}.")
    return Section("What we found", paragraphs=lines)


def red_flag_ids(assessment: Assessment, library: Library) -> list[str]:
    """Conditions behind the raised red flags that the guide explains, most urgent flag first."""
    ids: list[str] = []
    for flag in sorted(assessment.red_flags, key=lambda f: -TIER_ORDER[f.tier]):
        ids += [d for d in flag.suggests if d in library.conditions]
    return list(dict.fromkeys(ids))


def _explained(entries: list[ConditionGuideEntry], library: Library) -> list[tuple[str, str]]:
    out = []
    for e in entries:
        name = _TRAILING_ALIASES.sub("", library.diagnoses[e.diagnosis].name)  # the medical name, no alias list
        out.append((f"{name}.", " ".join(s.text for s in e.patient.what_it_is)))
    return out


def _probably(entries: list[ConditionGuideEntry], red: list[str], library: Library) -> list[Section]:
    """'What it probably is' for the likely condition; a red-flag condition is a check, not a verdict."""
    likely = [e for e in entries if e.diagnosis not in red]
    checks = [e for e in entries if e.diagnosis in red]
    out = []
    if likely:
        out.append(Section("What it probably is", labelled=_explained(likely, library)))
    elif checks:
        out.append(Section("What it probably is", paragraphs=[
            "We need the check below before we can say for sure what is causing your symptoms."]))
    else:
        out.append(Section("What it probably is", paragraphs=[
            "We cannot yet say what is causing your symptoms. Your clinician will explain the next step."]))
    if checks:
        out.append(Section("What we want to check quickly", labelled=_explained(checks, library)))
    return out


def _suggestion_lines(encounter: Encounter, assessment: Assessment, library: Library) -> list[str]:
    """Plain lines for the suggestions the clinician accepted or changed (declined ones are not the plan)."""
    imaging = {im.id: im for im in assessment.imaging}
    lines: list[str] = []
    for d in encounter.decisions.suggestions:
        rule_id = d.suggestion.split(":")[0]
        if d.status == "declined":
            continue
        if d.status == "changed" and d.change:
            lines.append(d.change)
        elif d.kind == "review" and encounter.decisions.follow_up is not None:
            continue  # the decided date is the review; "When to come back" prints it
        elif d.kind == "review" and rule_id in imaging and imaging[rule_id].review_in_weeks is not None:
            lines.append(f"We will see you again in about {imaging[rule_id].review_in_weeks} weeks to check how you are.")
        elif d.kind == "imaging" and rule_id in imaging:
            worded = [e for e in library.conditions.values() if rule_id in e.imaging.rules]
            first = imaging[rule_id].first
            if worded:  # the guide's plain wording for the condition this imaging rule belongs to
                lines += [s.text for s in worded[0].patient.next_step]
            elif first is None:
                lines.append("You do not need a scan now.")
            else:
                lines.append(f"A scan: {first.study}.")
    return lines


def _decided(encounter: Encounter, assessment: Assessment, library: Library) -> list[str]:
    """Lines of what the clinician decided (empty when nothing is recorded)."""
    decisions = encounter.decisions
    if decisions.empty:
        return []
    lines = _suggestion_lines(encounter, assessment, library)
    lines += [f"A scan: {r.study}." for r in decisions.imaging_requests]
    lines += [f"A referral to {r.to}." for r in decisions.referrals]
    lines += [f"Medicine: {p.drug} {p.dose}, {p.frequency}, for {p.duration}." for p in decisions.prescriptions]
    lines += list(decisions.advice)
    if decisions.shared_decision:
        lines.append(decisions.shared_decision)
    return list(dict.fromkeys(lines)) or ["Your clinician will talk you through the plan."]


def _plan(encounter: Encounter, assessment: Assessment, library: Library,
          entries: list[ConditionGuideEntry]) -> Section:
    decided = _decided(encounter, assessment, library)
    if decided:
        return Section("What we decided", bullets=decided)
    return Section("The plan we suggest", bullets=_texts([e.patient.next_step for e in entries]),
                   note="This plan comes from your examination. Your clinician will go through it with you.")


def _come_back(encounter: Encounter, entries: list[ConditionGuideEntry], library: Library) -> Section:
    lines = _texts([e.patient.when_to_come_back for e in entries])
    follow_up = encounter.decisions.follow_up
    if follow_up is not None:  # a decided date replaces the guide's usual timing, which could contradict it
        lines = [f"Your next visit: {follow_up.isoformat()}.", "Come back sooner if you get worse or you are worried."]
    if not lines and GENERAL_SAFETY_NET in library.conditions:
        lines = _texts([library.conditions[GENERAL_SAFETY_NET].patient.when_to_come_back])
    return Section("When to come back", bullets=lines)


def _seek_help(entries: list[ConditionGuideEntry], library: Library) -> Section:
    groups = [e.patient.seek_help_now for e in entries]
    general = library.conditions.get(GENERAL_SAFETY_NET)
    if general is not None:
        groups.append(general.patient.seek_help_now)
    lines = _texts(groups, MAX_SEEK_HELP)
    if not lines:  # only when a clinic's library lacks the guide: the section is never left out
        lines = ["You feel much worse, or you are worried something serious is happening."]
    return Section(EMERGENCY_HEADING, bullets=lines, urgent=True)


def emergency_ids(assessment: Assessment, library: Library) -> list[str]:
    """Conditions behind EMERGENCY red flags: while one stands, only their advice is given (decision 10)."""
    ids = [d for f in assessment.red_flags if f.tier == "EMERGENCY" for d in f.suggests if d in library.conditions]
    return list(dict.fromkeys(ids))


def _scan_declined(entry: ConditionGuideEntry, encounter: Encounter, assessment: Assessment) -> bool:
    """True when the clinician declined every imaging suggestion of this condition: its 'go to the scan'
    advice would then be wrong (the condition itself stays named)."""
    declined = {d.suggestion for d in encounter.decisions.suggestions if d.kind == "imaging" and d.status == "declined"}
    fired = [r for r in entry.imaging.rules if r in {im.id for im in assessment.imaging}]
    return bool(fired) and all(r in declined for r in fired)


def home_exercises(entries: list[ConditionGuideEntry], assessment: Assessment, library: Library) -> list[Exercise]:
    """The exercises the advised conditions give, minus any the hold-back policy would hold back."""
    ids = dict.fromkeys(x for e in entries for x in e.patient.exercises if x in library.exercises)
    allowed = [library.exercises[x] for x in ids if advice_allowed(library.exercises[x].classes, assessment, library)]
    return allowed[:MAX_EXERCISES]


def handout_content(encounter: Encounter, assessment: Assessment, library: Library) -> Handout:
    entries = chosen_conditions(assessment, library)
    red = red_flag_ids(assessment, library)
    emergency = emergency_ids(assessment, library)
    # During an emergency, self-care and "come back" advice of other conditions would contradict the
    # action ("keep moving gently" beside "wait for the ambulance"); those conditions stay named above.
    advised = [e for e in entries if e.diagnosis in emergency] if emergency else entries
    advised = [e for e in advised if not _scan_declined(e, encounter, assessment)]
    to_do = _texts([e.patient.what_to_do for e in advised], MAX_TO_DO)
    if not to_do and GENERAL_SAFETY_NET in library.conditions:
        to_do = _texts([library.conditions[GENERAL_SAFETY_NET].patient.what_to_do], MAX_TO_DO)
    seek_help = _seek_help(entries, library)
    exercises = home_exercises(advised, assessment, library)
    sections = [
        _found(assessment),
        *_probably(entries, red, library),
        *([seek_help] if emergency else []),  # an emergency puts the warning signs on page 1, near the top
        _plan(encounter, assessment, library, entries),
        Section("What to do now", bullets=to_do),
        *([Section("Exercises to do at home", exercises=exercises,
                   note="Move gently and only as far as is comfortable.")] if exercises else []),
        _come_back(encounter, advised, library),
        *([] if emergency else [seek_help]),
    ]
    return Handout(title="About your visit", visit=encounter.visit_date, sections=sections)
