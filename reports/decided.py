"""The plan as the clinician decided it: what was accepted, changed or added, and one compact
line for each suggestion not taken, with its reason (the medico-legal record).

The protocol suggestions themselves, with their evidence tables, are in the appendix.
"""

from __future__ import annotations

from reportlab.platypus import Flowable

from exam_assistant.decision_models import Decisions, Prescription
from exam_assistant.suggestions import Suggestion, suggestions
from reports.brief import done_protocols
from reports.context import NoteContext
from reports.sections import heading, subheading

SHORT = 160


def _short(text: str) -> str:
    """The first sentence (at most ~160 characters); the full text stays in the appendix."""
    first = text.split(". ")[0].rstrip(".")
    return first if len(first) <= SHORT else first[: SHORT - 1].rsplit(" ", 1)[0] + "…"


def rx_line(rx: Prescription) -> str:
    return f"{rx.drug} {rx.dose} {rx.route}, {rx.frequency}, for {rx.duration}"


def _suggestion_titles(ctx: NoteContext) -> dict[str, Suggestion]:
    found = {s.id: s for s in suggestions(ctx.assessment, done_protocols(ctx))}
    for sp in ctx.assessment.suggested_protocols:  # named by their pack title on the note
        loaded = ctx.library.packs.get(sp.protocol)
        key = f"exam:{sp.protocol}"
        if loaded is not None and key in found:
            found[key] = Suggestion(key, "examination", f"Examine: {loaded.pack.title}", found[key].text)
    return found


def decided_lines(ctx: NoteContext) -> list[str]:
    """One line per decision taken or thing added, in the order a reader acts on them."""
    d: Decisions = ctx.encounter.decisions
    known = _suggestion_titles(ctx)
    lines: list[str] = []
    for dec in d.suggestions:
        sug = known.get(dec.suggestion)
        title = sug.title if sug else dec.suggestion
        if dec.status == "accepted":
            lines.append(f"{title}: {_short(sug.text) if sug else 'as suggested'}")
        elif dec.status == "changed":
            lines.append(f"{title}: changed to {dec.change}" + (f" ({dec.reason})" if dec.reason else ""))
    lines += [f"Prescribed: {rx_line(rx)}" for rx in d.prescriptions]
    lines += [
        f"Imaging requested: {r.study} ({r.urgency})" + (f", {r.reason}" if r.reason else "")
        for r in d.imaging_requests
    ]
    lines += [f"Referred to {r.to} ({r.urgency})" + (f", {r.reason}" if r.reason else "") for r in d.referrals]
    lines += [f"Advice given: {a}" for a in d.advice]
    if d.follow_up is not None:
        lines.append(f"Follow-up: {ctx.day(d.follow_up)}")
    return lines


def not_taken_lines(ctx: NoteContext) -> list[str]:
    known = _suggestion_titles(ctx)
    out: list[str] = []
    for dec in ctx.encounter.decisions.suggestions:
        if dec.status != "declined":
            continue
        sug = known.get(dec.suggestion)
        what = f"{sug.title}: {_short(sug.text)}" if sug else dec.suggestion
        out.append(f"{what}. Reason: {dec.reason or 'none given'}")
    return out


def undecided(ctx: NoteContext) -> list[Suggestion]:
    answered = {d.suggestion for d in ctx.encounter.decisions.suggestions}
    return [s for s in _suggestion_titles(ctx).values() if s.id not in answered]


def plan_brief(ctx: NoteContext) -> list[Flowable]:
    st = ctx.st
    d = ctx.encounter.decisions
    out = heading(ctx, "Plan")
    decided = decided_lines(ctx)
    if decided:
        out += [ctx.p(line, st.body, label="•", user=True) for line in decided]
    else:
        out.append(ctx.p("No decision recorded on this note.", st.body))
    if d.shared_decision.strip():
        out.append(ctx.p(d.shared_decision, st.body, label="Shared decision:", user=True))
    declined = not_taken_lines(ctx)
    if declined:
        out += subheading(ctx, "Suggestions not taken")
        out += [ctx.p(line, st.small, label="Declined:", user=True) for line in declined]
    open_ones = undecided(ctx)
    if open_ones:
        out.append(
            ctx.p(
                f"{len(open_ones)} protocol suggestion{'s' * (len(open_ones) != 1)} not decided on this note; "
                "all suggestions, with their evidence, are in the appendix.",
                st.small,
            )
        )
    safety = [step for p in ctx.assessment.treatment for step in p.steps if step.stage == "safety_net"]
    if safety:
        out += subheading(ctx, "Safety-netting")
        out += [ctx.p(step.text, st.body, label="•") for step in safety]
    further = [s for s in open_ones if s.kind == "examination"]
    if further:
        out += subheading(ctx, "Further examination not yet done")
        out += [ctx.p(f"{s.title}: {s.text}", st.small, label="•") for s in further]
    return out
