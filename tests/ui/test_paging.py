"""The Encounters and Continue pages page by keyset with Previous and Next (issue 13)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from exam_assistant.models import Encounter, Patient
from exam_assistant.store import EncounterRepository
from tests.ui.conftest import new_app, ok, page_text

CONTINUE = "exam_assistant/ui/pages/continue_drafts.py"
ENCOUNTERS = "exam_assistant/ui/pages/encounters.py"


def _drafts(store: EncounterRepository, count: int) -> None:
    start = datetime(2026, 1, 1, 9, tzinfo=UTC)
    for n in range(count):
        visit = start + timedelta(hours=n)  # patient 0 is the oldest visit, so the last listed
        enc = Encounter(patient=Patient(name=f"Pat Number{n:02d}", date_of_birth=date(1970, 1, 1), sex="male"),
                        created_at=visit, updated_at=visit)
        store.save_draft(enc, None, "test")


def _next(at: object, label: str) -> None:
    next(b for b in at.button if b.label == label).click()  # type: ignore[attr-defined]


def test_continue_pages_forward_and_back_through_55_drafts(store: EncounterRepository) -> None:
    """Page 1 holds the 50 newest, Next the 5 oldest, Previous page 1 again; no row twice."""
    _drafts(store, 55)
    at = ok(new_app(CONTINUE))
    first = page_text(at)
    assert "Pat Number54" in first and "Pat Number05" in first and "Pat Number04" not in first
    assert "Page 1" in first
    _next(at, "Next")
    ok(at.run())
    second = page_text(at)
    assert "Page 2" in second and "Pat Number04" in second and "Pat Number00" in second
    assert "Pat Number05" not in second
    assert next(b for b in at.button if b.label == "Next").disabled
    _next(at, "Previous")
    ok(at.run())
    assert "Pat Number54" in page_text(at) and "Pat Number04" not in page_text(at)


def test_encounters_page_next_page_and_a_new_search_starts_at_page_1(store: EncounterRepository) -> None:
    """The Encounters table pages by 50; a new search goes back to page 1."""
    _drafts(store, 52)
    at = ok(new_app(ENCOUNTERS))
    assert len(at.dataframe[0].value) == 50 and "52 encounter(s) found" in page_text(at)
    _next(at, "Next")
    ok(at.run())
    assert list(at.dataframe[0].value["Patient"]) == ["Pat Number01", "Pat Number00"]
    next(t for t in at.text_input if t.label == "Patient name or identifier").set_value("number")
    next(b for b in at.button if b.label == "Search").click()
    ok(at.run())
    assert len(at.dataframe[0].value) == 50 and "Page 1" in page_text(at)
