"""The short part of the note, before the appendix: findings under who reported them, abnormal
first and normal ones in a line, the working diagnosis, and the plan as decided.

Everything left out here is in the appendix in full (``appendix.py``): the denied list, every
test row, the neurological table and figure, cluster and rule evidence, the full differential,
the protocol suggestions with their tables, and the references.
"""

from __future__ import annotations

from reportlab.platypus import Flowable

from exam_assistant.engine.describe import finding_text, side_text
from exam_assistant.models import Finding, SidedTest, YesNo
from exam_assistant.previsit.confirm import MARK, counts, is_pending, marked
from exam_assistant.protocol import Item
from reports.context import NoteContext
from reports.findings import Sorted, counts_positive, interpretation, neuro_levels, score_label
from reports.flowables import Paragraph
from reports.objective import grade_cell
from reports.sections import heading, subheading
from reports.text import markup

SOURCE_TITLES = {
    "patient": "Reported by the patient",
    "examination": "Examination",
    "clinician": "Clinician judgement",
    "laboratory": "Laboratory and other results",
}


def source_of(item: Item | None, finding: Finding) -> str:
    """Who reported a finding: the item says (questions: the patient; tests and signs: the examination)."""
    if item is None:
        return "examination"
    declared = getattr(item, "answered_by", None)  # packs may name the clinician or a laboratory
    if isinstance(declared, str) and declared in SOURCE_TITLES:
        return declared
    return "patient" if item.kind in ("question", "score_item") else "examination"


def done_protocols(ctx: NoteContext) -> frozenset[str]:
    """Protocols with at least one finding recorded: already examined, so never suggested again."""
    recorded = set(ctx.encounter.findings)
    return frozenset(
        pid for pid, loaded in ctx.library.packs.items() if any(i.id in recorded for i in loaded.pack.items())
    )


def screen_counts(ctx: NoteContext) -> tuple[int, int, int, int]:
    """(answered no, answered yes, unsure, not asked) over the red-flag screen's yes/no questions
    (its other items, such as the onset or a pain score, are findings like any other)."""
    from exam_assistant.ui.steps import red_flag_screen  # Streamlit-free: one definition of the screen

    no = yes = unsure = missing = 0
    for item in red_flag_screen(ctx.library):
        if item.answer != "yes_no":
            continue
        finding = ctx.encounter.findings.get(item.id)
        if finding is None:
            missing += 1
        elif isinstance(finding, YesNo) and finding.value in ("no", "yes"):
            no, yes = (no + 1, yes) if finding.value == "no" else (no, yes + 1)
        else:
            unsure += 1
    return no, yes, unsure, missing


def _bulk_answers(ctx: NoteContext) -> int:
    """How many "no" answers came from the all-negative screen button rather than one by one."""
    return sum(1 for f in ctx.encounter.findings.values() if isinstance(f, YesNo) and f.screen and f.value == "no")


def screen_line(ctx: NoteContext) -> str:
    no, yes, unsure, missing = screen_counts(ctx)
    if no + yes + unsure + missing == 0:
        return "Red-flag screen: the loaded protocols hold no screening questions."
    bulk = _bulk_answers(ctx)
    if not ctx.assessment.red_flags and unsure == 0 and no:
        # Negative: no flag raised and nothing left unsure. A "yes" that raised no flag on its own
        # (arm weakness without the other features) is a finding, printed under Findings.
        how = f" ({bulk} answered no (all-negative screen))" if bulk else ""
        text = f"Red-flag screen negative: {no} items{how}, listed in the appendix."
        if yes:
            text += f" {yes} answered yes without raising a red flag (under Findings)."
    else:
        listed = " (listed in the appendix)" if no else ""
        text = f"Red-flag screen: {no} answered no{listed}, {yes} yes, {unsure} unsure."
    if missing:
        text += f" {missing} not asked: unknown, not negative."
    return text


def _line(parts: list[str]) -> str:
    return "; ".join(p for p in parts if p)


def _abnormal_neuro(ctx: NoteContext, s: Sorted) -> tuple[list[str], list[str]]:
    """Abnormal levels, one phrase per level and side; and the levels found normal."""
    abnormal: list[str] = []
    normal: list[str] = []
    for level in neuro_levels(s):
        bad: list[str] = []
        recorded = False
        for modality in ("sensation", "power", "reflex"):
            for item, finding in s.neuro.get((level, modality), []):
                recorded |= finding is not None
                for side in ("left", "right"):
                    text, is_bad = grade_cell(item, finding, side)
                    if is_bad:
                        bad.append(f"{modality} {side} {text}")
        if bad:
            abnormal.append(f"{level}: {', '.join(bad)}")
        elif recorded:
            normal.append(level)
    return abnormal, normal


