"""Who may do what: roles from the sign-in's ID-token claims, mapped by a small TOML file.

Roles: ``clinician`` (patient records and practice), ``student`` (practice only, never patient
records), ``admin`` (settings, protocol packs and the audit log). A person can hold several. The
mapping file (``EXAM_ASSISTANT_ROLES``, default ``.streamlit/roles.toml``) looks like::

    claim = "groups"              # the ID-token claim that lists the person's groups
    default_role = ""             # role for a signed-in person matching nothing ("" = no access)

    [groups]
    "clinic-clinicians" = "clinician"
    "clinic-students" = "student"
    "clinic-it" = "admin"

    [emails]
    "lead@clinic.example" = "admin"

No Streamlit here: the app turns ``st.user`` into a dict of claims and calls :func:`user_from_claims`.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from exam_assistant.errors import ExamAssistantError

Role = Literal["clinician", "student", "admin"]
ROLES: tuple[Role, ...] = ("clinician", "student", "admin")
Action = Literal["records", "practice", "library", "settings", "audit"]
ALLOWED: dict[Role, frozenset[Action]] = {
    "clinician": frozenset({"records", "practice", "library"}),
    "student": frozenset({"practice", "library"}),
    "admin": frozenset({"settings", "audit", "library"}),
}
ACTION_WORDS: dict[Action, str] = {
    "records": "open patient records",
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

    def can(self, action: Action) -> bool:
        return any(action in ALLOWED[role] for role in self.roles)

    def require(self, action: Action) -> None:
        """Raise AccessDenied unless one of the roles allows ``action``."""
        if not self.can(action):
            held = ", ".join(sorted(self.roles)) or "no role"
            raise AccessDenied(f"{self.label} ({held}) may not {ACTION_WORDS[action]}")


@dataclass(frozen=True)
class RoleMap:
    """Groups and e-mail addresses to roles; ``claim`` names the claim that holds the groups."""

    claim: str = "groups"
    groups: Mapping[str, Role] = field(default_factory=dict)
    emails: Mapping[str, Role] = field(default_factory=dict)
    default_role: Role | None = None


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


def load_role_map(path: Path) -> RoleMap:
    """Read and check the mapping; AccessConfigError (one plain line) when it is missing or wrong."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise AccessConfigError(f"cannot read the role mapping {path}: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise AccessConfigError(f"{path}: not valid TOML ({exc})") from None
    groups, emails = data.get("groups", {}), data.get("emails", {})
    if not isinstance(groups, dict) or not isinstance(emails, dict):
        raise AccessConfigError(f"{path}: [groups] and [emails] must be tables of name = role")
    default = data.get("default_role", "") or None
    return RoleMap(
        claim=str(data.get("claim", "groups")),
        groups={str(k): _role(v, f"groups.{k}", path) for k, v in groups.items()},
        emails={str(k).casefold(): _role(v, f"emails.{k}", path) for k, v in emails.items()},
        default_role=_role(default, "default_role", path) if default is not None else None,
    )


def user_from_claims(claims: Mapping[str, object], role_map: RoleMap) -> User:
    """The person behind an ID token: labelled by e-mail (else name, else subject), with their roles."""
    label = str(claims.get("email") or claims.get("name") or claims.get("sub") or "").strip()
    if not label:
        raise AccessDenied("the sign-in gave no e-mail, name or subject to record who is acting")
    listed = claims.get(role_map.claim)
    names = [listed] if isinstance(listed, str) else list(listed) if isinstance(listed, (list, tuple)) else []
    roles = {role_map.groups[str(n)] for n in names if str(n) in role_map.groups}
    email = str(claims.get("email") or "").casefold()
    if email in role_map.emails:
        roles.add(role_map.emails[email])
    if not roles and role_map.default_role is not None:
        roles.add(role_map.default_role)
    return User(label[:300], frozenset(roles))
