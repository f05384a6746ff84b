"""``ui/outside.outside_view``: a block's answer stays in its fragment only when nothing drawn
outside the block changes (decision 41).

The invariant a clinician depends on: whenever the view says "unchanged" (no page run), the
urgency, every red flag, "Ask next", the contraindications and the names at the top of the
differential are unchanged too. Checked for every yes/no history question answered "yes" and
"no", alone and on top of an arm-symptom history, so a new element or a new pack that slips
past the view fails here.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from exam_assistant.engine.assess import assess
from exam_assistant.engine.assessment import Assessment
from exam_assistant.library import cached_library
from exam_assistant.models import Clinician, Encounter, Patient, YesNo
from exam_assistant.ui.outside import outside_view
from exam_assistant.ui.widgets.ask_next import TOP_ITEMS, TOP_QUESTIONS
from exam_assistant.ui.widgets.live_panel import TOP_DIFFERENTIAL

LIB = cached_library()
ARM = {"history.below_elbow": "yes", "history.paraesthesia": "yes", "history.positional_arm_symptoms": "yes"}


def encounter(answers: dict[str, str]) -> Encounter:
    return Encounter(
        patient=Patient(name="Out Side", date_of_birth=date(1970, 5, 1), sex="female"),
        clinician=Clinician(name="Dr Grey"),
        findings={k: YesNo(value=v) for k, v in answers.items()},  # type: ignore[arg-type]
    )


def safety(a: Assessment) -> tuple[object, ...]:
    return (
        a.urgency, a.stop_examination,
        [(f.id, f.tier) for f in a.red_flags],
        # "Ask next" draws the most urgent few, each with its first few items
        [(q.rule, [i.item for i in q.items[:TOP_ITEMS]]) for q in a.open_questions[:TOP_QUESTIONS]],
        [(c.id, c.item) for c in a.contraindications],
        [d.id for d in a.differential[:TOP_DIFFERENTIAL]],
        [d.id for d in a.do_not],
    )


YES_NO = sorted(i.id for i in LIB.items.values() if i.id.startswith("history.") and i.answer == "yes_no")


@pytest.mark.parametrize("base", [{}, ARM], ids=["empty", "arm_symptoms"])
def test_an_answer_kept_in_its_block_never_changes_what_is_drawn_outside(base: dict[str, str]) -> None:
    before = encounter(base)
    a0 = assess(before, LIB)
    view0 = outside_view(before, a0, LIB)
    kept = widened = 0
    for item_id in YES_NO:
        if item_id in base:
            continue
        for value in ("yes", "no"):
            after = encounter({**base, item_id: value})
            a1 = assess(after, LIB)
            if outside_view(after, a1, LIB) == view0:
                kept += 1
                assert safety(a1) == safety(a0), f"{item_id} = {value} changes the safety view without a page run"
            else:
                widened += 1
    # the mechanism must do both: keep most plain answers in their block, widen the rest
    assert kept > 0 and widened > 0, (kept, widened)


def test_a_red_flag_answer_always_widens_to_the_page() -> None:
    before = encounter(ARM)
    after = encounter({**ARM, "history.abrupt_severe_pain": "yes"})
    a0, a1 = assess(before, LIB), assess(after, LIB)
    assert a1.urgency == "EMERGENCY"
    assert outside_view(after, a1, LIB) != outside_view(before, a0, LIB)


def test_the_live_panel_shows_names_in_rank_order_without_counts() -> None:
    from exam_assistant.ui.widgets.live_panel import live_lines

    enc = encounter(ARM)
    a = assess(enc, LIB)
    text = "\n".join(t for _, t in live_lines(enc, a))
    many = len(a.differential)
    assert (f"Differential (top 3 of {many})" if many > 3 else "**Differential**") in text
    names = [d.name for d in a.differential[:3]]
    assert all(n in text for n in names)
    assert " for, " not in text  # the counts moved on nearly every answer (decision 41)


def test_the_live_panel_names_a_cluster_count_once() -> None:
    """"3 of 4 positive · 3 of 4 positive" said the same twice when the band is the count."""
    import yaml

    from exam_assistant.ui.widgets.live_panel import cluster_line

    vignette = Path(__file__).resolve().parents[1] / "vignettes" / "b_c6_radiculopathy.yaml"
    enc = Encounter.model_validate(yaml.safe_load(vignette.read_text(encoding="utf-8"))["encounter"])
    clusters = assess(enc, LIB).clusters
    assert any(c.band for c in clusters), "the C6 vignette has a cluster with a band"
    for c in clusters:
        line = cluster_line(c)
        count = line.split("**: ", 1)[1].split(" · ")[0]
        assert line.count(count) == 1, line


def test_a_final_note_has_no_ask_next_in_the_live_panel() -> None:
    """A signed note takes no more answers, so the panel does not ask for any."""
    from exam_assistant.ui.widgets.live_panel import live_lines

    draft = encounter(ARM)
    a = assess(draft, LIB)
    assert a.open_questions, "the arm history leaves red-flag questions open"
    assert any("Ask next" in t for _, t in live_lines(draft, a))
    final = draft.model_copy(update={"status": "final"})
    assert not any("Ask next" in t for _, t in live_lines(final, a))


def test_answering_the_last_unanswered_screen_question_widens_so_the_no_button_goes() -> None:
    """The red-flag screen's "No to every unanswered question" sits outside the blocks: when an
    answer in a block leaves nothing for it to fill, the page run takes the button away (no
    button that does nothing)."""
    from exam_assistant.ui import steps
    from exam_assistant.ui.findings import normal_changes
    from exam_assistant.ui.outside import step_shortcut_fills

    screen = tuple(i.id for i in steps.red_flag_screen(LIB))
    base = encounter(ARM)
    filled = normal_changes(dict(base.findings), screen, LIB, {}, True)
    last = next(iter(filled))
    almost = base.model_copy(update={"findings": {**base.findings, **{k: v for k, v in filled.items() if k != last}}})
    done = base.model_copy(update={"findings": {**base.findings, **filled}})
    a_almost, a_done = assess(almost, LIB), assess(done, LIB)
    assert step_shortcut_fills(almost, a_almost, LIB, steps.HISTORY) is True
    assert step_shortcut_fills(done, a_done, LIB, steps.HISTORY) is False
    assert outside_view(almost, a_almost, LIB, steps.HISTORY) != outside_view(done, a_done, LIB, steps.HISTORY)
    assert step_shortcut_fills(done, a_done, LIB, steps.SUMMARY) is None  # no such button there
