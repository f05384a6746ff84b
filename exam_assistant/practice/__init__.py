"""Practice mode: simulated cases on the protocol packs, OSCE-style marking and feedback.

Cases are data (``<folder>/cases/*.yaml`` beside the packs); a case's hidden findings use the
Encounter format, so ``assess()`` computes what the evidence says, and feedback quotes the
packs' figures and references.
"""

from exam_assistant.practice.attempt import Answers, Attempt, InterpretationAnswer, load_attempt
from exam_assistant.practice.case import Case
from exam_assistant.practice.feedback import Feedback, feedback_for
from exam_assistant.practice.loader import CASE_CODES, CaseLibrary, LoadedCase, build_cases, load_cases
from exam_assistant.practice.model_answer import model_attempt
from exam_assistant.practice.scoring import Score, score_attempt
from exam_assistant.practice.simulate import Reveal, encounter_for, full_encounter, reveal

__all__ = [
    "CASE_CODES",
    "Answers",
    "Attempt",
    "Case",
    "CaseLibrary",
    "Feedback",
    "InterpretationAnswer",
    "LoadedCase",
    "Reveal",
    "Score",
    "build_cases",
    "encounter_for",
    "feedback_for",
    "full_encounter",
    "load_attempt",
    "load_cases",
    "model_attempt",
    "reveal",
    "score_attempt",
]
