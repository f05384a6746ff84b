"""Who may do what: roles from the sign-in's ID-token claims, mapped by a small TOML file.

Roles: ``clinician`` (patient records and practice), ``reviewer`` (reads the final notes of
their clinic for audit or peer review, changes nothing), ``student`` (practice only, never patient
records), ``admin`` (settings, protocol packs and the audit log). A person can hold several. Every
person belongs to one clinic and sees only that clinic's records. The mapping file
(``EXAM_ASSISTANT_ROLES``, default ``.streamlit/roles.toml``) looks like::

    claim = "groups"              # the ID-token claim that lists the person's groups
    default_role = ""             # role for a signed-in person matching nothing ("" = no access)
    clinic_claim = ""             # optional: an ID-token claim naming the person's clinic directly
    default_clinic = ""           # clinic of a person no group places ("" = none: no records)

    [groups]
    "clinic-clinicians" = "clinician"
    "clinic-students" = "student"
    "clinic-it" = "admin"

    [emails]
    "lead@clinic.example" = "admin"

    [clinics]                     # group -> clinic; without this table everyone is in "local"
    "north-staff" = "north"

No Streamlit here: the app turns ``st.user`` into a dict of claims and calls :func:`user_from_claims`.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from exam_assistant.errors import ExamAssistantError

Role = Literal["clinician", "reviewer", "student", "admin"]
ROLES: tuple[Role, ...] = ("clinician", "reviewer", "student", "admin")
# "records": read and change the clinic's records; "review": read its final notes only.
Action = Literal["records", "review", "practice", "library", "settings", "audit"]
ALLOWED: dict[Role, frozenset[Action]] = {
    "clinician": frozenset({"records", "review", "practice", "library"}),
    "reviewer": frozenset({"review", "library"}),
    "student": frozenset({"practice", "library"}),
    "admin": frozenset({"settings", "audit", "library"}),
}
RECORD_ACTIONS: frozenset[Action] = frozenset({"records", "review"})  # these also need a clinic
DEFAULT_CLINIC = "local"  # the one clinic of a single-user install, or of a deployment mapping none
CLINIC_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")
ACTION_WORDS: dict[Action, str] = {
    "records": "open patient records",
    "review": "read final notes",
    "practice": "use practice mode",
    "library": "read the protocol library",
    "settings": "change clinic settings",
    "audit": "read the audit log",
}
ROLES_ENV = "EXAM_ASSISTANT_ROLES"


class AccessDenied(ExamAssistantError):
    """The acting person's roles do not allow this; the message names the person and the action."""


class AccessConfigError(ExamAssistantError):
    """The role mapping file is missing or wrong; the message names the file and the entry."""


@dataclass(frozen=True)
class User:
    """A signed-in person: the label written to the audit log and the roles they hold."""

    label: str
    roles: frozenset[Role] = field(default_factory=frozenset)
    clinic: str | None = DEFAULT_CLINIC  # None: placed in no clinic (or in several), so no records

    def can(self, action: Action) -> bool:
        allowed = any(action in ALLOWED[role] for role in self.roles)
        return allowed and (action not in RECORD_ACTIONS or self.clinic is not None)

    def require(self, action: Action) -> None:
        """Raise AccessDenied unless one of the roles allows ``action`` (records: in a clinic)."""
        if not self.can(action):
            held = ", ".join(sorted(self.roles)) or "no role"
            unplaced = " (no clinic is assigned to them)" if action in RECORD_ACTIONS and self.clinic is None else ""
            raise AccessDenied(f"{self.label} ({held}) may not {ACTION_WORDS[action]}{unplaced}")


@dataclass(frozen=True)
class RoleMap:
    """Groups and e-mail addresses to roles; ``claim`` names the claim that holds the groups."""

    claim: str = "groups"
    groups: Mapping[str, Role] = field(default_factory=dict)
    emails: Mapping[str, Role] = field(default_factory=dict)
    default_role: Role | None = None
    clinic_claim: str | None = None
    clinics: Mapping[str, str] = field(default_factory=dict)  # group -> clinic
    default_clinic: str | None = DEFAULT_CLINIC

    @property
    def maps_clinics(self) -> bool:
        """False for a one-clinic deployment: everyone is in the default clinic."""
        return bool(self.clinic_claim or self.clinics)


