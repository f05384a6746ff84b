"""The Conditions page, and the links to it from the assessment (differential entries and red flags)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from streamlit.testing.v1 import AppTest

from exam_assistant.library import cached_library
from exam_assistant.protocol import TIER_ORDER
from exam_assistant.store import EncounterRepository
from exam_assistant.ui import steps
from tests.ui.conftest import new_app, ok, page_text, plain, stored_draft

CONDITIONS_PAGE = "exam_assistant/ui/pages/conditions.py"


def links(at: AppTest) -> list[tuple[str, str, dict[str, list[str]]]]:
    """(label, page, query) of every page link on the screen."""
    out = []
    for element in at.get("page_link"):
        proto: Any = element.proto
        out.append((plain(proto.label), proto.page, parse_qs(proto.query_string)))
    return out


def open_conditions(query: dict[str, str] | None = None) -> AppTest:
    at = new_app(CONDITIONS_PAGE)
    if query:
        for key, value in query.items():
            at.query_params[key] = value
        at.run()
    return ok(at)


def test_conditions_page_lists_every_condition_by_region_most_urgent_first() -> None:
    lib = cached_library()
    at = open_conditions()
    assert "Conditions" in [t.value for t in at.title]
    headers = [plain(h.value) for h in at.header]
    assert {"Neck", "Upper back", "Shoulder, arm and hand", "Chest and whole body"} <= set(headers)
    labels = [plain(e.label) for e in at.expander if " · " in e.label and "References" not in e.label]
    names = {dx.name for dx in lib.diagnoses.values()}
    shown = [label.split(" · ", 1)[1] for label in labels]
    assert sorted(names) == sorted(shown)
    # within the neck region the emergencies come before the routine conditions
    tiers = [lib.diagnoses[d].default_tier for d in lib.conditions if lib.conditions[d].region == "neck"]
    neck = [n for n in shown if any(lib.diagnoses[d].name == n and lib.conditions[d].region == "neck"
                                     for d in lib.conditions)]
    order = [TIER_ORDER[next(dx.default_tier for dx in lib.diagnoses.values() if dx.name == n)] for n in neck]
    assert order == sorted(order, reverse=True) and len(neck) == len(tiers)
    assert any(m.value.startswith("##### ") and "EMERGENCY" in m.value for m in at.markdown)  # urgency groups


def test_conditions_search_finds_by_everyday_name() -> None:
    at = open_conditions()
    at.text_input[0].input("shingles")
    ok(at.run())
    labels = [plain(e.label) for e in at.expander if " · " in e.label]
    assert any("Herpes zoster" in label for label in labels)  # by its everyday name, an alias
    # the search is narrow: besides the alias hit, only entries whose own text discusses shingles
    # (as a mimic, e.g. thoracic root pain before the rash) are listed, never the whole guide
    lib = cached_library()
    by_name = {dx.name: dx_id for dx_id, dx in lib.diagnoses.items()}
    for label in labels:
        entry = lib.conditions[by_name[label.split(" · ", 1)[1]]]
        said = " ".join([*entry.also_called, *(s.text for _, g in entry.sections() for s in g)]).casefold()
        assert "shingles" in said, label
    assert 1 <= len(labels) <= 3 and not any("Cervical radiculopathy" in label for label in labels)
    at.text_input[0].input("zzzz nothing")
    ok(at.run())
    assert "No condition matches" in page_text(at)


def test_a_condition_opens_from_the_url_with_every_section_and_its_sources() -> None:
    at = open_conditions({"condition": "venous_tos"})
    text = page_text(at)
    assert "Venous thoracic outlet syndrome" in plain(at.header[0].value)
    for heading in ("What it is", "Imaging", "Treatment: Emergency care", "Prevention", "Seek help now if"):
        assert heading in text
    assert "img.vtos" in text and "tx.vtos" in text
    assert any(e.label.startswith("References") for e in at.expander)


def test_an_unknown_condition_in_the_url_says_so_and_lists_all() -> None:
    at = open_conditions({"condition": "no_such_thing"})
    assert "no entry for that condition" in page_text(at)
    assert len([e for e in at.expander if " · " in e.label]) == len(cached_library().conditions)


def test_summary_links_each_red_flag_and_differential_entry_to_its_condition(store: EncounterRepository) -> None:
    """rf.venous_tos suggests venous_tos: its red flag and its differential line both link to the guide."""
    findings = {"history.arm_swelling": {"kind": "yes_no", "value": "yes"},
                "history.arm_cyanosis": {"kind": "yes_no", "value": "yes"}}
    encounter_id = stored_draft(store, findings=findings, step=steps.SUMMARY)
    at = ok(new_app(query={"encounter": encounter_id}))
    found = links(at)
    targets = [q["condition"][0] for _, page, q in found if page == "conditions"]  # the url_path of the page
    assert targets.count("venous_tos") >= 2, found
    assert all(label.startswith("About ") for label, page, _ in found if page == "conditions")
    assert set(targets) <= set(cached_library().conditions)


def test_library_page_links_the_condition_guide_pack_to_the_conditions_page() -> None:
    at = ok(new_app("exam_assistant/ui/pages/library.py"))
    guide = [label for label, page, _ in links(at) if page == "conditions"]
    assert guide == [f"{len(cached_library().conditions)} condition guide entries: open them on the Conditions page"]


def test_a_condition_shows_the_home_exercises_its_handout_gives() -> None:
    """The patient wording on the Conditions page includes the exercises, step by step, as the handout prints them."""
    lib = cached_library()
    entry = lib.conditions["nonspecific_neck_pain"]
    assert entry.patient.exercises
    at = open_conditions()
    text = page_text(at)
    for exercise_id in entry.patient.exercises:
        exercise = lib.exercises[exercise_id]
        assert f"Home exercise: {exercise.name}" in text
        assert exercise.steps[0].text in text
