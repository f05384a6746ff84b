"""The short note: page 1 carries urgency, red flags, working diagnosis and the decided plan; a
negative screen is one line; findings sit under who reported them; an appendix holds the rest."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from exam_assistant.cli import main
from exam_assistant.decision_models import Decisions, Prescription, Referral, SuggestionDecision
from exam_assistant.engine.assess import assess
from exam_assistant.library import Library
from exam_assistant.suggestions import suggestions
from tests.reports.conftest import EXAMPLES, Render, example, finalised, save_artifact
from tests.reports.pdftext import pages_text, squashed


def _appendix_page(pages: list[str]) -> int:
    """The 1-based page whose text has the line 'Appendix' (the heading, not a mention)."""
    return next(n for n, text in enumerate(pages, 1) if "Appendix" in text.splitlines())


def test_the_c6_note_from_the_cli_has_its_appendix_on_page_4_or_earlier(tmp_path: Path) -> None:
    out = tmp_path / "note.pdf"
    assert main(["export", "pdf", str(EXAMPLES / "c6_radiculopathy.json"), "-o", str(out)]) == 0
    pages = pages_text(out.read_bytes())
    assert _appendix_page(pages) <= 4
    assert "Red-flag screen negative:" in pages[0]  # no flag raised: the screen is one line
    assert all("Appendix" not in text.splitlines() for text in pages[: _appendix_page(pages) - 1])


def test_page_one_has_urgency_working_diagnosis_and_the_decided_plan(render: Render, library: Library) -> None:
    encounter = finalised(example("c6_radiculopathy"))
    imaging = assess(encounter, library).imaging[0].id
    decisions = Decisions(
        suggestions=[SuggestionDecision(suggestion=imaging, kind="imaging", status="accepted")],
        prescriptions=[Prescription(drug="Naproxen", dose="250 mg", route="oral", frequency="twice daily",
                                    duration="10 days")],
        referrals=[Referral(to="Physiotherapy", reason="neck and arm exercises")],
        follow_up=date(2026, 6, 1),
    )
    pdf = render(encounter.model_copy(update={"decisions": decisions}))
    save_artifact("c6_decided", pdf)
    first = squashed(pages_text(pdf)[0])
    for expected in ("URGENCY: ROUTINE", "Working diagnosis: Cervical radiculopathy", "Plan decided",
                     "Prescribed: Naproxen 250 mg oral, twice daily, for 10 days", "Referred to Physiotherapy",
                     "Follow-up: 2026-06-01"):
        assert squashed(expected) in first, expected


def test_a_negative_screen_is_one_line_and_the_denied_list_is_in_the_appendix(render: Render) -> None:
    pages = pages_text(render(example("neck_pain_normal_exam")))
    start = _appendix_page(pages)
    short, appendix = "\n".join(pages[: start - 1]), "\n".join(pages[start - 1 :])
    assert "Red-flag screen negative:" in pages[0] and "listed in the appendix" in pages[0]
    assert "Denied" in appendix and "Fever, rigors" in appendix
    assert "Fever, rigors" not in short  # the wall of denied items is gone from the short note


def test_each_finding_sits_under_who_reported_it(render: Render) -> None:
    """'No other condition explains the symptoms better' is the clinician's judgement, not the patient's."""
    pages = pages_text(render(example("tos_neurogenic")))
    short = squashed("\n".join(pages[: _appendix_page(pages) - 1]))
    patient, exam, judgement = (short.index(squashed(h)) for h in
                                ("Reported by the patient", "Examination", "Clinician judgement"))
    claim = short.index(squashed("No other condition explains the symptoms better"))
    assert patient < exam < judgement < claim


def test_declined_suggestions_are_one_line_each_with_the_reason(render: Render, library: Library) -> None:
    encounter = finalised(example("c6_radiculopathy"))
    step = next(s.id for s in suggestions(assess(encounter, library)) if s.kind == "treatment")
    decisions = Decisions(suggestions=[SuggestionDecision(suggestion=step, kind="treatment", status="declined",
                                                          reason="patient prefers no medicines")])
    pages = pages_text(render(encounter.model_copy(update={"decisions": decisions})))
    short = squashed("\n".join(pages[: _appendix_page(pages) - 1]))
    assert squashed("Suggestions not taken") in short
    assert squashed("Reason: patient prefers no medicines") in short


def test_further_examination_lists_only_protocols_not_done(render: Render, library: Library) -> None:
    encounter = example("c6_radiculopathy")
    result = assess(encounter, library)
    assert result.suggested_protocols  # the check below has something to check
    text = squashed("\n".join(pages_text(render(encounter))))
    for sp in result.suggested_protocols:
        title = squashed(library.packs[sp.protocol].pack.title + ":")
        done = any(i.id in encounter.findings for i in library.packs[sp.protocol].pack.items())
        assert (title in text) != done, sp.protocol


def test_bulk_no_answers_are_one_compact_line_and_marked_in_the_appendix(render: Render) -> None:
    """Answers from the all-negative screen button are counted in one line on the brief pages and listed in the
    appendix as 'No (all-negative screen)', apart from the questions asked one by one."""
    from exam_assistant.models import YesNo

    encounter = example("c6_radiculopathy")
    findings = dict(encounter.findings)
    findings["history.night_sweats"] = YesNo(value="no", screen=True)
    findings["history.malaise"] = YesNo(value="no", screen=True)
    pages = pages_text(render(encounter.model_copy(update={"findings": findings})))
    appendix = _appendix_page(pages)
    brief = squashed(" ".join(pages[: appendix - 1]))
    assert squashed("(2 by the all-negative screen)") in brief
    rest = squashed(" ".join(pages[appendix - 1:]))
    assert squashed("No (all-negative screen)") in rest


def test_tests_left_out_because_of_a_contraindication_are_counted_in_the_short_note(
    render: Render, library: Library
) -> None:
    encounter = example("trauma_fall_older_adult")
    barred = {c.item for c in assess(encounter, library).contraindications} - set(encounter.findings)
    assert barred
    pages = pages_text(render(encounter))
    short = squashed("\n".join(pages[: _appendix_page(pages) - 1]))
    assert squashed(f"Not performed: {len(barred)} tests contraindicated by the findings") in short
