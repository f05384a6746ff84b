"""``exam-assistant encounters ...`` and ``exam-assistant db upgrade``.

Exit codes: 0 ok, 2 invalid input, 3 not found, 4 conflict (stale save, final note, deleted),
1 when the database cannot be reached. Messages go to stderr in plain words and never quote
clinical content. The database is ``--database URL``, else ``EXAM_ASSISTANT_DATABASE_URL``, else
the SQLite file in the user's data folder; the actor is ``--actor``, else
``EXAM_ASSISTANT_ACTOR``, else the login name.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from alembic.util.exc import CommandError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from exam_assistant.errors import EXIT_CONFLICT, EXIT_INVALID, EXIT_NOT_FOUND, EXIT_OK, EXIT_USAGE
from exam_assistant.private_files import write_private
from exam_assistant.store import cli_output
from exam_assistant.store.engine import default_database_url
from exam_assistant.store.errors import ConflictError, InvalidEncounterError, NotFoundError
from exam_assistant.store.records import EncounterFilters
from exam_assistant.store.repository import EncounterRepository, open_store

Handler = Callable[[argparse.Namespace], int]
MAX_STDIN = 2_000_000  # characters; parse_json refuses anything over its byte limit anyway


def actor_from_args(args: argparse.Namespace) -> str:
    """Who is acting: --actor, then $EXAM_ASSISTANT_ACTOR, then the login name."""
    given = args.actor or os.environ.get("EXAM_ASSISTANT_ACTOR", "").strip()
    if given:
        return str(given)
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "cli"


def _repo(args: argparse.Namespace) -> EncounterRepository:
    return open_store(args.database or None)


def _safe_url(args: argparse.Namespace) -> str:
    return make_url(args.database or default_database_url()).render_as_string(hide_password=True)


def _fail(code: int, message: str) -> int:
    sys.stderr.write(f"exam-assistant: {message}\n")
    return code


def _guarded(handler: Handler) -> Handler:
    """Turn the store's errors into exit codes and one plain line on stderr."""

    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except InvalidEncounterError as exc:
            return _fail(EXIT_INVALID, str(exc))
        except NotFoundError as exc:
            return _fail(EXIT_NOT_FOUND, str(exc))
        except ConflictError as exc:
            return _fail(EXIT_CONFLICT, str(exc))
        except CommandError as exc:
            return _fail(EXIT_INVALID, f"migration: {exc}")
        except SQLAlchemyError as exc:
            reason = str(getattr(exc, "orig", None) or type(exc).__name__).splitlines()[0]
            return _fail(EXIT_USAGE, f"database error at {_safe_url(args)}: {reason}")

    return run


def _when(text: str, end_of_day: bool) -> datetime:
    """A ``--since``/``--until`` value: a date (whole day, UTC) or an ISO date-time."""
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            moment = datetime.combine(day, time.min, tzinfo=UTC)
            return moment + timedelta(days=1, microseconds=-1) if end_of_day else moment
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidEncounterError(f"'{text}' is not a date (YYYY-MM-DD) or date-time") from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed


def _filters(args: argparse.Namespace) -> EncounterFilters:
    return EncounterFilters(
        patient=args.patient,
        status=args.status,
        clinician=args.clinician,
        since=_when(args.since, False) if args.since else None,
        until=_when(args.until, True) if args.until else None,
    )


