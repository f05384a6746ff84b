"""The bytes behind the app's "Download as FHIR" button: built on click, export audited.

No Streamlit here (nothing below ``ui/`` imports it); the page passes a zero-argument builder
to ``st.download_button`` so the bundle is built only when clicked.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import partial
from typing import Any, Protocol

from exam_assistant.fhir.bundle import build_bundle
from exam_assistant.fhir.parties import Clinic
from exam_assistant.library import Library
from exam_assistant.models import Encounter


class ClinicLike(Protocol):
    """What the export reads of a clinic profile (``reports.ClinicProfile`` has it)."""

    @property
    def name(self) -> str: ...

    @property
    def address(self) -> str: ...

    @property
    def phone(self) -> str: ...


def bundle_json(encounter: Encounter, library: Library, clinic: ClinicLike | None, store: Any, actor: str) -> bytes:
    """The encounter's FHIR document Bundle as UTF-8 JSON, with the frozen PDF of a final note; the export is audited."""
    frozen = store.frozen_note(str(encounter.id)) if encounter.status == "final" else None
    bundle = build_bundle(
        encounter,
        library,
        clinic=Clinic(name=clinic.name, address=clinic.address, phone=clinic.phone) if clinic is not None else None,
        pdf=frozen.pdf if frozen is not None else None,
    )
    data = (json.dumps(bundle, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    store.record_export(str(encounter.id), actor, "fhir")
    return data


def bundle_builder(
    encounter: Encounter, library: Library, clinic: ClinicLike | None, store: Any, actor: str
) -> Callable[[], bytes]:
    """A zero-argument builder for ``st.download_button(data=...)``; holds copies, never the session."""
    return partial(bundle_json, encounter, library, clinic, store, actor)


def bundle_filename(encounter: Encounter) -> str:
    """``exam-note-<visit date>-<id prefix>.fhir.json``: no patient identifiers in the name."""
    return f"exam-note-{encounter.visit_date.isoformat()}-{str(encounter.id)[:8]}.fhir.json"
