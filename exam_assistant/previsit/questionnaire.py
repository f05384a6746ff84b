"""The patient's questions from the packs, red-flag questions first, and the advice they raise.

The patient sees plain wording (``Item.patient_prompt``, else ``Item.prompt``) and, when the answers
so far raise an EMERGENCY or SAME_DAY red flag in the real engine, fixed plain advice on what to do
now. Nothing else of the assessment (no differential, no flag titles) leaves this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from exam_assistant.conditions import item_ids
from exam_assistant.engine.assess import assess
from exam_assistant.library import Library
from exam_assistant.models import Encounter, Patient
from exam_assistant.protocol import Item, RedFlagEffect

PatientUrgency = Literal["EMERGENCY", "SAME_DAY"]
PACKS = ("history",)
ANSWER_KINDS = ("yes_no", "choice", "multi_choice", "number")
BODY_CHART = ("history.location", "history.paraesthesia_where")
# 0-10 scales drawn as eleven buttons: the history's pain now and worst in the week, and the NPRS items
PAIN_SCALES = ("history.pain_now", "history.pain_worst", "scores.nprs_best", "scores.nprs_worst")
# An NPRS item the history already asks in the same words: the import copies the answer across
NPRS_FROM_HISTORY = {"scores.nprs_now": "history.pain_now"}
ADVICE: dict[str, str] = {
    "EMERGENCY": (
        "Please call an ambulance (emergency services) now. Do not wait for your appointment. "
        "Tell them what you told us here."
    ),
    "SAME_DAY": (
        "Please go to a hospital emergency department today. Do not wait for your appointment. "
        "If you get worse, call an ambulance."
    ),
}


@dataclass(frozen=True)
class PatientQuestion:
    """One question as the patient sees it."""

    item_id: str
    text: str
    answer: str
    options: tuple[tuple[str, str], ...]
    minimum: float | None
    maximum: float | None
    red_flag: bool


def patient_text(item: Item) -> str:
    """The plain wording of an item for the patient (their own wording first)."""
    return (item.patient_prompt or item.prompt or item.label).strip()


def red_flag_items(lib: Library) -> set[str]:
    """Items that any EMERGENCY, SAME_DAY or URGENT red-flag rule reads."""
    found: set[str] = set()
    for rule in lib.rules.values():
        if isinstance(rule.effect, RedFlagEffect):
            found |= item_ids(rule.when)
    return found


def patient_questions(lib: Library) -> list[PatientQuestion]:
    """The patient-answerable items of the history packs, red-flag questions first (pack order kept)."""
    flagged = red_flag_items(lib)
    out: list[PatientQuestion] = []
    for pack_id in PACKS:
        loaded = lib.packs.get(pack_id)
        if loaded is None:
            continue
        for section in loaded.pack.sections:
            for item in section.items:
                if item.source != "patient" or item.answer not in ANSWER_KINDS:
                    continue
                out.append(PatientQuestion(
                    item.id, patient_text(item), item.answer,
                    tuple((o.value, o.label) for o in item.options), item.minimum, item.maximum,
                    item.id in flagged and item.id not in BODY_CHART,
                ))
    return sorted(out, key=lambda q: not q.red_flag) + licensed_score_questions(lib)


def licensed_score_questions(lib: Library) -> list[PatientQuestion]:
    """Outcome scores only where a pack supplies their wording (``item_text_included``): the NPRS
    (public domain in practice), and NDI or QuickDASH only from a clinic's own pack holding the
    licensed wording; otherwise the patient is not shown them. The NPRS "pain now" is the
    history's pain now (``NPRS_FROM_HISTORY``), so it is asked once."""
    out: list[PatientQuestion] = []
    for score in lib.scores.values():
        if not score.item_text_included:
            continue
        for item_id in score.items:
            if item_id in NPRS_FROM_HISTORY:
                continue
            item = lib.items.get(item_id)
            if item is not None and item.answer in ANSWER_KINDS:
                out.append(PatientQuestion(item.id, patient_text(item), item.answer,
                                           tuple((o.value, o.label) for o in item.options), item.minimum,
                                           item.maximum, False))
    return out


def urgency(answers: dict[str, Any], born: date, lib: Library) -> PatientUrgency | None:
    """EMERGENCY or SAME_DAY when the real engine raises such a flag on the answers so far."""
    encounter = Encounter.model_validate(
        {"patient": Patient(name="patient", date_of_birth=born).model_dump(mode="json"), "findings": answers}
    )
    tier = assess(encounter, lib).urgency
    if tier == "EMERGENCY" or tier == "SAME_DAY":
        return tier
    return None


def progress(answers: dict[str, Any], questions: list[PatientQuestion]) -> float:
    """The share of questions answered, 0 to 1."""
    if not questions:
        return 1.0
    return sum(1 for q in questions if q.item_id in answers) / len(questions)