def _save(args: argparse.Namespace) -> int:
    from exam_assistant.input_limits import InputRefused, parse_json
    from exam_assistant.validation import read_encounter_text

    try:
        raw = sys.stdin.read(MAX_STDIN) if args.file == "-" else read_encounter_text(Path(args.file))
        data: Any = parse_json(raw, args.file)
    except InputRefused as exc:
        return _fail(EXIT_INVALID, f"{exc.problem.path or args.file}: {exc.problem.message} [{exc.problem.code}]")
    except OSError as exc:
        return _fail(EXIT_INVALID, f"cannot read {args.file}: {exc.strerror or exc}")
    except UnicodeDecodeError:
        return _fail(EXIT_INVALID, f"{args.file} is not UTF-8 text")
    except json.JSONDecodeError as exc:
        return _fail(EXIT_INVALID, f"{args.file} is not JSON (line {exc.lineno}: {exc.msg})")
    from exam_assistant.library import cached_library
    from exam_assistant.store.intake import accept

    encounter = accept(data, cached_library())  # exactly the checks of `encounter validate`
    final = encounter.status == "final"
    draft = encounter.model_copy(update={"status": "draft", "finalised_at": None})
    repo, actor = _repo(args), actor_from_args(args)
    stored = repo.save_draft(draft, args.expected_version, actor, ui_step=args.ui_step)
    if final and stored.status == "draft":
        from reports.frozen import configured_renderer  # the PDF is frozen at finalise, as in the app

        stored = repo.finalise(stored.id, stored.version, actor, render=configured_renderer(args.database or None))
    sys.stdout.write(f"{stored.id}\n")
    return EXIT_OK


def _after(text: str | None) -> tuple[datetime, str] | None:
    """``--after VISIT,ID`` (as printed for the next page) as a keyset position."""
    if not text:
        return None
    visit, _, key = text.partition(",")
    return _when(visit, False), key.strip()


def _list(args: argparse.Namespace) -> int:
    rows = _repo(args).list(_filters(args), limit=args.limit, offset=args.offset, after=_after(args.after))
    sys.stdout.write(cli_output.listing(rows, args.format))
    if len(rows) == args.limit:  # a full page: say how to get the next one by keyset (fast at any depth)
        sys.stderr.write(f"next page: --after {rows[-1].created_at.isoformat()},{rows[-1].id}\n")
    return EXIT_OK


def _show(args: argparse.Namespace) -> int:
    stored = _repo(args).view(args.id, actor_from_args(args))  # a person reads it: logged as viewed
    sys.stdout.write(cli_output.show(stored, args.format))
    return EXIT_OK


def _export_csv(args: argparse.Namespace) -> int:
    from exam_assistant.store.export import encounters_frame

    repo, actor = _repo(args), actor_from_args(args)
    stored = list(repo.iter_encounters(_filters(args)))
    frame = encounters_frame(stored, include_notes=args.include_notes)
    try:
        write_private(args.output, frame.to_csv(index=False).encode("utf-8"))  # patient data: 0600
    except OSError as exc:
        return _fail(EXIT_INVALID, f"cannot write {args.output}: {exc.strerror or exc}")
    repo.record_exports([s.id for s in stored], actor, "csv")
    sys.stderr.write(f"wrote {len(frame)} encounter(s) to {args.output}\n")
    return EXIT_OK


def _db_verify_audit(args: argparse.Namespace) -> int:
    from exam_assistant.store.audit_chain import KEY_ENV, AuditKeyError

    try:
        report = _repo(args).verify_audit()
    except AuditKeyError as exc:
        return _fail(EXIT_INVALID, f"audit key: {exc}")
    if not report.ok:
        return _fail(EXIT_INVALID, f"audit log broken: {report.problem}")
    if report.keyed:
        how = f"checked with the audit key ({report.keyed_events} keyed event(s))"
    else:
        how = (f"unkeyed links only: without the audit key ({KEY_ENV}) a database owner could have "
               "rebuilt them")
    sys.stdout.write(f"audit log intact: {report.events} event(s); head {report.head or '-'}; {how}\n")
    return EXIT_OK


