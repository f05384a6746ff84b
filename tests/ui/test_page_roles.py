"""Every page checks the signed-in person's role on each run, not only at navigation (issue 13).

Each page's script is run on its own (as if reached by its address, with no navigation to hide
it) in sign-in mode, for each role: a page the role allows draws normally; any other shows one
refusal line, none of the page, never a patient's name, and the refusal is an audit event.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from exam_assistant.store import EncounterRepository
from tests.ui.conftest import ok, page_text, stored_draft

PAGES = Path(__file__).resolve().parents[2] / "exam_assistant" / "ui" / "pages"
ROLES_TOML = """
claim = "groups"
[groups]
"c" = "clinician"
"r" = "reviewer"
"s" = "student"
"a" = "admin"
"""
PAGE_ACTION = {"examination": "records", "continue_drafts": "records", "encounters": "review",
               "practice": "practice", "library": "library", "conditions": "library",
               "settings": "settings", "audit": "audit"}
ROLE_ACTIONS = {"c": {"records", "review", "practice", "library"}, "r": {"review", "library"},
                "s": {"practice", "library"}, "a": {"settings", "audit", "library"}, "none": set()}
REFUSAL = "This page is not available to you"


@pytest.fixture(autouse=True)
def roles_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "roles.toml"
    path.write_text(ROLES_TOML)
    monkeypatch.setenv("EXAM_ASSISTANT_ROLES", str(path))


def _signed_in(page: str, group: str) -> AppTest:
    at = AppTest.from_file(str(PAGES / f"{page}.py"), default_timeout=60)
    at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
                          "client_id": "id", "client_secret": "secret",
                          "server_metadata_url": "http://127.0.0.1:1/.well-known/openid-configuration"}
    at.user = {"is_logged_in": True, "email": f"{group}@clinic.example", "sub": group, "groups": [group]}
    return at


@pytest.mark.parametrize("group", list(ROLE_ACTIONS))
@pytest.mark.parametrize("page", list(PAGE_ACTION))
def test_each_page_rechecks_the_role_on_every_run(store: EncounterRepository, page: str, group: str) -> None:
    """Allowed: the page draws (no refusal); refused: one line, no patient name, an audit event."""
    encounter_id = stored_draft(store)
    at = _signed_in(page, group)
    if page == "examination":
        at.query_params["encounter"] = encounter_id  # the patient page reached by its address
    ok(at.run())
    text = page_text(at)
    if PAGE_ACTION[page] in ROLE_ACTIONS[group]:
        assert REFUSAL not in text
        return
    assert REFUSAL in text and "Bea Stored" not in text
    assert [e.label for e in at.button] == [] and len(at.dataframe) == 0
    denied = [(e.actor, e.detail) for e in store.audit_history() if e.event == "access_denied"]
    assert denied == [(f"{group}@clinic.example", f"page {PAGE_ACTION[page]}")]
    ok(at.run())  # the next run is refused again, logged once per session
    assert REFUSAL in page_text(at) and len([e for e in store.audit_history() if e.event == "access_denied"]) == 1


def test_a_role_taken_away_after_sign_in_closes_the_page_on_the_next_run(store: EncounterRepository) -> None:
    """The role is worked out again on each run: a person moved out of the clinicians' group is
    refused on their very next click, without signing out."""
    stored_draft(store)
    at = _signed_in("continue_drafts", "c")
    ok(at.run())
    assert "Bea Stored" in page_text(at)
    at.user = {"is_logged_in": True, "email": "c@clinic.example", "sub": "c", "groups": ["s"]}
    ok(at.run())
    assert REFUSAL in page_text(at) and "Bea Stored" not in page_text(at)


def test_a_reviewer_reads_final_notes_only_on_the_encounters_page(store: EncounterRepository) -> None:
    """The reviewer's Encounters page lists final notes (no draft), with no export or invitation."""
    stored_draft(store)
    at = _signed_in("encounters", "r")
    ok(at.run())
    assert "0 encounter(s) found" in page_text(at) and "Bea Stored" not in page_text(at)
    assert not [b for b in at.button if "Export" in b.label or "nvit" in b.label]


def test_another_clinics_encounter_link_shows_nothing_and_is_audited(
    store: EncounterRepository, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With clinics mapped, a south clinician opening a north encounter's link sees the plain
    'not found' notice and no patient data; the attempt is an other_clinic audit event."""
    from exam_assistant.access import User
    from exam_assistant.store.acting import RoleCheckedRepository

    path = tmp_path / "clinics.toml"
    path.write_text(ROLES_TOML + '\n[clinics]\n"north" = "north"\n"south" = "south"\n')
    monkeypatch.setenv("EXAM_ASSISTANT_ROLES", str(path))
    north = RoleCheckedRepository(store, User("n@clinic.example", frozenset({"clinician"}), "north"))
    encounter_id = stored_draft(north)
    at = _signed_in("examination", "c")
    at.user = {"is_logged_in": True, "email": "s@clinic.example", "sub": "s", "groups": ["c", "south"]}
    at.query_params["encounter"] = encounter_id
    ok(at.run())
    assert "No examination with the id in this link was found" in page_text(at)
    assert "Bea Stored" not in page_text(at)
    denied = [(e.actor, e.encounter_id, e.detail) for e in store.audit_history() if e.event == "access_denied"]
    assert denied == [("s@clinic.example", encounter_id, "other_clinic")]
