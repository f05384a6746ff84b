"""Assessment (root level, differential) and Plan (imaging, treatment with review dates, safety-netting)."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Table

from exam_assistant.engine.assessment import ImagingSuggestion
from exam_assistant.engine.policy import held_back_lines
from exam_assistant.protocol import ImagingStudy, TreatmentStep
from exam_assistant.suggestions import STAGE_WORDS
from reports.brief import done_protocols
from reports.context import NoteContext
from reports.flowables import Paragraph
from reports.sections import heading, subheading
from reports.styles import TIER_WORDS, grid_table_style
from reports.text import escape, markup


def assessment(ctx: NoteContext, title: str = "Assessment") -> list[Flowable]:
    st = ctx.st
    out = heading(ctx, title)
    level = ctx.assessment.level
    if level is not None:
        support = "; ".join(f"{f.label} {f.value}" for f in level.supporting)
        out.append(
            Paragraph(
                f"<b>Root level:</b> {escape(level.level)} {escape(level.side)} "
                f"({escape(level.confidence)}). {markup(support)}",
                st.body,
            )
        )
        for la in level.lookalikes:
            out.append(ctx.p(f"{la.condition}: {la.distinguish}" + "", st.small, label="Look-alike:"))
        out.append(ctx.why(level.reason, level.references, level.id))
    dx = ctx.assessment.differential
    if not dx:
        out.append(ctx.p("No diagnosis is ranked by the findings recorded.", st.body))
        return out
    rows: list[list[Flowable]] = [
        [Paragraph(f"<b>{h}</b>", st.cell_head) for h in ("#", "Diagnosis", "Findings for", "Findings against")]
    ]
    for n, entry in enumerate(dx, 1):
        name = markup(entry.name) + ctx.citations.mark(entry.references)
        if entry.tier != "ROUTINE":
            name += f"<br/><font size=6.8>usually {escape(TIER_WORDS[entry.tier])}</font>"
        pro = "<br/>".join(f"+ {markup(e.finding)}" for e in entry.for_) or "–"
        con = "<br/>".join(f"− {markup(e.finding)}" for e in entry.against) or "none recorded"
        rows.append(
            [
                Paragraph(str(n), st.cell),
                Paragraph(name, st.cell_bold),
                Paragraph(pro, st.cell),
                Paragraph(con, st.cell),
            ]
        )
    table = Table(rows, colWidths=ctx.cols(7 * mm, 45 * mm, None, None), repeatRows=1)
    table.setStyle(grid_table_style())
    out += [
        *subheading(ctx, "Differential diagnosis"),
        table,
        ctx.p("Ranked by the summed weights of the protocol rules that fired; a ranking, not a probability.", st.small),
    ]
    return out


def _study(s: ImagingStudy) -> str:
    text = f"<b>{markup(s.study)}</b>: {escape(s.appropriateness)}"
    if s.radiation:
        text += f", radiation {escape(s.radiation)}"
    if s.why:
        text += f". {markup(s.why)}"
    return text


def _imaging(ctx: NoteContext, im: ImagingSuggestion, lead: list[Flowable] | None = None) -> Flowable:
    """One imaging suggestion kept on one page, with ``lead`` (headings) kept with it."""
    st = ctx.st
    parts: list[Flowable] = [
        *(lead or []),
        Paragraph(f"<b>{markup(im.title)}</b>", st.body),
        ctx.p(im.scenario, st.body, label="Scenario:"),
    ]
    if im.first is not None:
        parts.append(Paragraph("<b>First study:</b> " + _study(im.first), st.body))
    else:
        parts.append(
            Paragraph(f"<b>No imaging now.</b> Review {escape(ctx.review_date(im.review_in_weeks))}.", st.body)
        )
    for alt in im.alternatives:
        parts.append(Paragraph("<b>Alternative:</b> " + _study(alt), st.body))
    for bad in im.not_appropriate:
        parts.append(Paragraph("<b>Not appropriate:</b> " + _study(bad), st.body))
    source = []
    if im.acr_topic:
        source.append(
            f"ACR Appropriateness Criteria: {im.acr_topic}" + (f" ({im.acr_version})" if im.acr_version else "")
        )
    if im.verification != "primary":
        source.append(f"verification: {im.verification}")
    if source:
        parts.append(ctx.p("; ".join(source), st.small))
    parts.append(ctx.why(im.reason, im.references, im.id))
    return KeepTogether(parts)


def _steps_table(ctx: NoteContext, steps: list[TreatmentStep]) -> Table:
    st = ctx.st
    rows = [[Paragraph(f"<b>{h}</b>", st.cell_head) for h in ("Stage", "Step", "Cautions", "Review")]]
    for step in steps:
        text = markup(step.text) + (
            "" if step.verification == "primary" else f" <font size=6.8>({escape(step.verification)})</font>"
        )
        rows.append(
            [
                Paragraph(escape(STAGE_WORDS[step.stage]), st.cell_bold),
                Paragraph(text, st.cell),
                Paragraph("<br/>".join(f"• {markup(c)}" for c in step.cautions) or "–", st.cell),
                ctx.p(ctx.review_date(step.review_in_weeks) or "–", st.cell),
            ]
        )
    table = Table(rows, colWidths=ctx.cols(27 * mm, None, 50 * mm, 27 * mm), repeatRows=1)
    table.setStyle(grid_table_style())
    return table


def plan(ctx: NoteContext, title: str = "Plan") -> list[Flowable]:
    st = ctx.st
    a = ctx.assessment
    out: list[Flowable] = [CondPageBreak(40 * mm)]
    lead = [Paragraph(escape(title), st.h1), Paragraph("Imaging", st.h2)]
    if any(not h.forbidden for h in a.held_back):
        held = " ".join(f"Held back {line}." for line in held_back_lines(a.held_back))
        lead.append(ctx.p(held, st.body))
    if not a.imaging:
        out += [
            *lead,
            ctx.p(
                "No other imaging suggestion applies to the findings recorded."
                if a.held_back
                else "No imaging rule applies to the findings recorded.",
                st.body,
            ),
        ]
    for n, im in enumerate(a.imaging):
        out.append(_imaging(ctx, im, lead if n == 0 else None))
    safety: list[TreatmentStep] = []
    safety_why: list[Flowable] = []
    treatments = 0
    for pathway in a.treatment:
        steps = [s for s in pathway.steps if s.stage != "safety_net"]
        safety += [s for s in pathway.steps if s.stage == "safety_net"]
        if not steps:  # a safety-net-only pathway belongs under Safety-netting
            safety_why.append(ctx.why(pathway.reason, pathway.references, pathway.id))
            continue
        treatments += 1
        block: list[Flowable] = [
            CondPageBreak(22 * mm),
            Paragraph(f"Treatment: {markup(pathway.title)}", st.h2),
            ctx.p(pathway.pathway, st.body),
        ]
        block.append(_steps_table(ctx, steps))
        block.append(ctx.why(pathway.reason, pathway.references, pathway.id))
        out += block
    if not treatments:
        out += [*subheading(ctx, "Treatment"), ctx.p("No treatment pathway applies to the findings recorded.", st.body)]
    out += subheading(ctx, "Safety-netting")
    if safety:
        for step in safety:
            review = f" Review {ctx.review_date(step.review_in_weeks)}." if step.review_in_weeks is not None else ""
            out.append(ctx.p(step.text + review, st.body, label="•"))
        out += safety_why
    else:
        out.append(
            ctx.p("No safety-netting advice came from the protocols; record the advice given in the notes.", st.body)
        )
    done = done_protocols(ctx)
    further = [sp for sp in a.suggested_protocols if sp.protocol not in done]  # only what was not done
    if further:
        out += subheading(ctx, "Further examination suggested")
        for sp in further:
            loaded = ctx.library.packs.get(sp.protocol)
            title = loaded.pack.title if loaded else sp.protocol
            out.append(
                Paragraph(f"<b>{markup(title)}:</b> {markup(sp.why)}{ctx.citations.mark(sp.references)}", st.body)
            )
    return out
