"""The patient handout as PDF: at most two pages, large type, the clinic's header, plain words.

Page furniture, fonts, escaping and right-to-left handling are the note's (reports.layout,
reports.fonts, reports.flowables): a name in any script prints as it does on the note.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Flowable, KeepTogether, Spacer, Table, TableStyle

from exam_assistant import __version__
from exam_assistant.engine.assessment import Assessment
from exam_assistant.exercises import Exercise
from exam_assistant.library import Library
from exam_assistant.models import Encounter
from reports.exercise_figures import FIGURES
from reports.exercise_figures import SIZE as FIGURE_SIZE
from reports.flowables import Paragraph, para
from reports.fonts import register_fonts
from reports.handout_content import Handout, Section, handout_content
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
from reports.options import ClinicProfile
from reports.styles import ACCENT, INK, MUTED, TIER_FILL
from reports.text import escape, plain

MAX_PAGES = 2
# Largest type first; a long handout (several red flags) steps down until it fits two pages.
SIZES = (11.5, 10.5, 9.5, 8.8)
URGENT_FILL = colors.HexColor("#fdecee")


@dataclass(frozen=True)
class _Styles:
    title: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    bullet: ParagraphStyle
    note: ParagraphStyle
    urgent_heading: ParagraphStyle
    exercise_name: ParagraphStyle


def _styles(size: float) -> _Styles:
    fonts = register_fonts()

    def ps(name: str, **kw: object) -> ParagraphStyle:
        base: dict[str, object] = {"fontName": fonts.regular, "fontSize": size, "leading": size * 1.35,
                                   "textColor": INK, "splitLongWords": 1, "spaceAfter": size * 0.3}
        base.update(kw)
        return ParagraphStyle(f"handout_{name}_{size}", **base)

    return _Styles(
        title=ps("title", fontName=fonts.bold, fontSize=size * 1.6, leading=size * 1.9, textColor=ACCENT),
        heading=ps("heading", fontName=fonts.bold, fontSize=size * 1.15, leading=size * 1.45, textColor=ACCENT,
                   spaceBefore=size * 0.7, spaceAfter=size * 0.25),
        body=ps("body"),
        bullet=ps("bullet", leftIndent=size * 1.3, bulletIndent=size * 0.3, bulletFontName=fonts.regular),
        note=ps("note", fontSize=size * 0.85, leading=size * 1.15, textColor=MUTED),
        urgent_heading=ps("urgent_heading", fontName=fonts.bold, fontSize=size * 1.15, leading=size * 1.45,
                          textColor=TIER_FILL["EMERGENCY"], spaceAfter=size * 0.3),
        exercise_name=ps("exercise_name", fontName=fonts.bold),
    )


def _exercise(exercise: Exercise, number: int, st: _Styles, width: float) -> Flowable:
    """Figure on the left, the numbered steps and when to stop on the right, kept on one page."""
    text: list[Flowable] = [para(f"{number}. {exercise.name}", st.exercise_name)]
    text += [para(s.text, st.bullet, prefix="<bullet>\u2022</bullet>") for s in exercise.steps]
    text += [para(s.text, st.note) for s in exercise.stop_if]
    figure = FIGURES[exercise.figure]() if exercise.figure else Spacer(FIGURE_SIZE, 1)
    row = Table([[figure, text]], colWidths=[FIGURE_SIZE + 4 * mm, width - FIGURE_SIZE - 4 * mm])
    row.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))
    return row


def _section(section: Section, st: _Styles, width: float) -> list[Flowable]:
    body: list[Flowable] = []
    if section.note:
        body.append(para(section.note, st.note))
    body += [para(text, st.body) for text in section.paragraphs]
    body += [para(text, st.body, prefix=f"<b>{escape(label)}</b> ") for label, text in section.labelled]
    body += [para(text, st.bullet, prefix="<bullet>\u2022</bullet>") for text in section.bullets]
    body += [_exercise(x, i, st, width) for i, x in enumerate(section.exercises, start=1)]
    if not section.urgent:
        return [KeepTogether([para(section.heading, st.heading), *body[:2]]), *body[2:]]
    box = Table([[para(section.heading, st.urgent_heading)], *[[f] for f in body]], colWidths=[width])
    box.setStyle(TableStyle([
        ("BOX", (0, 0), (-1, -1), 1.4, TIER_FILL["EMERGENCY"]),
        ("BACKGROUND", (0, 0), (-1, -1), URGENT_FILL),
        ("LEFTPADDING", (0, 0), (-1, -1), 7), ("RIGHTPADDING", (0, 0), (-1, -1), 7),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ("TOPPADDING", (0, 0), (-1, 0), 6), ("BOTTOMPADDING", (0, -1), (-1, -1), 6),
    ]))
    return [Spacer(1, 3 * mm), KeepTogether([box])]


def _story(handout: Handout, encounter: Encounter, st: _Styles, width: float) -> list[Flowable]:
    story: list[Flowable] = [
        Paragraph(escape(handout.title), st.title),
        para(f"For {encounter.patient.name}, seen on {handout.visit.isoformat()}.", st.body),
    ]
    for section in handout.sections:
        story += _section(section, st, width)
    return story


def _furniture(encounter: Encounter, profile: ClinicProfile, generated: datetime) -> PageFurniture:
    clinic_lines = [line for line in (plain(profile.address), f"Tel. {plain(profile.phone)}" if profile.phone else "")
                    if line]
    return PageFurniture(
        clinic_name=profile.name,
        clinic_lines=clinic_lines,
        logo_path=str(profile.logo_path) if profile.logo_path else None,
        patient_title=encounter.patient.name,
        patient_lines=[f"Visit {encounter.visit_date.isoformat()}"],
        footer_lines=[
            "This leaflet sums up your visit. It does not replace talking to your clinician. Keep it and bring it "
            "next time.",
            f"Made {generated.strftime('%Y-%m-%d')} by {plain(profile.name)}"
            + ("" if profile.name == "Exam Assistant" else " with Exam Assistant") + f" {__version__}.",
        ],
        draft=False,  # the leaflet is for the patient; a DRAFT watermark would only worry them
    )


def _build(handout: Handout, encounter: Encounter, profile: ClinicProfile, size: float, generated: datetime,
           invariant: bool) -> tuple[bytes, int]:
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer, pagesize=PAPER[profile.paper], leftMargin=SIDE_MARGIN, rightMargin=SIDE_MARGIN,
        topMargin=TOP_GAP + HEADER_HEIGHT, bottomMargin=FOOTER_HEIGHT,
        title=f"About your visit: {plain(encounter.patient.name)}", author=plain(profile.name),
        subject="Patient leaflet", creator=f"Exam Assistant {__version__}", invariant=1 if invariant else 0,
        lang="en",
    )
    doc.addPageTemplates([page_template(doc, _furniture(encounter, profile, generated))])
    width = float(PAPER[profile.paper][0] - 2 * SIDE_MARGIN)
    doc.build(_story(handout, encounter, _styles(size), width), canvasmaker=NumberedCanvas)
    return buffer.getvalue(), int(doc.page)


def render_handout(
    encounter: Encounter,
    assessment: Assessment,
    library: Library,
    profile: ClinicProfile | None = None,
    *,
    generated_at: datetime | None = None,
    invariant: bool = False,
) -> bytes:
    """The patient handout as PDF bytes, in the largest type that fits two pages (or one, a size smaller)."""
    profile = profile or ClinicProfile()
    generated = (generated_at or datetime.now(UTC)).astimezone(UTC)
    handout = handout_content(encounter, assessment, library)
    pdf, fitting = b"", b""
    for size in SIZES:
        pdf, pages = _build(handout, encounter, profile, size, generated, invariant)
        if pages == 1:
            return pdf
        if fitting:  # one size smaller still needs two pages: keep the larger type
            return fitting
        if pages <= MAX_PAGES:
            fitting = pdf  # two pages; try one size smaller, which may leave no near-empty second page
    return fitting or pdf  # the smallest type still runs over: return it rather than drop a warning sign


def handout_builder(encounter: Encounter, library: Library, profile: ClinicProfile) -> Callable[[], bytes]:
    """A zero-argument builder for a download button: assesses and renders only when clicked."""

    def build() -> bytes:
        from exam_assistant.engine.assess import assess

        return render_handout(encounter, assess(encounter, library), library, profile)

    return build
