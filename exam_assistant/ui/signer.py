"""Who signs a final note: a named clinician with a registration number, or a plain refusal.

No Streamlit here, so the rule is tested directly. Where sign-in is on, the signed-in user signs
(their registration number from the note or from Settings); without sign-in, the clinician
named on the note signs, else the one entered once in Settings.
"""

from __future__ import annotations

from exam_assistant.models import Clinician

NO_SIGNER = (
    "Not finalised: a final note is signed by a named clinician. Enter your name and registration "
    "number once in Settings (Signing clinician), or on the patient step. Nothing was lost: the draft is kept."
)


def _same(a: str, b: str) -> bool:
    return a.strip().casefold() == b.strip().casefold()


def resolve_signer(
    on_note: Clinician | None, from_settings: Clinician | None, signed_in: str | None = None
) -> Clinician | str:
    """The clinician who signs, or the plain-words reason finalising is refused."""
    settings_reg = from_settings.registration_number if from_settings else None
    if signed_in:
        name = on_note.name if on_note and _same(on_note.name, signed_in) else signed_in
        reg = (on_note.registration_number if on_note and _same(on_note.name, name) else None) or (
            settings_reg if from_settings and _same(from_settings.name, name) else None
        )
        if not reg:
            return f"Not finalised: {name} has no registration number. Enter it in Settings (Signing clinician)."
        role = on_note.role if on_note else (from_settings.role if from_settings else "clinician")
        return Clinician(name=name, role=role, registration_number=reg)
    if on_note is not None and on_note.registration_number:
        return on_note
    if from_settings is not None and from_settings.registration_number:
        if on_note is None:
            return from_settings
        if _same(on_note.name, from_settings.name):
            return on_note.model_copy(update={"registration_number": from_settings.registration_number})
        return (
            f"Not finalised: the note names {on_note.name} without a registration number. Add it on the "
            "patient step, or name the clinician entered in Settings."
        )
    return NO_SIGNER
