"""The assessment as plain text for the terminal: red flags first, always."""

from __future__ import annotations

from exam_assistant.engine.assessment import Assessment
from exam_assistant.library import Library


def _pct(p: float | None) -> str:
    return "–" if p is None else f"{p * 100:.0f}%"


def assessment_text(a: Assessment, lib: Library) -> str:
    lines = [f"URGENCY: {a.urgency}", a.headline, ""]
    if a.red_flags:
        lines.append("RED FLAGS")
        for f in a.red_flags:
            found = "; ".join(f"{t.label}: {t.value}" for t in f.triggered_by)
            lines += [f"  [{f.tier}] {f.title} ({f.id})", f"      action: {f.action}", f"      because: {found}"]
        lines.append("")
    for c in a.clusters:
        post = f", post-test {_pct(c.posttest_probability)} from pre-test {_pct(c.pretest_probability)}" \
            if c.posttest_probability is not None else ""
        lines.append(f"CLUSTER {c.title}: {c.positive}/{c.total} positive, {c.not_tested} not tested{post}")
        lines.append(f"      {c.interpretation}")
    for d in a.decisions:
        lines.append(f"RULE {d.title}: {d.outcome or 'incomplete: ' + ', '.join(d.missing)}")
    for s in a.scores:
        value = "–" if s.value is None else f"{s.value:g}/{s.maximum:g}"
        band = f" {s.band}" if s.band else ""
        note = f" ({s.note})" if s.note else ""
        lines.append(f"SCORE {s.title}: {value}{band}{note}")
    if a.level:
        lines.append(f"LEVEL {a.level.level} {a.level.side} ({a.level.confidence})")
    if a.differential:
        lines.append("DIFFERENTIAL")
        for i, dx in enumerate(a.differential[:8], 1):
            lines.append(f"  {i}. {dx.name} (score {dx.score:g})")
    if a.imaging:
        lines.append("IMAGING")
        for im in a.imaging:
            first = im.first.study if im.first else f"no imaging now; review in {im.review_in_weeks} week(s)"
            lines.append(f"  {first} — {im.scenario}")
    if a.treatment:
        lines.append("TREATMENT")
        for t in a.treatment:
            lines.append(f"  {t.title}")
            for step in t.steps:
                lines.append(f"    - [{step.stage}] {step.text}")
    if a.references:
        lines.append("REFERENCES")
        for key in a.references:
            ref = lib.references.get(key)
            lines.append(f"  [{key}] {ref.citation if ref else key}")
    return "\n".join(lines)