def roles_path(root: Path | None = None) -> Path:
    """Where the role mapping is read from: ``$EXAM_ASSISTANT_ROLES`` or ``.streamlit/roles.toml``."""
    configured = os.environ.get(ROLES_ENV, "").strip()
    if configured:
        return Path(configured)
    return (root or Path.cwd()) / ".streamlit" / "roles.toml"


def _role(value: object, where: str, source: Path) -> Role:
    if value not in ROLES:
        raise AccessConfigError(f"{source}: {where} = {value!r} is not a role ({', '.join(ROLES)})")
    return value


def _clinic(value: object, where: str, source: Path) -> str:
    if not isinstance(value, str) or not CLINIC_ID.match(value):
        raise AccessConfigError(f"{source}: {where} = {value!r} is not a clinic id (letters, digits, _ . -; "
                                "at most 64)")
    return value


def load_role_map(path: Path) -> RoleMap:
    """Read and check the mapping; AccessConfigError (one plain line) when it is missing or wrong."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise AccessConfigError(f"cannot read the role mapping {path}: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise AccessConfigError(f"{path}: not valid TOML ({exc})") from None
    groups, emails, clinics = data.get("groups", {}), data.get("emails", {}), data.get("clinics", {})
    if not isinstance(groups, dict) or not isinstance(emails, dict):
        raise AccessConfigError(f"{path}: [groups] and [emails] must be tables of name = role")
    if not isinstance(clinics, dict):
        raise AccessConfigError(f"{path}: [clinics] must be a table of group = clinic id")
    default = data.get("default_role", "") or None
    clinic_claim = str(data.get("clinic_claim", "") or "") or None
    mapped = bool(clinics or clinic_claim)
    # One clinic unless clinics are mapped; then a person no group places belongs to none.
    default_clinic = data.get("default_clinic", "" if mapped else DEFAULT_CLINIC) or None
    return RoleMap(
        claim=str(data.get("claim", "groups")),
        groups={str(k): _role(v, f"groups.{k}", path) for k, v in groups.items()},
        emails={str(k).casefold(): _role(v, f"emails.{k}", path) for k, v in emails.items()},
        default_role=_role(default, "default_role", path) if default is not None else None,
        clinic_claim=clinic_claim,
        clinics={str(k): _clinic(v, f"clinics.{k}", path) for k, v in clinics.items()},
        default_clinic=_clinic(default_clinic, "default_clinic", path) if default_clinic is not None else None,
    )


def clinic_from_claims(claims: Mapping[str, object], groups: list[str], role_map: RoleMap) -> str | None:
    """The person's clinic: the clinic claim, else the one clinic their groups map to, else the
    default. None when their groups name two clinics (the app cannot guess which records to show)."""
    if not role_map.maps_clinics:
        return DEFAULT_CLINIC
    if role_map.clinic_claim:
        value = claims.get(role_map.clinic_claim)
        if isinstance(value, str) and CLINIC_ID.match(value):
            return value
    placed = {role_map.clinics[g] for g in groups if g in role_map.clinics}
    if len(placed) == 1:
        return placed.pop()
    return None if placed else role_map.default_clinic


def user_from_claims(claims: Mapping[str, object], role_map: RoleMap) -> User:
    """The person behind an ID token: labelled by e-mail (else name, else subject), with their roles."""
    label = str(claims.get("email") or claims.get("name") or claims.get("sub") or "").strip()
    if not label:
        raise AccessDenied("the sign-in gave no e-mail, name or subject to record who is acting")
    listed = claims.get(role_map.claim)
    raw = [listed] if isinstance(listed, str) else list(listed) if isinstance(listed, (list, tuple)) else []
    names = [str(n) for n in raw]
    roles = {role_map.groups[n] for n in names if n in role_map.groups}
    email = str(claims.get("email") or "").casefold()
    if email in role_map.emails:
        roles.add(role_map.emails[email])
    if not roles and role_map.default_role is not None:
        roles.add(role_map.default_role)
    return User(label[:300], frozenset(roles), clinic_from_claims(claims, names, role_map))