def findings_by_source(ctx: NoteContext, s: Sorted) -> list[Flowable]:
    """Findings under who reported them; positive and abnormal first, normal ones in one line."""
    st = ctx.st
    groups: dict[str, list[Flowable]] = {key: [] for key in SOURCE_TITLES}
    if ctx.encounter.chief_complaint.strip():
        groups["patient"].append(
            ctx.p(ctx.encounter.chief_complaint, st.body, label="Presenting complaint:", user=True)
        )
    reported: dict[str, list[str]] = {key: [] for key in SOURCE_TITLES}
    answers: dict[str, list[str]] = {key: [] for key in SOURCE_TITLES}
    denied = screened = denied_by_patient = 0
    for item_id, item, finding in s.history + s.other:
        source = source_of(item, finding)
        label = marked(item.label if item else f"{item_id} (not in the loaded protocols)", finding)
        if isinstance(finding, YesNo):
            if finding.value == "yes":
                reported[source].append(label)
            elif finding.value == "no":
                denied += 1
                screened += finding.screen
                denied_by_patient += is_pending(finding)
            continue
        answers[source].append(f"{label}: {ctx.user(finding_text(finding, item))}")
    for source in SOURCE_TITLES:
        if reported[source]:  # the patient says yes; an examiner or a laboratory finds a sign present
            label = "Yes:" if source in ("patient", "clinician") else "Present:"
            groups[source].append(ctx.p(_line(reported[source]), st.body, label=label))
        if answers[source]:
            groups[source].append(ctx.p(_line(answers[source]), st.body))
    if denied:
        groups["patient"].append(
            ctx.p(f"{denied} questions answered no"
                  + (f" ({screened} by the all-negative screen)" if screened else "")
                  + (f" ({denied_by_patient} {MARK}, not yet confirmed)" if denied_by_patient else "")
                  + "; listed in the appendix.", st.small, label="Denied:")
        )
    if line := previsit_line(ctx):
        groups["patient"].insert(0, ctx.p(line, st.small, label="Before the visit:"))
    scores = [
        f"{score_label(ctx.encounter, ctx.library, sc.id, sc.title)} {sc.value:g}/{sc.maximum:g}"
        + (f" ({sc.band})" if sc.band else "")
        for sc in ctx.assessment.scores
        if sc.value is not None
    ]
    if scores:
        groups["patient"].append(ctx.p(_line(scores), st.body, label="Scores:"))
    groups["examination"] += _examination(ctx, s)
    out = heading(ctx, "Findings")
    for source, flows in groups.items():
        if flows:
            out += [*subheading(ctx, SOURCE_TITLES[source]), *flows]
    return out


def previsit_line(ctx: NoteContext) -> str:
    """How many answers the patient gave before the visit, and how many the clinician confirmed.
    Only unconfirmed ones carry "(patient-reported)" after their label; "" when there were none."""
    confirmed, waiting = counts(ctx.encounter)
    if not confirmed + waiting:
        return ""
    total = confirmed + waiting
    text = f"{total} answer{'s' * (total != 1)} given by the patient in the pre-visit questionnaire; "
    text += f"{confirmed} confirmed with the patient by the clinician"
    if waiting:
        text += f", {waiting} not confirmed (marked patient-reported)"
    return text + "."


def _examination(ctx: NoteContext, s: Sorted) -> list[Flowable]:
    st = ctx.st
    positive: list[str] = []
    normal: list[str] = []
    other: list[str] = []
    for item_id, item, test in s.tests:
        label = item.label if item else item_id
        verdict = interpretation(test, item)
        sides = [(n, side) for n, side in (("left", test.left), ("right", test.right)) if counts_positive(side, item)]
        if sides:
            found = "; ".join(f"{n} {side_text(side, item)}" for n, side in sides)
            positive.append(f"{label}: {ctx.user(found)}")
        elif verdict == "Negative":
            normal.append(label)
        elif verdict != "Not tested":
            other.append(f"{label}: {verdict.lower()}")
    abnormal, normal_levels = _abnormal_neuro(ctx, s)
    out: list[Flowable] = []
    if positive:
        out.append(ctx.p(_line(positive), st.body, label="Positive:"))
    if abnormal:
        out.append(ctx.p(_line(abnormal), st.body, label="Abnormal neurology:"))
    if other:
        out.append(ctx.p(_line(other), st.body, label="Other:"))
    if normal or normal_levels:
        parts = [f"{', '.join(normal)} negative" if normal else ""]
        if normal_levels:
            parts.append(f"neurology normal at {', '.join(normal_levels)}")
        out.append(ctx.p(_line(parts), st.small, label="Normal:"))
    tested = {item_id for item_id, _, _ in s.tests}
    barred = sorted({c.item for c in ctx.assessment.contraindications if c.item not in tested})
    if barred:  # a test left out on purpose is a decision worth seeing without the appendix
        out.append(ctx.p(f"{len(barred)} test{'s' * (len(barred) != 1)} contraindicated by the findings; "
                         "which, and why, in the appendix.", st.small, label="Not performed:"))
    if any(isinstance(f, SidedTest) for f in ctx.encounter.findings.values()) or neuro_levels(s):
        out.append(ctx.p("Every test, the neurological table and figure are in the appendix.", st.small))
    return out


def working_diagnosis(ctx: NoteContext) -> str:
    a = ctx.assessment
    parts: list[str] = []
    if a.differential:
        parts.append(a.differential[0].name)
    if a.level is not None:
        parts.append(f"root level {a.level.level} {a.level.side} ({a.level.confidence})")
    return ", ".join(parts) if parts else "none ranked by the findings recorded"


def assessment_brief(ctx: NoteContext) -> list[Flowable]:
    st = ctx.st
    out = heading(ctx, "Assessment")
    out.append(ctx.p(working_diagnosis(ctx), st.body, label="Working diagnosis:"))
    others = [markup(e.name) + ctx.citations.mark(e.references) for e in ctx.assessment.differential[1:4]]
    if others:
        out.append(Paragraph("<b>Also considered:</b> " + "; ".join(others), st.body))
    for c in ctx.assessment.clusters:
        if c.band is not None or c.called_positive:
            post = f", post-test {c.posttest_probability * 100:.0f}%" if c.posttest_probability is not None else ""
            out.append(ctx.p(f"{c.title}: {c.positive} of {c.total} positive{post}", st.small, label="Cluster:"))
    out.append(ctx.p("The full differential with findings for and against is in the appendix.", st.small))
    return out
