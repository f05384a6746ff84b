"""The summary step (the full assessment, notes, pre-test probabilities) and the finish step
(finalise, PDF, amend, follow-up)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import streamlit as st

from exam_assistant.library import Library
from exam_assistant.models import Encounter
from exam_assistant.store import ConflictError, EncounterRepository, InvalidEncounterError, default_database_url
from exam_assistant.suggestions import unexplained_declines
from exam_assistant.ui.bounded import range_problem
from exam_assistant.ui.clinic_settings import load_signer, signer_path
from exam_assistant.ui.flow.decisions import decisions_panel
from exam_assistant.ui.resources import clinic_profile
from exam_assistant.ui.session import Flow, Notice, signed_in_user
from exam_assistant.ui.signer import resolve_signer
from exam_assistant.ui.text import ICON_DONE
from exam_assistant.ui.widgets.assessment_view import assessment_view
from reports import ClinicProfile
from reports.frozen import frozen_renderer, note_pdf
from reports.signing import SigningError


def on_notes(prefix: str, store: EncounterRepository, library: Library) -> None:
    flow = Flow(prefix, store, library)
    flow.update(notes=str(st.session_state.get(flow.key("notes_input"), "")))


PRETEST_LOW, PRETEST_HIGH = 0.5, 99.5  # percent; the clinic settings page uses the same range


def on_pretest(prefix: str, store: EncounterRepository, library: Library, rule_id: str) -> None:
    flow = Flow(prefix, store, library)
    enc = flow.encounter
    if enc is None:
        return
    value = st.session_state.get(flow.key(f"pretest.{rule_id}"))
    title = next((r.title for r in [library.rules.get(rule_id)] if r is not None), rule_id)
    problem = range_problem(f"Pre-test probability for {title}", value, PRETEST_LOW, PRETEST_HIGH, "%")
    st.session_state[flow.key(f"pretest_problem.{rule_id}")] = problem
    if problem is not None:  # refused with the range named; the widget keeps what was typed
        return
    probabilities = dict(enc.pretest_probabilities)
    if value is None:
        probabilities.pop(rule_id, None)
    else:
        probabilities[rule_id] = float(value) / 100
    flow.update(pretest_probabilities=probabilities)


@st.fragment
def notes_fragment(prefix: str, store: EncounterRepository, library: Library) -> None:
    flow = Flow(prefix, store, library)
    flow.rerun_app_if_requested()
    enc = flow.encounter
    key = flow.key("notes_input")
    if key not in st.session_state and enc is not None:
        st.session_state[key] = enc.notes
    st.text_area("Clinical notes (printed on the note)", key=key, max_chars=20_000, height=150,
                 on_change=on_notes, args=(prefix, store, library), disabled=flow.read_only)


def summary_step(flow: Flow) -> None:
    enc, assessment = flow.encounter, flow.assessment
    if enc is None or assessment is None:
        return
    st.subheader("Summary and assessment")
    assessment_view(assessment, flow.library)
    decisions_panel(flow)
    clusters = [c for c in assessment.clusters if c.lr_positive is not None or c.lr_negative is not None]
    if clusters and not flow.read_only:
        with st.expander("Adjust the pre-test probability of a cluster"):
            for c in clusters:
                key = flow.key(f"pretest.{c.id}")
                if key not in st.session_state:
                    current = enc.pretest_probabilities.get(c.id, c.pretest_probability)
                    st.session_state[key] = round(current * 100, 1) if current else None
                # no widget limits: they only turn the field red; on_pretest names the range instead
                st.number_input(f"Pre-test probability (%) for {c.title}", step=1.0, key=key,
                                placeholder=f"{PRETEST_LOW:g} to {PRETEST_HIGH:g}", on_change=on_pretest,
                                args=(flow.prefix, flow.store, flow.library, c.id))
                problem = st.session_state.get(flow.key(f"pretest_problem.{c.id}"))
                if problem:
                    st.error(f"Not saved: {problem}")
    notes_fragment(flow.prefix, flow.store, flow.library)
    st.markdown("#### Finish")
    finish_panel(flow)


def build_note(encounter: Encounter, library: Library, profile: ClinicProfile,
               store: EncounterRepository, actor: str) -> bytes:
    """The PDF note, and its export recorded in the audit log (run when the button is clicked).

    A final note is the PDF frozen when it was finalised, byte for byte, whatever the
    settings are now; a draft is rendered with the current settings."""
    data = note_pdf(store, encounter, library, profile)
    store.record_export(str(encounter.id), actor, "pdf")
    return data


def pdf_builder(flow: Flow) -> Callable[[], bytes] | None:
    """A zero-argument function building this encounter's PDF note on click, or None before
    there is an encounter. It holds copies of what it needs, never the session."""
    enc, assessment = flow.encounter, flow.assessment
    if enc is None or assessment is None:
        return None
    return partial(build_note, enc, flow.library, clinic_profile(), flow.store, flow.actor())


def finalise(prefix: str, store: EncounterRepository, library: Library) -> None:
    flow = Flow(prefix, store, library)
    draft = flow.draft
    if draft is None:
        return
    signer = resolve_signer(draft.encounter.clinician, load_signer(signer_path(default_database_url())),
                            signed_in_user())
    if isinstance(signer, str):
        flow.notify(Notice("error", signer))
        return
    assessment = flow.assessment
    if assessment is not None and unexplained_declines(draft.encounter.decisions, assessment):
        flow.notify(Notice("error", "Not finalised: a red flag is raised and a declined suggestion has no reason. "
                                    "Give the reason on the summary step."))
        return
    if signer != draft.encounter.clinician:  # saved first, so the frozen note names who signed
        flow.update(clinician=signer.model_dump())
        draft = flow.draft
        if draft is None or draft.encounter.clinician != signer:
            return
    profile = clinic_profile()
    try:
        stored = store.finalise(str(draft.encounter.id), draft.version, flow.actor(),
                                render=frozen_renderer(library, profile))
    except ConflictError as exc:
        flow.notify(Notice("error", str(exc), reload=True))
        return
    except (InvalidEncounterError, SigningError) as exc:
        flow.notify(Notice("error", f"Not finalised: {exc}" if isinstance(exc, SigningError) else str(exc)))
        return
    flow.open(stored)
    flow.notify(Notice("success", "The note is final. It can no longer change; amend it to correct it."))


def start_new_version(prefix: str, store: EncounterRepository, library: Library, kind: str) -> None:
    flow = Flow(prefix, store, library)
    enc = flow.encounter
    if enc is None:
        return
    try:
        if kind == "amend":
            stored = store.amend(str(enc.id), flow.actor())
        else:
            stored = store.start_follow_up(str(enc.id), flow.actor())
    except ConflictError as exc:
        flow.notify(Notice("error", str(exc)))
        return
    flow.open(stored)
    flow.notify(Notice("success", "Amendment started: a new draft of the note." if kind == "amend"
                       else "Follow-up visit started from the previous one."))


FINALISE = "Finalise the note"
FINALISE_HELP = ("Finalising says you have reviewed the findings and the assessment. A final note can no longer "
                 "change; a correction is made as an amendment, and both are kept.")


def finish_panel(flow: Flow) -> None:
    """Finalise (one click: the button says what it attests) and, once final, the downloads.

    Drawn at the end of the summary, where the clinician has just read the assessment, and on
    the Finish step."""
    enc = flow.encounter
    if enc is None:
        return
    args = (flow.prefix, flow.store, flow.library)
    if enc.status == "draft":
        st.caption("Finalising confirms you have reviewed the findings and the assessment. A final note can "
                   "no longer change; a correction is made as an amendment, and both are kept.")
        st.button(FINALISE, type="primary", on_click=finalise, args=args, key=flow.key("finalise"),
                  help=FINALISE_HELP)
    else:
        when = clinic_profile().clock().when(enc.finalised_at) if enc.finalised_at else ""
        st.success(f"Final note, finalised {when}.", icon=ICON_DONE)
        frozen = flow.store.frozen_note(str(enc.id))
        if frozen is not None:  # the record is these bytes: show their fingerprint
            st.caption(f"The PDF was frozen at signing{' and digitally signed' if frozen.signed else ''}; "
                       f"every download returns it unchanged. SHA-256 `{frozen.sha256}`")
    build = pdf_builder(flow)
    name = f"exam-note-{enc.visit_date.isoformat()}-{str(enc.id)[:8]}{'' if enc.status == 'final' else '-draft'}.pdf"
    row = st.columns(3 if enc.status == "final" else 2)
    if build is not None:
        row[0].download_button("Download the note (PDF)" if enc.status == "final" else "Download a draft PDF",
                               data=build, file_name=name, mime="application/pdf", on_click="ignore",
                               type="primary" if enc.status == "final" else "secondary", key=flow.key("pdf"),
                               width="stretch")
    from reports.handout import handout_builder  # reportlab only when the finish panel shows

    row[1].download_button("Download the patient handout (PDF)",
                           data=handout_builder(enc, flow.library, clinic_profile()),
                           file_name=f"patient-handout-{enc.visit_date.isoformat()}.pdf", mime="application/pdf",
                           on_click="ignore", key=flow.key("handout"), width="stretch",
                           help="One or two pages in plain words for the patient to take home")
    if enc.status == "final":
        # Imported here: fhir.resources is only needed once a note is final, not on every page load.
        from exam_assistant.fhir.download import bundle_builder, bundle_filename

        row[2].download_button("Download as FHIR R4 (JSON)", file_name=bundle_filename(enc),
                               mime="application/fhir+json", width="stretch",
                               data=bundle_builder(enc, flow.library, clinic_profile(), flow.store, flow.actor()),
                               on_click="ignore", key=flow.key("fhir"),
                               help="The note as structured data (FHIR R4 document Bundle) for an EHR or registry")
        st.button("Start a follow-up visit", on_click=start_new_version, args=(*args, "follow_up"),
                  key=flow.key("follow_up"), help="A new draft carrying over the patient, clinician and history")


def finish_step(flow: Flow) -> None:
    if flow.encounter is None:
        return
    st.subheader("Finish")
    finish_panel(flow)
