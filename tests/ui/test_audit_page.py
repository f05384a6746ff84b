"""The audit viewer page (issue 13, item 3): events listed and filtered, the chain checked, CSV built."""

from __future__ import annotations

import pytest

from exam_assistant.store import EncounterRepository
from exam_assistant.store.audit_query import AuditFilters, events_csv, search
from tests.ui.conftest import new_app, ok, page_text, stored_draft

AUDIT = "exam_assistant/ui/pages/audit.py"


def test_audit_page_lists_events_filters_them_and_checks_the_chain(store: EncounterRepository) -> None:
    """Created and viewed events appear with their actor; filtering by event narrows them; the check says intact."""
    encounter_id = stored_draft(store)
    store.view(encounter_id, "auditor-ann")
    at = ok(new_app(AUDIT))
    table = at.dataframe[0].value
    assert set(table["event"]) == {"created", "viewed"} and "auditor-ann" in set(table["actor"])
    at.multiselect[0].select("viewed")
    at.button[0].click()  # the form's Filter button
    ok(at.run())
    assert list(at.dataframe[0].value["event"]) == ["viewed"]
    next(b for b in at.button if b.label.startswith("Check")).click()
    ok(at.run())
    assert "Intact: 2 event(s) chained" in page_text(at)


def test_audit_csv_has_one_row_per_event_and_no_patient_name(store: EncounterRepository) -> None:
    """The CSV export of the filtered events holds the header, each event, and never the patient's name."""
    encounter_id = stored_draft(store)
    store.view(encounter_id, "auditor-ann")
    data = events_csv(search(store.engine, AuditFilters(encounter_id=encounter_id))).decode()
    lines = data.strip().splitlines()
    assert lines[0] == "id,at,event,actor,encounter_id,version,detail" and len(lines) == 3
    assert "Bea Stored" not in data


def test_an_unusable_audit_key_stops_the_page_in_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    """A configured but too short audit key: one plain line, no traceback, nothing recorded."""
    monkeypatch.setenv("EXAM_ASSISTANT_AUDIT_KEY", "short")
    at = ok(new_app("exam_assistant/ui/pages/continue_drafts.py"))
    assert "The audit key of this server is not usable" in page_text(at) and "at least 32 characters" in page_text(at)
