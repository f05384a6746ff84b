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
