"""Exam Assistant: a guided neck, upper-back and arm examination with sourced reasoning."""

from exam_assistant.models import Clinician, Encounter, Patient

__version__ = "0.1.0"
__all__ = ["Clinician", "Encounter", "Patient", "__version__"]
