"""Assembling the note: sections in order, page furniture, metadata, bytes out."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

from reportlab.platypus import BaseDocTemplate, Flowable

from exam_assistant.engine.assessment import Assessment
from exam_assistant.library import Library
from exam_assistant.models import Encounter
from reports.appendix import appendix
from reports.brief import assessment_brief, findings_by_source
from reports.closing import signature
from reports.context import NoteContext
from reports.decided import plan_brief
from reports.findings import sort_findings
from reports.fonts import register_fonts
from reports.layout import (
    FOOTER_HEIGHT,
    HEADER_HEIGHT,
    PAPER,
    SIDE_MARGIN,
    TOP_GAP,
    NumberedCanvas,
    PageFurniture,
    page_template,
)
from reports.options import ClinicProfile, NoteOptions
from reports.sections import age_text, details, notes, summary_box
from reports.signing import SignatureSpot
from reports.styles import TIER_WORDS
from reports.text import plain


def protocol_line(encounter: Encounter, library: Library) -> str:
    """The protocol versions behind the assessment, and those the encounter was recorded with if they differ."""
    loaded = {p.pack.id: p.pack.version for p in library.ordered_packs()}
    text = ", ".join(f"{pid} {version}" for pid, version in loaded.items()) or "none loaded"
    differ = [f"{u.id} {u.version}" for u in encounter.protocols if loaded.get(u.id) != u.version]
    if differ:
        text += f" (recorded with {', '.join(differ)})"
    return text


def furniture(ctx: NoteContext) -> PageFurniture:
    enc, profile, opts = ctx.encounter, ctx.profile, ctx.options
    clinic_lines = [
        line for line in (plain(profile.address), f"Tel. {plain(profile.phone)}" if profile.phone else "") if line
    ]
    sex = "" if enc.patient.sex == "unknown" else f" · {enc.patient.sex}"
    if opts.deidentified:
        title = "De-identified record"
        lines = [f"Age {age_text(ctx)}{sex}", f"Encounter {enc.created_at.year}"]
    else:
        title = enc.patient.name
        first = f"Born {ctx.day(enc.patient.date_of_birth)}"
        if enc.patient.identifier:
            first += f" · ID {enc.patient.identifier}"
        lines = [first, f"Encounter {ctx.when(enc.created_at)}"]
    generated = f"Generated {ctx.when(ctx.generated_at)} by Exam Assistant {opts.app_version}"
    if not opts.deidentified:
        generated += f" · Encounter {enc.id}"
    footer = [generated, f"Protocols: {protocol_line(enc, ctx.library)}"]
    return PageFurniture(
        clinic_name=profile.name,
        clinic_lines=clinic_lines,
        logo_path=str(profile.logo_path) if profile.logo_path else None,
        patient_title=title,
        patient_lines=lines,
        footer_lines=footer,
        draft=enc.status == "draft",
    )


def story(ctx: NoteContext) -> list[Flowable]:
    """The short note, then the appendix. The summary box comes straight after the details, on
    page 1: urgency, every red flag, the screen in one line, working diagnosis and decided plan."""
    s = sort_findings(ctx.encounter, ctx.library)
    return [
        *details(ctx),
        *summary_box(ctx),
        *findings_by_source(ctx, s),
        *assessment_brief(ctx),
        *plan_brief(ctx),
        *notes(ctx),
        *signature(ctx),
        *appendix(ctx, s),
    ]


def _metadata(ctx: NoteContext) -> dict[str, str]:
    enc = ctx.encounter
    who = "de-identified record" if ctx.options.deidentified else plain(enc.patient.name)
    when = str(enc.created_at.year) if ctx.options.deidentified else ctx.day(ctx.visit_date)
    author = plain(enc.clinician.name) if enc.clinician else plain(ctx.profile.name)
    subject = (
        f"Neck, upper back and arm examination ({enc.status}); urgency "
        f"{TIER_WORDS[ctx.assessment.urgency]}; {plain(ctx.profile.name)}"
    )
    return {"title": f"Clinical note: {who}, {when}", "author": author, "subject": subject}


def _canvas_maker(stamp: datetime) -> Any:
    pdf_date = stamp.strftime("D:%Y%m%d%H%M%S+00'00'")

    def make(*args: Any, **kwargs: Any) -> NumberedCanvas:
        canvas = NumberedCanvas(*args, **kwargs)
        canvas.setDateFormatter(lambda *_: pdf_date)
        return canvas

    return make


def render_note(
    encounter: Encounter,
    assessment: Assessment,
    library: Library,
    profile: ClinicProfile | None = None,
    options: NoteOptions | None = None,
) -> bytes:
    """The clinical note as PDF bytes."""
    return render_note_layout(encounter, assessment, library, profile, options)[0]


def render_note_layout(
    encounter: Encounter,
    assessment: Assessment,
    library: Library,
    profile: ClinicProfile | None = None,
    options: NoteOptions | None = None,
) -> tuple[bytes, SignatureSpot | None]:
    """The note's PDF bytes and where its signature box was drawn (None on a draft)."""
    register_fonts()
    profile = profile or ClinicProfile()
    options = options or NoteOptions()
    ctx = NoteContext(
        encounter=encounter,
        assessment=assessment,
        library=library,
        profile=profile,
        options=options,
        generated_at=options.stamp(),
    )
    buffer = io.BytesIO()
    meta = _metadata(ctx)
    doc = BaseDocTemplate(
        buffer,
        pagesize=PAPER[profile.paper],
        leftMargin=SIDE_MARGIN,
        rightMargin=SIDE_MARGIN,
        topMargin=TOP_GAP + HEADER_HEIGHT,
        bottomMargin=FOOTER_HEIGHT,
        title=meta["title"],
        author=meta["author"],
        subject=meta["subject"],
        creator=f"Exam Assistant {options.app_version}",
        keywords=["clinical note"],
        invariant=1 if options.invariant else 0,
        lang="en",
    )
    doc.addPageTemplates([page_template(doc, furniture(ctx))])
    doc.build(story(ctx), canvasmaker=_canvas_maker(ctx.generated_at))
    return buffer.getvalue(), (ctx.signature_spots[-1] if ctx.signature_spots else None)
