"""Who signs a final note (resolve_signer has no Streamlit, so it is tested directly)."""

from __future__ import annotations

from exam_assistant.models import Clinician
from exam_assistant.ui.signer import NO_SIGNER, resolve_signer

REGISTERED = Clinician(name="Dr Sam Okafor", role="general practitioner", registration_number="GMC 7654321")
SETTINGS = Clinician(name="Dr Sam Okafor", registration_number="GMC 7654321")


def test_a_registered_clinician_on_the_note_signs() -> None:
    assert resolve_signer(REGISTERED, None) == REGISTERED


def test_settings_fill_in_the_registration_of_the_same_clinician() -> None:
    signer = resolve_signer(Clinician(name="dr sam okafor", role="GP"), SETTINGS)
    assert isinstance(signer, Clinician) and (signer.role, signer.registration_number) == ("GP", "GMC 7654321")


def test_settings_sign_a_note_that_names_no_one() -> None:
    assert resolve_signer(None, SETTINGS) == SETTINGS


def test_no_named_clinician_anywhere_is_refused_in_plain_words() -> None:
    assert resolve_signer(None, None) == NO_SIGNER
    assert resolve_signer(Clinician(name="Dr Grey"), None) == NO_SIGNER


def test_settings_never_sign_for_another_clinician_named_on_the_note() -> None:
    refused = resolve_signer(Clinician(name="Dr Grey"), SETTINGS)
    assert isinstance(refused, str) and "Dr Grey" in refused


def test_with_sign_in_the_signed_in_user_signs_and_needs_a_registration_number() -> None:
    signer = resolve_signer(None, SETTINGS, signed_in="Dr Sam Okafor")
    assert isinstance(signer, Clinician) and signer.registration_number == "GMC 7654321"
    refused = resolve_signer(REGISTERED, None, signed_in="someone@clinic.example")
    assert isinstance(refused, str) and "someone@clinic.example" in refused
