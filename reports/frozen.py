"""The note as a record: rendered once at finalise (optionally signed), then only ever re-read.

``frozen_renderer`` is what the app and the CLI hand to ``EncounterRepository.finalise``;
``note_pdf`` is what every download calls: the frozen bytes of a final note, byte for byte, or a
fresh rendering of a draft (and of a note finalised before notes were frozen, marked as such).
"""

from __future__ import annotations

from typing import Protocol

from exam_assistant.library import Library
from exam_assistant.models import Encounter
from exam_assistant.store.frozen import FrozenNote, NoteRef, NoteRenderer, RenderedNote
from reports.options import ClinicProfile, NoteOptions, PriorNote
from reports.signing import SigningKey, sign_pdf


class FrozenSource(Protocol):
    """Where frozen notes are read from (the encounter repository)."""

    def frozen_note(self, encounter_id: str) -> FrozenNote | None: ...

SIGN_REASON = "Final clinical note, signed by the examining clinician"


def signing_key(profile: ClinicProfile) -> SigningKey | None:
    """The clinic's certificate and key when both are configured, else None (no digital signature)."""
    if profile.sign_cert is None or profile.sign_key is None:
        return None
    return SigningKey(profile.sign_cert, profile.sign_key)


def render_final(
    encounter: Encounter,
    library: Library,
    profile: ClinicProfile,
    options: NoteOptions | None = None,
    previous: NoteRef | None = None,
    signing: SigningKey | None = None,
) -> RenderedNote:
    """The PDF of a final encounter, naming the note it amends and signed when a key is given."""
    from exam_assistant.engine.assess import assess
    from reports.note import render_note_layout

    encounter = profile.apply_defaults(encounter)
    prior = PriorNote(**vars(previous)) if previous is not None else None
    opts = (options or NoteOptions()).model_copy(update={"supersedes": prior, "signing": signing is not None})
    pdf, spot = render_note_layout(encounter, assess(encounter, library), library, profile, opts)
    if signing is None:
        return RenderedNote(pdf, signed=False)
    name = encounter.clinician.name if encounter.clinician else profile.name
    return RenderedNote(sign_pdf(pdf, spot, signing, name, SIGN_REASON), signed=True)


def frozen_renderer(library: Library, profile: ClinicProfile, options: NoteOptions | None = None) -> NoteRenderer:
    """The renderer ``finalise`` calls once; it signs when the profile names a certificate and key."""
    signing = signing_key(profile)

    def render(encounter: Encounter, previous: NoteRef | None) -> RenderedNote:
        return render_final(encounter, library, profile, options, previous, signing)

    return render


def note_pdf(reads: FrozenSource, encounter: Encounter, library: Library, profile: ClinicProfile) -> bytes:
    """What a download returns: a final note's frozen bytes, else the note rendered now."""
    from exam_assistant.engine.assess import assess
    from reports.note import render_note

    if encounter.status == "final":
        frozen = reads.frozen_note(str(encounter.id))
        if frozen is not None:
            return frozen.pdf
    encounter = profile.apply_defaults(encounter)
    options = NoteOptions(rerendered=encounter.status == "final")
    return render_note(encounter, assess(encounter, library), library, profile, options)


def configured_renderer(database_url: str | None = None) -> NoteRenderer:
    """The renderer with the built-in library and the clinic profile saved in Settings for this
    database (the CLI's ``encounters save`` of a final file freezes the note the app would)."""
    from exam_assistant.library import cached_library
    from exam_assistant.ui.clinic_settings import load_profile, settings_path

    return frozen_renderer(cached_library(), load_profile(settings_path(database_url)))
