"""Roles from ID-token claims through the role mapping file (issue 13, item 1)."""

from __future__ import annotations

from pathlib import Path

import pytest

from exam_assistant.access import AccessConfigError, AccessDenied, User, load_role_map, user_from_claims

MAPPING = """
claim = "groups"
default_role = ""

[groups]
"clinic-clinicians" = "clinician"
"clinic-students" = "student"

[emails]
"Lead@Clinic.example" = "admin"
"""


def _map(tmp_path: Path, text: str = MAPPING) -> Path:
    path = tmp_path / "roles.toml"
    path.write_text(text)
    return path


def test_groups_and_emails_give_roles(tmp_path: Path) -> None:
    """A group claim (list or single string) and an e-mail (any case) map to their roles."""
    role_map = load_role_map(_map(tmp_path))
    assert user_from_claims({"sub": "1", "email": "ann@x", "groups": ["clinic-clinicians"]}, role_map) == \
        User("ann@x", frozenset({"clinician"}))
    assert user_from_claims({"sub": "2", "email": "sam@x", "groups": "clinic-students"}, role_map).roles == {"student"}
    lead = user_from_claims({"sub": "3", "email": "lead@clinic.example", "groups": ["clinic-clinicians"]}, role_map)
    assert lead.roles == {"admin", "clinician"}


def test_nobody_gets_a_role_by_default(tmp_path: Path) -> None:
    """A signed-in person in no mapped group holds no role and can do nothing."""
    user = user_from_claims({"sub": "x", "groups": ["other"]}, load_role_map(_map(tmp_path)))
    assert user.roles == frozenset() and not user.can("library")
    with pytest.raises(AccessDenied, match="x \\(no role\\) may not open patient records"):
        user.require("records")


def test_students_never_open_records_and_admins_read_the_audit(tmp_path: Path) -> None:
    """Role permissions: student practice only; clinician records; admin settings and audit, not records."""
    student, clinician, admin = (User("s", frozenset({"student"})), User("c", frozenset({"clinician"})),
                                 User("a", frozenset({"admin"})))
    assert (student.can("records"), student.can("practice")) == (False, True)
    assert (clinician.can("records"), clinician.can("audit")) == (True, False)
    assert (admin.can("audit"), admin.can("settings"), admin.can("records")) == (True, True, False)


def test_a_wrong_role_in_the_mapping_is_named(tmp_path: Path) -> None:
    """An unknown role is a configuration error naming the file and the entry."""
    with pytest.raises(AccessConfigError, match=r"groups.x = 'superuser' is not a role"):
        load_role_map(_map(tmp_path, '[groups]\nx = "superuser"\n'))


CLINICS = MAPPING + """
[clinics]
"north-staff" = "north"
"south-staff" = "south"
"""


def test_without_a_clinics_table_everyone_is_in_the_local_clinic(tmp_path: Path) -> None:
    """A one-clinic deployment maps no clinics: every signed-in person is in the default clinic."""
    user = user_from_claims({"email": "ann@x", "groups": ["clinic-clinicians"]}, load_role_map(_map(tmp_path)))
    assert user.clinic == "local" and user.can("records")


def test_groups_place_a_person_in_one_clinic(tmp_path: Path) -> None:
    """A group maps to a clinic; no group or groups of two clinics place the person nowhere, so
    they may not open records (saying why); a clinic claim in the token wins when configured."""
    role_map = load_role_map(_map(tmp_path, CLINICS))
    north = user_from_claims({"email": "a@x", "groups": ["clinic-clinicians", "north-staff"]}, role_map)
    assert north.clinic == "north" and north.can("records")
    for groups in (["clinic-clinicians"], ["clinic-clinicians", "north-staff", "south-staff"]):
        nowhere = user_from_claims({"email": "b@x", "groups": groups}, role_map)
        assert nowhere.clinic is None and not nowhere.can("records") and nowhere.can("practice")
        with pytest.raises(AccessDenied, match="no clinic is assigned to them"):
            nowhere.require("records")
    claimed = load_role_map(_map(tmp_path, 'clinic_claim = "site"\n' + CLINICS))
    assert user_from_claims({"email": "c@x", "groups": ["clinic-clinicians"], "site": "east"}, claimed).clinic == "east"


def test_a_reviewer_reads_but_does_not_change_records() -> None:
    """The reviewer role: review (final notes) and the library; not records, practice or settings."""
    rita = User("r", frozenset({"reviewer"}), "north")
    assert (rita.can("review"), rita.can("records"), rita.can("practice"), rita.can("settings")) == (
        True, False, False, False)
    assert User("c", frozenset({"clinician"})).can("review")


def test_a_bad_clinic_id_in_the_mapping_is_named(tmp_path: Path) -> None:
    """A clinic id with spaces or other characters is a configuration error naming the entry."""
    with pytest.raises(AccessConfigError, match=r"clinics.g = 'north clinic' is not a clinic id"):
        load_role_map(_map(tmp_path, '[clinics]\ng = "north clinic"\n'))
