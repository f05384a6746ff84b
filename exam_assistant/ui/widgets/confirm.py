"""Confirming the patient's pre-visit answers in the clinician's examination.

Each answer the patient gave before the visit shows under its widget whether it is still only
patient-reported; one click confirms it (the patient agrees with it now), and a block with such
answers has "Confirm all shown". Changing the answer instead makes it clinician-recorded (the
ordinary widget callback builds a finding without ``reported_by``). Both are autosaved like any
change: validated by the store and audited (the "updated" event says how many were confirmed or
changed, never which values).
"""

from __future__ import annotations

import streamlit as st

from exam_assistant.library import Library
from exam_assistant.previsit.confirm import confirmations, is_confirmed, is_pending, pending
from exam_assistant.protocol import Item
from exam_assistant.store import EncounterRepository
from exam_assistant.ui.session import Flow

PENDING_NOTE = ":material/person: Patient-reported before the visit: confirm it with the patient or change it"
CONFIRMED_NOTE = ":material/task_alt: Patient-reported before the visit, confirmed with the patient"


def confirm_answers(prefix: str, store: EncounterRepository, library: Library, item_ids: tuple[str, ...]) -> None:
    """Callback: mark those of ``item_ids`` still patient-reported as confirmed, and autosave."""
    flow = Flow(prefix, store, library)
    enc = flow.encounter
    if enc is None or flow.read_only:
        return
    changes = confirmations(enc, item_ids)
    if changes and flow.set_findings(dict(changes)):
        flow.request_app_rerun()  # the note preview and counts outside the block change too


def answer_status(flow: Flow, item: Item) -> None:
    """Under one widget: still patient-reported (with a Confirm button), or confirmed."""
    enc = flow.encounter
    finding = enc.findings.get(item.id) if enc is not None else None
    if is_pending(finding):
        st.caption(PENDING_NOTE)
        if not flow.read_only:
            st.button("Confirm", key=flow.key(f"confirm.{item.id}"), icon=":material/check:", type="secondary",
                      on_click=confirm_answers, args=(flow.prefix, flow.store, flow.library, (item.id,)),
                      help="The patient agrees with this answer now: it is kept and marked confirmed")
    elif is_confirmed(finding):
        st.caption(CONFIRMED_NOTE)


def confirm_all_button(flow: Flow, block_id: str, item_ids: tuple[str, ...]) -> None:
    """"Confirm all shown" for a block holding unconfirmed patient-reported answers."""
    enc = flow.encounter
    if enc is None or flow.read_only:
        return
    waiting = pending(enc, item_ids)
    if not waiting:
        return
    words = "the patient-reported answer" if len(waiting) == 1 else f"all {len(waiting)} patient-reported answers"
    st.button(f"Confirm {words} shown", key=flow.key(f"confirm_all.{block_id}"),
              icon=":material/done_all:", on_click=confirm_answers,
              args=(flow.prefix, flow.store, flow.library, tuple(waiting)),
              help="Only after going through them with the patient: each is kept and marked confirmed")