def _db_seal_audit(args: argparse.Namespace) -> int:
    from exam_assistant.store.audit_chain import KEY_ENV, AuditKeyError, audit_key, verify

    try:
        if audit_key() is None:
            return _fail(EXIT_INVALID, f"no audit key: set {KEY_ENV} (or {KEY_ENV}_FILE) first")
        repo = _repo(args)
        report = verify(repo.engine, audit_key(), require_keyed_head=False)
        if not report.ok:  # never vouch for a log that is already broken
            return _fail(EXIT_INVALID, f"audit log broken, not sealed: {report.problem}")
        repo.record_access("audit_sealed", actor_from_args(args), detail=f"events {report.events}")
    except AuditKeyError as exc:
        return _fail(EXIT_INVALID, f"audit key: {exc}")
    sys.stdout.write(f"audit log sealed with the audit key: {report.events} earlier event(s) now covered\n")
    return EXIT_OK


def _db_upgrade(args: argparse.Namespace) -> int:
    from exam_assistant.store.migrate import upgrade_database

    reached = upgrade_database(args.database or None, args.revision)
    sys.stdout.write(f"database {_safe_url(args)} is at revision {reached}\n")
    return EXIT_OK


def _common(parser: argparse.ArgumentParser, handler: Handler, actor: bool = False) -> None:
    parser.add_argument("--database", metavar="URL", help="database URL (default: see docs/records.md)")
    if actor:
        parser.add_argument("--actor", help="who is acting, for the audit log (default: login name)")
    parser.set_defaults(func=_guarded(handler))


def _filter_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--patient", help="part of the patient's name or identifier (any case)")
    parser.add_argument("--status", choices=["draft", "final"])
    parser.add_argument("--since", help="visits on or after this date (YYYY-MM-DD) or date-time")
    parser.add_argument("--until", help="visits on or before this date (YYYY-MM-DD) or date-time")
    parser.add_argument("--clinician", help="part of the clinician's name (any case)")


def register(subparsers: Any) -> None:
    """Add ``encounters`` (save, list, show, export-csv) and ``db`` (upgrade) to the CLI."""
    enc = subparsers.add_parser("encounters", help="stored encounter records")
    esub = enc.add_subparsers(dest="encounters_action", required=True)
    p = esub.add_parser("save", help="validate an encounter JSON file, store it, print its id")
    p.add_argument("file", help="encounter JSON file ('-' for stdin)")
    p.add_argument("--expected-version", type=int, help="the stored version the file was based on")
    p.add_argument("--ui-step", help="the exam step to resume at")
    _common(p, _save, actor=True)
    p = esub.add_parser("list", help="list stored encounters, newest visit first")
    p.add_argument("--format", choices=["text", "json", "csv"], default="text")
    p.add_argument("--limit", type=int, default=1000, help="at most this many rows (1-1000)")
    p.add_argument("--offset", type=int, default=0)
    p.add_argument("--after", metavar="VISIT,ID", help="the page after this row (printed as 'next page' on stderr)")
    _filter_options(p)
    _common(p, _list)
    p = esub.add_parser("show", help="print one stored encounter")
    p.add_argument("id")
    p.add_argument("--format", choices=["json", "text"], default="json")
    _common(p, _show, actor=True)
    p = esub.add_parser("export-csv", help="write matching encounters as CSV, one row each")
    p.add_argument("-o", "--output", required=True, help="the CSV file to write")
    p.add_argument("--include-notes", action="store_true", help="include free text (notes, complaint)")
    _filter_options(p)
    _common(p, _export_csv, actor=True)
    db = subparsers.add_parser("db", help="the records database")
    dsub = db.add_subparsers(dest="db_action", required=True)
    p = dsub.add_parser("upgrade", help="apply the database migrations (also done at start)")
    p.add_argument("--revision", default="head", help="target revision (default: head)")
    _common(p, _db_upgrade)
    p = dsub.add_parser("verify-audit", help="recompute the audit hash chain (and its MACs with the audit key); "
                        "exit 2 naming the first bad event")
    _common(p, _db_verify_audit)
    p = dsub.add_parser("seal-audit", help="write one keyed event now, so the audit key covers every earlier event")
    _common(p, _db_seal_audit, actor=True)
