"""The summary leads with what the clinician acts on; the path to the note is short and has keys.

Order: urgency and red flags (with "Do not" and the tests not to perform), the working
diagnosis, imaging and the plan; decision rules, clusters and scores after them, one line each
with their caveats and long explanations folded. Red flags and "Do not" lines are never inside
an expander.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from streamlit.elements.lib.shortcut_utils import normalize_shortcut
from streamlit.testing.v1 import AppTest

from exam_assistant.engine.assess import assess
from exam_assistant.library import cached_library
from exam_assistant.models import Clinician
from exam_assistant.store import EncounterRepository
from exam_assistant.ui import steps
from exam_assistant.ui.clinic_settings import save_signer, signer_path
from exam_assistant.ui.flow.progress import BACK_KEY, NEXT_KEY
from exam_assistant.ui.flow.summary import FINALISE
from exam_assistant.ui.widgets.urgency import TO_NOTE, TO_NOTE_KEY
from tests.ui.conftest import button, new_app, ok, page_text, plain, start_examination, stored_draft, widget

VIGNETTES = Path(__file__).resolve().parents[1] / "vignettes"


def findings(vignette: str) -> dict[str, Any]:
    data = yaml.safe_load((VIGNETTES / f"{vignette}.yaml").read_text(encoding="utf-8"))
    return dict(data["encounter"]["findings"])


def summary(store: EncounterRepository, vignette: str, chosen: set[str] | None = None) -> AppTest:
    encounter_id = stored_draft(store, findings=findings(vignette), chosen=chosen, step=steps.SUMMARY)
    return ok(new_app(query={"encounter": encounter_id}))


def main_lines(at: AppTest) -> list[str]:
    """The markdown of the main area in page order, unescaped."""
    return [plain(m.body).replace("**", "") for m in at.main.markdown]


def position(lines: list[str], start: str) -> int:
    found = [n for n, line in enumerate(lines) if line.startswith(start)]
    assert found, f"no line starts with {start!r}"
    return found[0]


def folded_text(at: AppTest) -> str:
    return "\n".join(page_text(at, e) for e in at.main.expander)


def test_summary_leads_with_the_working_diagnosis_imaging_and_plan(store: EncounterRepository) -> None:
    """b_c6_radiculopathy: urgency, then the working diagnosis (cervical radiculopathy, C6 left),
    imaging and management, all before the Wainner cluster, whose interpretation and caveat sit
    in an expander under its one-line result."""
    at = summary(store, "b_c6_radiculopathy", {"radiculopathy", "neuro"})
    lines = main_lines(at)
    order = [position(lines, "Urgency:"), position(lines, "##### Working diagnosis"),
             position(lines, "##### Imaging"), position(lines, "##### Management"),
             position(lines, "##### Decision rules, test clusters and scores")]
    if any(line.startswith("##### Also in the differential") for line in lines):
        assert order[3] < position(lines, "##### Also in the differential") < order[4]
    assert order == sorted(order), order
    working = lines[order[1] + 1]
    assert "Cervical radiculopathy" in working, working
    assert any(line.startswith("Root level: C6 left") for line in lines[order[1]:order[2]])
    cluster = next(line for line in lines[order[4]:] if "3 positive" in line)
    assert "1 negative" in cluster
    folded = folded_text(at)
    caveats = [w.body for w in at.main.warning if w.body.startswith("Caveat:")]
    assert caveats, "the Wainner cluster has a caveat"
    assert all(plain(c) in folded for c in caveats), "every cluster caveat is folded"
    assert "Caveat:" not in "\n".join(lines), "no caveat is drawn unfolded"


def test_red_flags_and_do_not_lines_come_first_and_are_never_folded(store: EncounterRepository) -> None:
    """a_aortic_dissection_marfan: the EMERGENCY flag, its action and every "Do not" line are in
    the page itself (not in any expander), above the working diagnosis."""
    at = summary(store, "a_aortic_dissection_marfan")
    lines = main_lines(at)
    flag = next(n for n, line in enumerate(lines) if "EMERGENCY: Suspected acute aortic dissection" in line)
    do_not = [n for n, line in enumerate(lines) if line.startswith("- ") and "Do not " in line]
    assert do_not, "the dissection forbids something"
    assert flag < min(do_not) < position(lines, "##### Working diagnosis")
    folded = folded_text(at)
    assert "Suspected acute aortic dissection" not in folded.replace("Why? (rule rf.aortic_dissection)", "")
    assert "Do not" not in folded
    assert not any("Do not" in e.label for e in at.main.expander)
    # the tests not to perform, one line per reason, unfolded, before the working diagnosis
    blocked = [line for line in lines if "Not to be performed:" in line]
    assert blocked and all("Spurling" in line for line in blocked[:1]), blocked
    assert len(blocked) == len({line.split("Not to be performed:")[0] for line in blocked})
    assert position(lines, "##### Tests not to be performed") < position(lines, "##### Working diagnosis")
    assert "Not to be performed" not in folded


def test_a_diagnosis_above_routine_is_named_beside_the_working_diagnosis(store: EncounterRepository) -> None:
    """b_ntos_symptom_cluster: neurogenic TOS leads; every other diagnosis above ROUTINE in the
    differential (here the Pancoast tumour, URGENT) is named in the working-diagnosis part,
    before imaging and the plan."""
    encounter_id = stored_draft(store, findings=findings("b_ntos_symptom_cluster"),
                                chosen={"tos", "radiculopathy", "neuro"}, step=steps.SUMMARY)
    at = ok(new_app(query={"encounter": encounter_id}))
    lines = main_lines(at)
    working = position(lines, "##### Working diagnosis")
    assert "Neurogenic thoracic outlet syndrome" in lines[working + 1]
    differential = assess(store.get(encounter_id).encounter, cached_library()).differential
    above = [e.name for e in differential[1:] if e.tier != "ROUTINE"]
    assert above, "the vignette has a diagnosis above ROUTINE after the leading one"
    named = next((line for line in lines[working:position(lines, "##### Imaging")]
                  if line.startswith("Also to rule out:")), "")
    assert all(name in named for name in above), (above, named)


def test_finalising_is_one_click_at_the_end_of_the_summary(store: EncounterRepository) -> None:
    """The summary ends with the Finish part: one click finalises (the button says what it
    attests), and the final note's download is then offered there."""
    save_signer(Clinician(name="Dr Grey", registration_number="HCPC PH123456"), signer_path())
    encounter_id = stored_draft(store, findings=findings("b_c6_radiculopathy"), step=steps.SUMMARY)
    at = ok(new_app(query={"encounter": encounter_id}))
    assert not button(at, FINALISE).disabled
    assert "reviewed the findings and the assessment" in page_text(at)
    button(at, FINALISE).click()
    ok(at.run())
    assert store.get(encounter_id).status == "final"
    assert "Summary and assessment" in page_text(at)
    assert any(d.proto.label == "Download the note (PDF)" for d in at.get("download_button"))


