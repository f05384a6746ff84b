"""Step 3: choose the protocols to examine, with the ones the history suggests ticked."""

from __future__ import annotations

import streamlit as st

from exam_assistant.library import Library
from exam_assistant.store import EncounterRepository
from exam_assistant.ui import steps
from exam_assistant.ui.session import Flow
from exam_assistant.ui.text import md


def _box_key(flow: Flow, pack_id: str) -> str:
    epoch = flow.draft.epoch if flow.draft else 0
    return flow.key(f"choose.{epoch}.{pack_id}")


def commit_choice(prefix: str, store: EncounterRepository, library: Library) -> None:
    """Callback: store the ticked protocols (the steps of the examination follow from them)."""
    flow = Flow(prefix, store, library)
    enc = flow.encounter
    if enc is None or flow.read_only:
        return
    chosen = {p.pack.id for p in steps.optional_packs(library) if st.session_state.get(_box_key(flow, p.pack.id))}
    updated = steps.with_protocols(enc, library, chosen)
    if updated.protocols != enc.protocols:
        flow.save(updated)


def choose_step(flow: Flow) -> None:
    enc, assessment = flow.encounter, flow.assessment
    if enc is None or assessment is None:
        return
    lib = flow.library
    st.subheader("Choose the examination")
    suggested = {s.pack: s.reasons for s in steps.suggestions(enc, assessment, lib)}
    chosen = {p.pack.id for p in steps.chosen_packs(enc, lib)}
    first_visit = not chosen
    st.caption(
        "Protocols are examined in the order listed. Those the history points to are ticked"
        + (" for you; untick any you will not do." if first_visit and suggested else ".")
    )
    for loaded in steps.optional_packs(lib):
        pack = loaded.pack
        key = _box_key(flow, pack.id)
        if key not in st.session_state:
            st.session_state[key] = pack.id in chosen or (first_visit and pack.id in suggested)
        with st.container(border=True):
            st.checkbox(
                pack.title + (" · suggested" if pack.id in suggested else ""),
                key=key, on_change=commit_choice, args=(flow.prefix, flow.store, lib), disabled=flow.read_only,
            )
            for why in suggested.get(pack.id, ()):
                st.markdown(f"→ *Suggested:* {md(why)}")
            st.caption(md(pack.description.strip()))
    if not steps.optional_packs(lib):
        st.warning("No examination pack is loaded; see the Protocol library for load errors.")
