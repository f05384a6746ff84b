"""The patient's questionnaire: which questions, red flags first, plain wording, and the advice."""

from __future__ import annotations

import copy
import re
from datetime import date

from exam_assistant.library import cached_library
from exam_assistant.previsit.questionnaire import (
    ADVICE,
    BODY_CHART,
    NPRS_FROM_HISTORY,
    PAIN_SCALES,
    patient_questions,
    progress,
    red_flag_items,
    urgency,
)
from exam_assistant.readability import flesch_reading_ease as shared_flesch

BORN = date(1980, 1, 1)


def _syllables(word: str) -> int:
    word = word.lower().strip(".,;:?!'\"()")
    if not word:
        return 0
    groups = re.findall(r"[aeiouy]+", word)
    count = len(groups) - (1 if word.endswith("e") and not word.endswith(("le", "ee")) and len(groups) > 1 else 0)
    return max(1, count)


def flesch_reading_ease(text: str) -> float:
    """Flesch reading ease: 206.835 - 1.015 x words/sentences - 84.6 x syllables/words."""
    sentences = max(1, len(re.findall(r"[.?!]+", text)))
    words = re.findall(r"[A-Za-z']+", text)
    syllables = sum(_syllables(w) for w in words)
    return 206.835 - 1.015 * len(words) / sentences - 84.6 * syllables / len(words)


def test_formula_tells_plain_from_clinical_wording() -> None:
    """The readability check scores plain words above 60 and clinical jargon below it."""
    assert flesch_reading_ease("Does it hurt at night? Is your arm weak?") > 60
    assert flesch_reading_ease("Progressive myelopathic manifestations necessitate neuroradiological evaluation.") < 60


def test_patient_wording_reads_at_plain_english_level() -> None:
    """Everything the patient is asked, together with the advice, has Flesch reading ease of 60 or more."""
    questions = patient_questions(cached_library())
    text = " ".join([q.text for q in questions] + list(ADVICE.values()))
    assert flesch_reading_ease(text) >= 60


def test_history_pack_gives_patient_wording_beside_clinician_wording() -> None:
    """Items with their own patient wording keep the clinician's prompt unchanged beside it."""
    lib = cached_library()
    worded = [i for i in lib.items.values() if i.patient_prompt]
    assert len(worded) >= 20
    assert all(i.prompt and i.prompt != i.patient_prompt for i in worded)
    assert lib.items["history.saddle_numbness"].patient_prompt in [q.text for q in patient_questions(lib)]


def test_red_flag_questions_come_first_and_body_chart_items_are_present() -> None:
    """Every question a red-flag rule reads comes before every other question; both body-chart items are asked."""
    questions = patient_questions(cached_library())
    flags = [q.red_flag for q in questions]
    assert flags.index(False) == sum(flags)
    assert set(BODY_CHART) <= {q.item_id for q in questions}
    assert "history.saddle_numbness" in red_flag_items(cached_library())


def test_emergency_and_same_day_answers_raise_the_right_advice() -> None:
    """The real engine on the answers so far gives EMERGENCY, SAME_DAY or nothing."""
    lib = cached_library()
    yes = {"kind": "yes_no", "value": "yes"}
    assert urgency({"history.abrupt_severe_pain": yes}, BORN, lib) == "EMERGENCY"
    assert urgency({"history.fever": yes}, BORN, lib) == "SAME_DAY"
    assert urgency({"history.night_pain": {"kind": "yes_no", "value": "no"}}, BORN, lib) is None
    assert "ambulance" in ADVICE["EMERGENCY"] and "emergency department today" in ADVICE["SAME_DAY"]


def test_progress_counts_answered_questions() -> None:
    """Progress is the share of questions answered."""
    questions = patient_questions(cached_library())
    first = questions[0].item_id
    assert progress({}, questions) == 0
    assert progress({first: {"kind": "yes_no", "value": "no"}}, questions) == 1 / len(questions)


def test_ndi_and_quickdash_are_asked_only_with_licensed_wording_from_a_pack() -> None:
    """Without item wording (built-in packs) no NDI or QuickDASH item is asked; a pack supplying it adds them."""
    lib = cached_library()
    asked = {q.item_id for q in patient_questions(lib)}
    assert not any(i.startswith(("scores.ndi_", "scores.qdash_")) for i in asked)
    licensed = copy.copy(lib)
    licensed.scores = {k: v.model_copy(update={"item_text_included": v.method == "ndi" or v.item_text_included})
                       for k, v in lib.scores.items()}
    ndi = next(s for s in licensed.scores.values() if s.method == "ndi")
    assert set(ndi.items) <= {q.item_id for q in patient_questions(licensed)}
    assert not any(q.item_id.startswith("scores.qdash_") for q in patient_questions(licensed))


def test_nprs_is_offered_to_the_patient_with_pain_now_asked_once() -> None:
    """The NPRS best and worst are asked in plain words; its 'pain now' is the history's, not asked twice."""
    questions = {q.item_id: q for q in patient_questions(cached_library())}
    assert {"scores.nprs_best", "scores.nprs_worst", "history.pain_now", "history.pain_worst"} <= set(questions)
    assert "scores.nprs_now" not in questions
    assert NPRS_FROM_HISTORY == {"scores.nprs_now": "history.pain_now"}
    assert set(PAIN_SCALES) <= set(questions)


def test_each_patient_wording_reads_plainly_with_the_shared_formula() -> None:
    """Every question written for patients (its own patient_prompt) scores 50 or more alone on the project's
    one Flesch helper (exam_assistant.readability), so a jargon question cannot hide inside the average;
    questions that fall back to the clinician's prompt count in the whole text's score."""
    lib = cached_library()
    worded = [q for q in patient_questions(lib) if lib.items[q.item_id].patient_prompt]
    assert {"scores.nprs_best", "scores.nprs_worst"} <= {q.item_id for q in worded}
    hard = {q.item_id: round(shared_flesch(q.text)) for q in worded if shared_flesch(q.text) < 50}
    assert not hard, hard
    assert shared_flesch(" ".join(q.text for q in patient_questions(cached_library()))) >= 60
