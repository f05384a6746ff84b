"""``exam-assistant invite create|list|revoke``: pre-visit questionnaire links for patients.

The link is printed once (only the token's SHA-256 is stored). Its base is ``--base-url``, else
``EXAM_ASSISTANT_BASE_URL``, else http://127.0.0.1:8501. Exit codes as for ``encounters``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any
from urllib.parse import urlencode

from exam_assistant.errors import EXIT_INVALID, EXIT_OK
from exam_assistant.store import cli as store_cli
from exam_assistant.store.invitations import DEFAULT_HOURS, Invitation, InvitationStore, check_request
from exam_assistant.store.repository import open_store

ENV_BASE_URL = "EXAM_ASSISTANT_BASE_URL"
DEFAULT_BASE_URL = "http://127.0.0.1:8501"


def invite_link(base_url: str, token: str) -> str:
    """The patient's link: the token is the only thing in it (never patient data)."""
    return f"{base_url.rstrip('/')}/?{urlencode({'invite': token})}"


def _store(args: argparse.Namespace) -> InvitationStore:
    return InvitationStore(open_store(args.database or None).engine)


def _create(args: argparse.Namespace) -> int:
    base = args.base_url or os.environ.get(ENV_BASE_URL, "").strip() or DEFAULT_BASE_URL
    if not base.startswith(("http://", "https://")):
        return store_cli._fail(EXIT_INVALID, "base_url: must start with http:// or https://")
    request = check_request(
        {"patient": {"name": args.patient, "date_of_birth": args.dob}, "expires_hours": args.expires_hours}
    )
    created = _store(args).create(request, store_cli.actor_from_args(args))
    sys.stdout.write(f"{invite_link(base, created.token)}\n")
    sys.stderr.write(f"invitation {created.invitation.id} expires {created.invitation.expires_at:%Y-%m-%d %H:%M} UTC\n")
    return EXIT_OK


def _row(inv: Invitation) -> dict[str, Any]:
    return {"id": inv.id, "patient": inv.patient_name, "date_of_birth": inv.date_of_birth.isoformat(),
            "state": inv.state, "urgency": inv.urgency, "expires_at": inv.expires_at.isoformat(),
            "encounter_id": inv.encounter_id}


def _list(args: argparse.Namespace) -> int:
    rows = [_row(inv) for inv in _store(args).list()]
    if args.format == "json":
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        return EXIT_OK
    for r in rows:
        flag = f" {r['urgency']}" if r["urgency"] else ""
        sys.stdout.write(f"{r['id']}  {r['state']:<9}{flag}  {r['patient']} ({r['date_of_birth']})\n")
    return EXIT_OK


def _revoke(args: argparse.Namespace) -> int:
    inv = _store(args).revoke(args.id, store_cli.actor_from_args(args))
    sys.stdout.write(f"invitation {inv.id} revoked\n")
    return EXIT_OK


def register(subparsers: Any) -> None:
    """Add ``invite`` (create, list, revoke) to the CLI."""
    inv = subparsers.add_parser("invite", help="pre-visit questionnaire links for patients")
    isub = inv.add_subparsers(dest="invite_action", required=True)
    p = isub.add_parser("create", help="create a single-use, expiring link and print it")
    p.add_argument("--patient", required=True, help="the patient's name")
    p.add_argument("--dob", required=True, help="date of birth, YYYY-MM-DD")
    p.add_argument("--expires-hours", type=int, default=DEFAULT_HOURS, help=f"default {DEFAULT_HOURS}")
    p.add_argument("--base-url", help=f"the app's address (default ${ENV_BASE_URL} or {DEFAULT_BASE_URL})")
    store_cli._common(p, _create, actor=True)
    p = isub.add_parser("list", help="invitations, flagged submissions first")
    p.add_argument("--format", choices=["text", "json"], default="text")
    store_cli._common(p, _list)
    p = isub.add_parser("revoke", help="withdraw an invitation; its link stops working")
    p.add_argument("id")
    store_cli._common(p, _revoke, actor=True)
