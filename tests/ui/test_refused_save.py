"""The app shows the store's refusal as one plain message naming the field (issue 13, item 4)."""

from __future__ import annotations

import json

from sqlalchemy import text
from streamlit.testing.v1 import AppTest

from exam_assistant.store import EncounterRepository
from tests.ui.conftest import new_app, ok, plain, stored_draft, widget


def test_a_save_the_store_refuses_is_one_plain_message_naming_the_field(store: EncounterRepository) -> None:
    """A draft stored before input was checked (an ESC in its notes) cannot be saved again: the
    clinician sees one message that names `notes`, and nothing is written."""
    encounter_id = stored_draft(store)
    data = store.get(encounter_id).encounter.model_dump(mode="json")
    data["notes"] = "pasted from a terminal \x1b[31m red"
    with store.engine.begin() as conn:  # as an older version could have stored it
        conn.execute(text("UPDATE encounters SET data = :d WHERE id = :id"), {"d": json.dumps(data), "id": encounter_id})
    at: AppTest = ok(new_app(query={"encounter": encounter_id}))
    widget(at, "history.night_pain").set_value("yes")
    ok(at.run())
    errors = [plain(e.value) for e in at.error]
    assert len(errors) == 1 and "\n" not in errors[0]
    assert "notes" in errors[0] and "control character U+001B" in errors[0]
    assert "history.night_pain" not in store.get(encounter_id).encounter.findings
