"""The patient's pre-visit questionnaire: which questions, in which order, and what to do now."""