def test_next_and_back_have_keyboard_shortcuts(app: AppTest) -> None:
    """Alt+N and Alt+B on every step's Next and Back buttons."""
    start_examination(app)
    assert button(app, "← Patient").proto.shortcut == normalize_shortcut(BACK_KEY)
    forward = [b for b in app.button if b.label.startswith("Next")]
    assert len(forward) == 1 and forward[0].proto.shortcut == normalize_shortcut(NEXT_KEY)


def test_emergency_way_to_the_note_has_a_keyboard_shortcut(app: AppTest) -> None:
    start_examination(app)
    widget(app, "history.abrupt_severe_pain").set_value("yes")
    ok(app.run())
    assert button(app, TO_NOTE).proto.shortcut == normalize_shortcut(TO_NOTE_KEY)


def test_history_next_examines_the_suggested_protocols_without_the_choice_stop(
    app: AppTest, store: EncounterRepository
) -> None:
    """Positional arm symptoms suggest the TOS tests: the history's Next names them and opens
    the first suggested protocol with every suggestion chosen; the choice step stays reachable."""
    encounter_id = start_examination(app)
    widget(app, "history.positional_arm_symptoms").set_value("yes")
    ok(app.run())
    forward = next(b for b in app.button if b.label.startswith("Next"))
    assert "Protocols" not in forward.label
    assert "Thoracic outlet" in page_text(app)
    forward.click()
    ok(app.run())
    stored = store.get(encounter_id)
    assert "tos" in {p.id for p in stored.encounter.protocols}
    assert stored.ui_step is not None and stored.ui_step.startswith(steps.EXAM_PREFIX)
    assert "Thoracic outlet syndrome tests" in [h.value for h in app.subheader]
    assert any("Protocols" in str(o) for o in app.segmented_control(key="ea.progress").options)
