"""Objective: the table of tests, the neuro screen by level with its figure, clusters and decision rules."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table

from exam_assistant.engine.describe import finding_text
from exam_assistant.models import Finding, Mrc, Reflex, Sensation
from exam_assistant.previsit.confirm import marked
from exam_assistant.protocol import Item
from reports.context import NoteContext
from reports.figure import figure_flowable, marks_from
from reports.findings import Sorted, criteria_cell, interpretation, neuro_levels, side_cell
from reports.flowables import Paragraph
from reports.sections import heading, subheading
from reports.styles import ABNORMAL_FILL, NO_ITEM_FILL, grid_table_style
from reports.text import escape, markup

REFLEX_SHORT = {0: "0 absent", 1: "1+ reduced", 2: "2+ normal", 3: "3+ brisk", 4: "4+ clonus"}


def _head(ctx: NoteContext, *titles: str) -> list[Flowable]:
    return [Paragraph(f"<b>{escape(t)}</b>", ctx.st.cell_head) for t in titles]


def objective(ctx: NoteContext, s: Sorted, title: str = "Objective") -> list[Flowable]:
    out = heading(ctx, title)
    out += tests_table(ctx, s)
    out += other_findings(ctx, s)
    out += neuro_screen(ctx, s)
    out += clusters(ctx)
    out += decisions(ctx)
    return out


def tests_table(ctx: NoteContext, s: Sorted) -> list[Flowable]:
    st = ctx.st
    rows: list[list[Flowable]] = [_head(ctx, "Test", "Left", "Right", "Positive criterion used", "Interpretation")]
    abnormal: list[int] = []
    for item_id, item, test in s.tests:
        label = item.label if item else item_id
        verdict = interpretation(test, item)
        if verdict.startswith("Positive"):
            abnormal.append(len(rows))
        rows.append(
            [
                ctx.p(label, st.cell),
                side_cell(test.left),
                side_cell(test.right),
                ctx.p(criteria_cell(test, item), st.cell, user=True),
                ctx.p(verdict, st.cell_bold if verdict.startswith("Positive") else st.cell),
            ]
        )
    tested = {item_id for item_id, _, _ in s.tests}
    # Tests not done because a rule contraindicates them: one line per reason, not a row each.
    by_reason: dict[str, tuple[list[str], list[str]]] = {}
    for c in ctx.assessment.contraindications:
        if c.item in tested:
            continue
        item = ctx.library.items.get(c.item)
        names, refs = by_reason.setdefault(c.why, ([], []))
        names.append(item.label if item else c.item)
        refs += c.references
    not_done = [
        Paragraph(
            f"<b>Not performed:</b> {markup('; '.join(names))}. <b>Contraindicated:</b> {markup(why)}"
            f"{ctx.citations.mark(refs)}",
            st.body,
        )
        for why, (names, refs) in by_reason.items()
    ]
    if len(rows) == 1:
        return [*subheading(ctx, "Tests"), *(not_done or [ctx.p("No provocative or special tests recorded.", st.body)])]
    table = Table(rows, colWidths=ctx.cols(40 * mm, 20 * mm, 20 * mm, None, 40 * mm), repeatRows=1)
    style = grid_table_style()
    for r in abnormal:
        style.add("BACKGROUND", (4, r), (4, r), ABNORMAL_FILL)
    table.setStyle(style)
    return [*subheading(ctx, "Tests"), table, *not_done]


def other_findings(ctx: NoteContext, s: Sorted) -> list[Flowable]:
    if not s.other:
        return []
    st = ctx.st
    rows = [_head(ctx, "Sign or measurement", "Recorded")]
    for item_id, item, finding in s.other:
        label = marked(item.label if item else f"{item_id} (not in the loaded protocols)", finding)
        rows.append([ctx.p(label, st.cell), ctx.p(finding_text(finding, item), st.cell, user=True)])
    table = Table(rows, colWidths=ctx.cols(70 * mm, None), repeatRows=1)
    table.setStyle(grid_table_style())
    return [*subheading(ctx, "Signs and measurements"), table]


def grade_cell(item: Item, finding: Finding | None, side: str) -> tuple[str, bool]:
    """Cell text for one item on one side, and whether it is abnormal."""
    if finding is None:
        return "–", False
    if isinstance(finding, Sensation):
        value = getattr(finding, side)
        return ("–" if value == "not_tested" else value), value in ("reduced", "absent")
    if isinstance(finding, Mrc):
        grade = getattr(finding, side)
        return ("–" if grade is None else f"{grade}/5"), grade is not None and grade < 5
    if isinstance(finding, Reflex):
        grade = getattr(finding, side)
        return ("–" if grade is None else REFLEX_SHORT[grade]), grade is not None and grade != 2
    return finding_text(finding, item), False


def neuro_screen(ctx: NoteContext, s: Sorted) -> list[Flowable]:
    st = ctx.st
    levels = neuro_levels(s)
    if not levels:
        return []
    head = _head(
        ctx, "Level (key muscle · reflex)", "Sensation L", "Sensation R", "Power L", "Power R", "Reflex L", "Reflex R"
    )
    rows: list[list[Flowable | str]] = [head]
    marked: list[tuple[int, int]] = []
    absent: list[tuple[int, int]] = []
    any_recorded = False
    for level in levels:
        names = [i.label for m in ("power", "reflex") for i, _ in s.neuro.get((level, m), [])]
        cells: list[Flowable | str] = [
            Paragraph(
                f"<b>{level}</b>" + (f" <font size=6.6>{markup(' · '.join(names))}</font>" if names else ""), st.cell
            )
        ]
        for modality in ("sensation", "power", "reflex"):
            entries = s.neuro.get((level, modality), [])
            for side in ("left", "right"):
                texts, bad = [], False
                for item, finding in entries:
                    text, abnormal = grade_cell(item, finding, side)
                    any_recorded |= finding is not None
                    texts.append(text)
                    bad |= abnormal
                cell = " / ".join(texts) if texts else ""
                if not entries:
                    absent.append((len(cells), len(rows)))
                if bad:
                    marked.append((len(cells), len(rows)))
                    cell = f"▼ {cell}"
                cells.append(cell)
        rows.append(cells)
    if not any_recorded:
        return [*subheading(ctx, "Neurological screen"), ctx.p("Not recorded.", st.body)]
    first = 46 * mm
    table = Table(rows, colWidths=[first] + [(ctx.width - first) / 6] * 6, repeatRows=1)
    style = grid_table_style()
    for col, row in absent:
        style.add("BACKGROUND", (col, row), (col, row), NO_ITEM_FILL)
    for col, row in marked:
        style.add("BACKGROUND", (col, row), (col, row), ABNORMAL_FILL)
        style.add("FONTNAME", (col, row), (col, row), ctx.st.cell_bold.fontName)
    table.setStyle(style)
    legend = ctx.p(
        "▼ marks an abnormal finding (reduced or absent sensation, power below 5/5, reflex other than 2+); "
        "– not tested; grey: no test at that level. Left and right are the patient's.",
        st.small,
    )
    figure = figure_flowable(marks_from(ctx.encounter, ctx.library))
    return [
        *subheading(ctx, "Neurological screen by level"),
        table,
        legend,
        Spacer(1, 1.5 * mm),
        KeepTogether([figure]),
    ]


def clusters(ctx: NoteContext) -> list[Flowable]:
    st = ctx.st
    if not ctx.assessment.clusters:
        return []
    out: list[Flowable] = [*subheading(ctx, "Test clusters")]
    rows = [_head(ctx, "Cluster", "Positive", "Result", "Probability", "Interpretation")]
    notes: list[Flowable] = []
    for c in ctx.assessment.clusters:
        count = f"{c.positive} of {c.total}" + (f"; {c.not_tested} not tested" if c.not_tested else "")
        result = c.band or (
            "positive" if c.called_positive else "not met" if c.called_positive is False else "incomplete"
        )
        if c.posttest_probability is not None and c.pretest_probability is not None:
            lr = c.lr_positive if c.lr_positive is not None else c.lr_negative
            prob = f"{c.pretest_probability * 100:.0f}% before → <b>{c.posttest_probability * 100:.0f}%</b> after" + (
                f" (LR {lr:g})" if lr is not None else ""
            )
        else:
            prob = "not estimated"
        if c.verification != "primary":
            prob += (
                f"; figures from a {c.verification} source" if c.verification == "secondary" else "; figures unverified"
            )
        rows.append(
            [
                Paragraph(markup(c.title) + ctx.citations.mark(c.references), st.cell),
                ctx.p(count, st.cell),
                ctx.p(result, st.cell_bold),
                Paragraph(prob, st.cell),
                ctx.p(c.interpretation, st.cell),
            ]
        )
        extra: list[str] = []
        readable = c.band is not None or bool(c.called_positive)
        if c.positive_items and readable:
            extra.append(f"positive items: {', '.join(c.positive_items)}")
        if c.pretest_source and c.posttest_probability is not None:
            extra.append(f"pre-test probability from {c.pretest_source}")
        if c.caveat and readable:
            extra.append(f"caveat: {c.caveat.rstrip('. ')}")
        if extra:
            notes.append(ctx.p("; ".join(e.rstrip(". ") for e in extra) + ".", st.small, label=f"{c.title}:"))
    table = Table(rows, colWidths=ctx.cols(38 * mm, 22 * mm, 26 * mm, 38 * mm, None), repeatRows=1)
    table.setStyle(grid_table_style())
    return [*out, table, *notes]


def decisions(ctx: NoteContext) -> list[Flowable]:
    st = ctx.st
    if not ctx.assessment.decisions:
        return []
    rows = [_head(ctx, "Decision rule or score", "Outcome", "Still needed")]
    for d in ctx.assessment.decisions:
        outcome = d.outcome or "incomplete"
        if d.score is not None:
            outcome = f"{d.score:g} point(s): {outcome}"
        rows.append(
            [
                Paragraph(markup(d.title) + ctx.citations.mark(d.references), st.cell),
                ctx.p(outcome, st.cell_bold),
                ctx.p(", ".join(d.missing) or "–", st.cell),
            ]
        )
    table = Table(rows, colWidths=ctx.cols(55 * mm, None, 50 * mm), repeatRows=1)
    table.setStyle(grid_table_style())
    return [*subheading(ctx, "Decision rules"), table]
