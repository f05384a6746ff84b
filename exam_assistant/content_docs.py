"""Generate docs/clinical-content.md from the loaded packs, so the document can never drift."""

from __future__ import annotations

from exam_assistant.library import Library
from exam_assistant.protocol import Evidence, Rule


def _evidence_line(ev: Evidence) -> str:
    parts = []
    for name, fig in (("sens", ev.sensitivity), ("spec", ev.specificity), ("LR+", ev.lr_positive),
                      ("LR−", ev.lr_negative)):
        if fig is not None:
            parts.append(f"{name} {fig.text()}")
    flag = "" if ev.verification == "primary" else f" **{ev.verification}**"
    return f"{', '.join(parts)} — {ev.population} [{', '.join(ev.references)}]{flag}"


def _effect_summary(rule: Rule) -> str:
    eff = rule.effect
    kind = eff.type
    detail = {
        "red_flag": lambda: f"{getattr(eff, 'tier', '')}",
        "differential": lambda: f"{getattr(eff, 'diagnosis', '')} {getattr(eff, 'weight', 0):+g}"
                                + (", supporting only" if getattr(eff, "supporting", False) else ""),
        "suggest_protocol": lambda: f"→ {getattr(eff, 'protocol', '')}",
    }.get(kind, lambda: "")()
    return f"{kind} {detail}".strip()


def clinical_content_markdown(lib: Library) -> str:
    out = [
        "# Clinical content",
        "",
        "Generated from the protocol packs by `exam-assistant protocols docs`; a test fails when this file",
        "and the packs disagree. Figures marked **secondary** were read only in a secondary source, and",
        "**unverified** ones could not be checked; both are shown with that mark in the app and the note.",
        "",
    ]
    for loaded in lib.ordered_packs():
        pack = loaded.pack
        reviewers = ", ".join(pack.reviewers) or "not yet clinically reviewed"
        out += [f"## {pack.title} (`{pack.id}` {pack.version})", "", pack.description.strip(), "",
                f"Authors: {', '.join(pack.authors)}. Reviewers: {reviewers}. Licence: {pack.licence}.", ""]
        for section in pack.sections:
            out += [f"### {section.title}", ""]
            for item in section.items:
                refs = ", ".join(item.references)
                out.append(f"- `{item.id}` — {item.label} ({item.answer})" + (f" [{refs}]" if refs else ""))
                for ev in item.evidence:
                    out.append(f"  - {ev.target}: {_evidence_line(ev)}")
            out.append("")
        if pack.rules:
            out += ["### Rules", ""]
            for rule in pack.rules:
                out.append(f"- `{rule.id}` — {rule.title} ({_effect_summary(rule)}) [{', '.join(rule.references)}]")
            out.append("")
        if pack.scores:
            out += ["### Scores", ""]
            for score in pack.scores:
                text = "item wording included" if score.item_text_included else "item wording not shipped"
                out.append(f"- `{score.id}` — {score.title}: {score.licence} ({text}) [{', '.join(score.references)}]")
            out.append("")
        if pack.diagnoses:
            out += ["### Diagnoses", ""]
            for dx in pack.diagnoses:
                out.append(f"- `{dx.id}` — {dx.name} ({dx.default_tier}) [{', '.join(dx.references)}]")
            out.append("")
        if pack.conditions:
            out += ["### Condition guide", ""]
            for entry in pack.conditions:
                statements = list(entry.statements())
                unsure = sum(1 for st in statements if st.uncertain)
                keys = sorted({k for st in statements for k in st.references})
                out.append(f"- `{entry.diagnosis}` ({entry.region}) — {len(statements)} statements, {unsure} marked "
                           f"uncertain [{', '.join(keys)}]")
            out.append("")
    out += ["## References", ""]
    for key in sorted(lib.references):
        ref = lib.references[key]
        where = (ref.doi and f"doi:{ref.doi}") or ref.url or ""
        out.append(f"- **{key}** — {ref.citation} {where}".rstrip())
    return "\n".join(out) + "\n"
