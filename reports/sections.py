"""Section builders for the start and the end of the note: details, summary box, subjective,
notes, references, signature and disclaimer. Objective findings are in ``objective.py``;
assessment and plan in ``plan.py``.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Spacer, Table, TableStyle

from exam_assistant.engine.describe import finding_text
from exam_assistant.engine.policy import do_not_holders, held_back_lines
from exam_assistant.previsit.confirm import marked
from exam_assistant.protocol import TIER_ORDER
from reports.context import NoteContext
from reports.findings import Sorted, score_label, yes_no_groups
from reports.flowables import Paragraph
from reports.styles import GRID, TIER_FILL, TIER_WORDS, grid_table_style
from reports.text import escape, markup

DISCLAIMER = (
    "This note was prepared with Exam Assistant, a decision-support tool. Red flags, cluster results, "
    "probabilities, imaging and treatment suggestions come from versioned protocol rules and the sources "
    "cited; they support, and do not replace, the judgement of the clinician who examined the patient. "
    "Findings that were not recorded are unknown, not negative."
)


def heading(ctx: NoteContext, text: str) -> list[Flowable]:
    return [CondPageBreak(28 * mm), Paragraph(escape(text), ctx.st.h1)]


def subheading(ctx: NoteContext, text: str) -> list[Flowable]:
    """A sub-heading that never sits alone at the foot of a page."""
    return [CondPageBreak(22 * mm), Paragraph(escape(text), ctx.st.h2)]


def age_text(ctx: NoteContext) -> str:
    age = ctx.encounter.age
    return "90 or older" if ctx.options.deidentified and age >= 90 else f"{age} years"


def details(ctx: NoteContext) -> list[Flowable]:
    """Title, patient, encounter date and time, clinician and status."""
    enc, st = ctx.encounter, ctx.st
    title = "Clinical note: neck, upper back and arm examination"
    out: list[Flowable] = [Paragraph(escape(title), st.title)]
    sex = enc.patient.sex if enc.patient.sex != "unknown" else "sex not recorded"
    rows: list[tuple[str, Flowable]] = []
    if ctx.options.deidentified:
        rows.append(("Patient", ctx.p(f"De-identified record · age {age_text(ctx)} · {sex}", st.cell)))
        rows.append(
            ("Encounter", ctx.p(f"{enc.created_at.year} (date withheld) · {enc.setting.replace('_', ' ')}", st.cell))
        )
    else:
        rows.append(("Patient", ctx.p(enc.patient.name, st.cell_bold)))
        rows.append(("Born", ctx.p(f"{ctx.day(enc.patient.date_of_birth)} · {age_text(ctx)} · {sex}", st.cell)))
        if enc.patient.identifier:
            rows.append(("Identifier", ctx.p(enc.patient.identifier, st.cell)))
        when = ctx.when(enc.created_at)
        rows.append(("Encounter", ctx.p(f"{when} · {enc.setting.replace('_', ' ')}", st.cell)))
    if enc.clinician is not None:
        reg = f" · registration {enc.clinician.registration_number}" if enc.clinician.registration_number else ""
        rows.append(("Clinician", ctx.p(f"{enc.clinician.name} · {enc.clinician.role}{reg}", st.cell)))
    else:
        rows.append(("Clinician", ctx.p("not recorded", st.cell)))
    if enc.status == "final" and enc.finalised_at is not None and not ctx.options.deidentified:
        status = f"final, signed off {ctx.when(enc.finalised_at)}"
    else:
        status = "final" if enc.status == "final" else "draft: not signed, may change"
    if enc.status == "final" and ctx.options.rerendered:  # not the signed record: say so on the copy
        status += " (copy rendered now with the current settings: this note was finalised before notes were frozen)"
    rows.append(("Status", ctx.p(status, st.cell)))
    if enc.previous_encounter_id is not None and not ctx.options.deidentified:
        rows.append(("Follows", ctx.p(f"encounter {enc.previous_encounter_id}", st.cell)))
    prior = ctx.options.supersedes
    if prior is not None:  # an amendment names the frozen note it replaces, so both can be told apart
        when = "date withheld" if ctx.options.deidentified else ctx.when(prior.finalised_at)
        rows.append(("Amends", ctx.p(f"the final note of {when}, SHA-256 {prior.sha256}", st.cell)))
    cells = [[Paragraph(f"<b>{escape(k)}</b>", st.cell), v] for k, v in rows]
    table = Table(cells, colWidths=ctx.cols(24 * mm, None), hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0.8),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0.8),
            ]
        )
    )
    return [*out, table, Spacer(1, 3 * mm)]


def _trigger(ctx: NoteContext, item_id: str, label: str) -> str:
    """A red flag's finding, marked when it is the patient's unconfirmed pre-visit answer."""
    return marked(label, ctx.encounter.findings.get(item_id))


def summary_box(ctx: NoteContext) -> list[Flowable]:
    """Urgency and every red flag with its action; first thing after the details, so on page 1;
    then the red-flag screen in one line, the working diagnosis and the plan as decided."""
    from reports.brief import screen_line, working_diagnosis  # these build on this module
    from reports.decided import decided_lines

    a, st = ctx.assessment, ctx.st
    flags = sorted(a.red_flags, key=lambda f: -TIER_ORDER[f.tier])
    fill = TIER_FILL[a.urgency]
    banner = f"URGENCY: {TIER_WORDS[a.urgency]}"
    if a.stop_examination:
        banner += " · stop the routine examination"
    rows: list[list[Flowable]] = [[Paragraph(escape(banner), st.banner)], [ctx.p(a.headline, st.flag_title)]]
    rows.append([ctx.p(screen_line(ctx), st.box_text)])  # a negative screen is one line; the list is in the appendix
    for n, flag in enumerate(flags, 1):
        found = "; ".join(
            f"{_trigger(ctx, t.item, t.label)}: {ctx.user(t.value)}" if t.value else _trigger(ctx, t.item, t.label)
            for t in flag.triggered_by
        )
        block: list[Flowable] = [
            Paragraph(
                f"<b>Red flag {n} of {len(flags)} · {escape(TIER_WORDS[flag.tier])}:</b> {markup(flag.title)}",
                st.flag_title,
            ),
            ctx.p(flag.action, st.box_text, label="Action:"),
        ]
        if found:
            block.append(ctx.p(found, st.box_text, label="Found:"))
        block.append(ctx.why(flag.reason, flag.references, flag.id))
        rows.append([block])
    if any(not h.forbidden for h in a.held_back):
        held = " ".join(f"Held back {line}." for line in held_back_lines(a.held_back))
        rows.append([ctx.p(held, st.box_text)])
    for d in a.do_not:
        rows.append([ctx.p(f"{d.label}: {d.why} ({do_not_holders(d)})", st.box_text, label="Do not")])
    rows.append([ctx.p(working_diagnosis(ctx), st.box_text, label="Working diagnosis:")])
    decided = decided_lines(ctx)
    plan_text = "<br/>".join(f"• {markup(ctx.user(line))}" for line in decided) or escape(
        "no decision recorded yet (protocol suggestions are in the appendix)"
    )
    rows.append([Paragraph(f"<b>Plan decided</b><br/>{plan_text}", st.box_text)])
    box = Table(rows, colWidths=[ctx.width])
    style = [
        ("BOX", (0, 0), (-1, -1), 1.6, fill),
        ("BACKGROUND", (0, 0), (0, 0), fill),
        ("LINEBELOW", (0, 1), (-1, -2), 0.4, GRID),
        ("LEFTPADDING", (0, 0), (-1, -1), 6),
        ("RIGHTPADDING", (0, 0), (-1, -1), 6),
        ("TOPPADDING", (0, 0), (-1, -1), 3.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    box.setStyle(TableStyle(style))
    return [box]


def subjective(ctx: NoteContext, s: Sorted, title: str = "Subjective") -> list[Flowable]:
    st = ctx.st
    out = heading(ctx, title)
    if ctx.encounter.chief_complaint.strip():
        out.append(ctx.p(ctx.encounter.chief_complaint, st.body, label="Presenting complaint:", user=True))
    rows = [[Paragraph("<b>History</b>", st.cell_head), Paragraph("<b>Recorded</b>", st.cell_head)]]
    for item_id, item, finding in s.history:
        if finding.kind == "yes_no":
            continue
        value = finding_text(finding, item)
        rows.append([ctx.p(marked(item.label if item else item_id, finding), st.cell),
                     ctx.p(value, st.cell, user=True)])
    groups = yes_no_groups(s.history)
    for key, label in (("yes", "Reported"), ("no", "Denied"), ("screen", "No (all-negative screen)"),
                       ("unknown", "Unsure / unknown")):
        if groups[key]:
            rows.append([Paragraph(f"<b>{label}</b>", st.cell), ctx.p("; ".join(groups[key]), st.cell)])
    if len(rows) > 1:
        table = Table(rows, colWidths=ctx.cols(55 * mm, None), repeatRows=1)
        table.setStyle(grid_table_style())
        out.append(table)
    elif not ctx.encounter.chief_complaint.strip():
        out.append(ctx.p("No history recorded.", st.body))
    out += scores(ctx)
    return out


def scores(ctx: NoteContext) -> list[Flowable]:
    st = ctx.st
    if not ctx.assessment.scores:
        return []
    rows = [[Paragraph(f"<b>{h}</b>", st.cell_head) for h in ("Outcome score", "Result", "Band", "Completeness")]]
    mcids: list[Flowable] = []
    for sc in ctx.assessment.scores:
        if sc.value is None:
            result = "not computed"
        else:
            result = f"{sc.value:g} / {sc.maximum:g}" + (f" ({sc.percent:g}%)" if sc.percent is not None else "")
        complete = f"{sc.answered} of {sc.total} answered" + (f"; {sc.note}" if sc.note else "")
        if sc.mcid:
            mcids.append(ctx.p(f"{sc.title}: {sc.mcid}", st.small, label="Minimal clinically important change,"))
        rows.append(
            [
                Paragraph(markup(score_label(ctx.encounter, ctx.library, sc.id, sc.title))
                          + ctx.citations.mark(sc.references), st.cell),
                ctx.p(result, st.cell_bold),
                ctx.p(sc.band or "–", st.cell),
                ctx.p(complete, st.cell),
            ]
        )
    table = Table(rows, colWidths=ctx.cols(48 * mm, 28 * mm, 40 * mm, None), repeatRows=1)
    table.setStyle(grid_table_style())
    return [*subheading(ctx, "Outcome scores"), table, *mcids]


def notes(ctx: NoteContext) -> list[Flowable]:
    """The clinician's free text, one flowable per line so a long note flows over many pages."""
    text = ctx.encounter.notes.strip()
    out = heading(ctx, "Clinician's notes")
    if not text:
        return [*out, ctx.p("None recorded.", ctx.st.body)]
    for line in text.split("\n"):
        out.append(ctx.p(line, ctx.st.note, user=True) if line.strip() else Spacer(1, 2 * mm))
    return out
