"""The practice-mode feedback sheet as a PDF: score, domains, item-by-item feedback, references.

Holds a student label and a simulated case, never patient data. Every piece of text goes
through the note's escaping and font helpers (:func:`reports.flowables.para`), so a student
label like ``A<B`` or a name in Greek prints as typed.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, SimpleDocTemplate, Spacer, Table

from exam_assistant.practice.choices import DOMAIN_LABELS, GLOBAL_RATING_LABELS
from exam_assistant.practice.feedback import Feedback, FeedbackEntry
from reports.flowables import para
from reports.fonts import register_fonts
from reports.layout import NumberedCanvas
from reports.styles import grid_table_style, styles
from reports.text import plain

STATUS_WORDS = {"met": "Met", "partial": "Partly met", "missed": "Missed", "penalty": "Penalty"}
MARGIN = 16 * mm


def _entry(e: FeedbackEntry) -> Flowable:
    st = styles()
    parts: list[Flowable] = [para(f"{STATUS_WORDS[e.status]}: {e.title}", st.h2), para(e.detail, st.small)]
    parts += [para(line, st.body, prefix="• ") for line in e.explanation]
    if e.references:
        parts.append(para("References: " + ", ".join(e.references), st.small))
    return KeepTogether(parts)


def story(fb: Feedback, generated_at: datetime) -> list[Flowable]:
    st = styles()
    s = fb.score
    out: list[Flowable] = [
        para(f"Practice feedback: {s.case_title}", st.title),
        para(
            f"Case {s.case_id} · {s.mode} mode · student {s.student or '(not given)'} · "
            f"{generated_at.strftime('%Y-%m-%d %H:%M UTC')} · simulated patient, no patient data",
            st.small,
        ),
        Spacer(1, 3 * mm),
        para(
            f"Score {s.total:g} of {s.maximum:g} ({s.percent:g}%). Global rating: "
            f"{GLOBAL_RATING_LABELS[s.global_rating]}.",
            st.h1,
        ),
    ]
    out += [para(f"Rating capped: {why}", st.body) for why in s.capped_by]
    if s.overtime:
        out.append(para(f"Finished after the {s.time_limit_minutes}-minute limit.", st.body))
    rows = [[para("Domain", st.cell_head), para("Points", st.cell_head), para("Percent", st.cell_head)]]
    for d in s.domains:
        pct = "–" if d.percent is None else f"{d.percent:g}%"
        rows.append(
            [
                para(DOMAIN_LABELS[d.domain], st.cell),
                para(f"{d.earned:g} of {d.available:g}", st.cell),
                para(pct, st.cell),
            ]
        )
    table = Table(rows, colWidths=[70 * mm, 40 * mm, 30 * mm], repeatRows=1)
    table.setStyle(grid_table_style())
    out += [table, para("Item by item", st.h1)]
    out += [_entry(e) for e in fb.entries]
    out.append(para("What the evidence says", st.h1))
    for n in fb.evidence:
        out += [
            para(n.title, st.h2),
            para(f"Your findings: {n.yours}", st.body),
            para(f"The whole case: {n.whole_case}", st.body),
        ]
    out.append(para("References", st.h1))
    out += [para(f"[{r.key}] {r.citation}" + (f" {r.link}" if r.link else ""), st.small) for r in fb.references]
    return out


def render_feedback(fb: Feedback, generated_at: datetime | None = None, invariant: bool = False) -> bytes:
    """The feedback sheet as PDF bytes; ``invariant`` makes the bytes repeatable (tests)."""
    register_fonts()
    when = generated_at or datetime.now(UTC)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + 4 * mm,
        title=plain(f"Practice feedback: {fb.score.case_title}"),
        author="Exam Assistant",
        subject="Practice-mode feedback (simulated case)",
        invariant=1 if invariant else 0,
        lang="en",
    )
    doc.build(story(fb, when), canvasmaker=NumberedCanvas)
    return buffer.getvalue()
