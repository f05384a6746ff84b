"""The Streamlit app: pages, the embeddable examination flow and its widgets.

``exam_flow`` is the public entry point for other Streamlit apps. Importing this package does
not import Streamlit, so its Streamlit-free modules (``steps``, ``findings``, ``text``,
``dermatome``, ``clinic_settings``) can be used and tested on their own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from exam_assistant.library import Library
    from exam_assistant.store import EncounterRepository

__all__ = ["exam_flow"]


def exam_flow(
    container: Any = None,
    store: EncounterRepository | None = None,
    library: Library | None = None,
    key_prefix: str = "ea",
) -> None:
    """Draw the guided examination (see :func:`exam_assistant.ui.flow.main.exam_flow`)."""
    from exam_assistant.ui.flow.main import exam_flow as _exam_flow

    _exam_flow(container=container, store=store, library=library, key_prefix=key_prefix)
