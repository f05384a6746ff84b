"""``exam-assistant export fhir`` and ``exam-assistant import fhir``.

Exit codes: 0 ok, 1 database unreachable, 2 invalid input (one plain line on stderr), 3 not
found, 5 some records of a bulk export failed. Messages never quote clinical content.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from exam_assistant.errors import EXIT_INVALID, EXIT_NOT_FOUND, EXIT_OK, EXIT_PARTIAL, EXIT_USAGE

# One encounter's bundle is ~0.5 MB; a frozen PDF inside it a few MB more. Anything far larger is
# not one of ours, and reading it whole would only waste memory.
MAX_IMPORT_BYTES = 50_000_000


def _fail(code: int, message: str) -> int:
    sys.stderr.write(f"exam-assistant: {message}\n")
    return code


def _write(target: str | None, text: str) -> int:
    if target in (None, "-"):
        sys.stdout.write(text)
        return EXIT_OK
    path = Path(str(target))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        return _fail(EXIT_INVALID, f"cannot write {path}: {exc.strerror or exc}")
    sys.stderr.write(f"wrote {path}\n")
    return EXIT_OK


def _clinic(args: argparse.Namespace) -> Any:
    """The clinic profile as FHIR's Organization needs it, or None; raises ValueError with a plain message."""
    if not args.clinic_profile:
        return None
    from pydantic import ValidationError

    from exam_assistant.fhir.parties import Clinic
    from reports.options import ClinicProfile

    try:
        profile = ClinicProfile.model_validate_json(Path(args.clinic_profile).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ValueError(f"cannot read the clinic profile: {exc.strerror or exc}") from exc
    except ValidationError as exc:
        raise ValueError("invalid clinic profile: " + "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()[:3])) from exc
    return Clinic(name=profile.name, address=profile.address, phone=profile.phone)


def _moment(text: str) -> datetime:
    if len(text) == 10:
        return datetime.combine(date.fromisoformat(text), time.min, tzinfo=UTC)
    parsed = datetime.fromisoformat(text)
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed


def _export_one(args: argparse.Namespace, clinic: Any) -> int:
    from exam_assistant.fhir.bundle import build_bundle
    from exam_assistant.fhir.questionnaire import ExportError
    from exam_assistant.library import load_library

    library = load_library()
    pdf: bytes | None = None
    if args.id:
        from sqlalchemy.exc import SQLAlchemyError

        from exam_assistant.store.errors import InvalidEncounterError, NotFoundError
        from exam_assistant.store.repository import open_store

        try:
            repo = open_store(args.database or None)
            stored = repo.get(args.id)
            # A final note's frozen PDF is the record (issue 14); it travels as a DocumentReference.
            frozen = repo.frozen_note(args.id) if stored.encounter.status == "final" else None
            pdf = frozen.pdf if frozen is not None else None
        except NotFoundError:
            return _fail(EXIT_NOT_FOUND, f"no stored encounter {args.id}")
        except InvalidEncounterError:
            return _fail(EXIT_INVALID, f"stored encounter {args.id} no longer validates")
        except SQLAlchemyError as exc:
            return _fail(EXIT_USAGE, f"database error: {type(exc).__name__}")
        encounter = stored.encounter
    else:
        from exam_assistant.validation import load_encounter

        source = Path(args.encounter)
        if not source.is_file():
            return _fail(EXIT_NOT_FOUND, f"{source} does not exist")
        loaded, problems = load_encounter(source, library)
        if loaded is None or problems:
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            first = str(problems[0]) if problems else "not an encounter"
            return _fail(EXIT_INVALID, f"{source} is not a valid encounter: {first}{more}".replace("\n", " "))
        encounter = loaded
    try:
        bundle = build_bundle(encounter, library, clinic=clinic, pdf=pdf)
    except ExportError as exc:
        return _fail(EXIT_INVALID, str(exc))
    code = _write(args.output, json.dumps(bundle, indent=2, ensure_ascii=False) + "\n")
    if code == EXIT_OK and args.id:
        _audit(args, [args.id])
    return code


def _audit(args: argparse.Namespace, ids: list[str]) -> None:
    """Every export from the store is in the audit log (ARCHITECTURE: persistence)."""
    from sqlalchemy.exc import SQLAlchemyError

    from exam_assistant.store.cli import actor_from_args
    from exam_assistant.store.repository import open_store

    try:
        open_store(args.database or None).record_exports(ids, actor_from_args(args), "fhir")
    except SQLAlchemyError as exc:
        sys.stderr.write(f"exam-assistant: written but the audit log failed: {type(exc).__name__}\n")


class _Progress:
    """``Exporting 250/500`` on stderr, every 10%: a bulk run is often logged rather than watched."""

    def __init__(self) -> None:
        self._last = -1

    def __call__(self, done: int, total: int) -> None:
        if total and done * 10 // total != self._last:
            self._last = done * 10 // total
            sys.stderr.write(f"Exporting FHIR {done}/{total}\n")
            sys.stderr.flush()


def _export_bulk(args: argparse.Namespace, clinic: Any) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from exam_assistant.fhir.bulk import export_ndjson
    from exam_assistant.library import load_library
    from exam_assistant.store.records import EncounterFilters
    from exam_assistant.store.repository import open_store
    from reports.cli import stored_records
    from reports.time_limit import DEFAULT_RECORD_SECONDS, time_limit

    out_dir = Path(args.output)
    if out_dir.exists() and not out_dir.is_dir():
        return _fail(EXIT_INVALID, f"{out_dir} is a file; --from-db writes NDJSON files into a folder")
    try:
        since = _moment(args.since) if args.since else None
    except ValueError:
        return _fail(EXIT_INVALID, "--since takes a date (YYYY-MM-DD) or an ISO date-time")
    try:
        repo = open_store(args.database or None)
        records, unreadable = stored_records(repo, EncounterFilters(since=since))
    except SQLAlchemyError as exc:
        return _fail(EXIT_USAGE, f"database error: {type(exc).__name__}")
    def pdf_for(key: str) -> bytes | None:
        frozen = repo.frozen_note(key)
        return frozen.pdf if frozen is not None else None

    summary = export_ndjson(records, out_dir, load_library(), clinic=clinic, progress=_Progress(), pdf_for=pdf_for,
                            record_limit=lambda: time_limit(DEFAULT_RECORD_SECONDS))  # same limit as the PDF batch
    failures = [(f.key, f.error) for f in unreadable] + summary.failures
    if summary.succeeded:
        _audit(args, summary.succeeded)
    files = ", ".join(f"{kind}.ndjson ({n})" for kind, n in sorted(summary.written.items()))
    sys.stderr.write(f"exported {len(summary.succeeded)} of {summary.total + len(unreadable)} encounter(s) "
                     f"to {out_dir}: {files or 'nothing'}\n")
    for key, error in sorted(failures):
        sys.stderr.write(f"  failed: encounter {key}: {error}\n")
    return EXIT_PARTIAL if failures else EXIT_OK


def _export_fhir(args: argparse.Namespace) -> int:
    sources = sum(bool(x) for x in (args.encounter, args.id, args.from_db))
    if sources != 1:
        return _fail(EXIT_INVALID, "give one of: an ENCOUNTER.json file, --id ID, or --from-db")
    if args.from_db and not args.output:
        return _fail(EXIT_INVALID, "--from-db needs -o DIR")
    try:
        clinic = _clinic(args)
    except ValueError as exc:
        return _fail(EXIT_INVALID, str(exc))
    return _export_bulk(args, clinic) if args.from_db else _export_one(args, clinic)


def _import_fhir(args: argparse.Namespace) -> int:
    from exam_assistant.fhir.importer import ImportProblem, encounter_from_bundle, encounter_from_response
    from exam_assistant.library import load_library

    source = Path(args.file)
    if not source.is_file():
        return _fail(EXIT_NOT_FOUND, f"{source} does not exist")
    if source.stat().st_size > MAX_IMPORT_BYTES:
        return _fail(EXIT_INVALID, f"{source} is larger than {MAX_IMPORT_BYTES:,} bytes; not a bundle of one encounter")
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return _fail(EXIT_INVALID, f"{source} is not JSON (or is nested too deeply)")
    kind = data.get("resourceType") if isinstance(data, dict) else None
    try:
        if kind == "Bundle":
            encounter = encounter_from_bundle(data, load_library())
        elif kind == "QuestionnaireResponse":
            if not (args.patient_name and args.birth_date):
                return _fail(EXIT_INVALID, "a lone QuestionnaireResponse needs --patient-name and --birth-date")
            encounter = encounter_from_response(data, load_library(), args.patient_name,
                                                date.fromisoformat(args.birth_date))
        else:
            return _fail(EXIT_INVALID, f"{source} is neither a FHIR Bundle nor a QuestionnaireResponse")
    except ImportProblem as exc:
        return _fail(EXIT_INVALID, f"{source}: {exc}")
    except ValueError:
        return _fail(EXIT_INVALID, "--birth-date takes a date (YYYY-MM-DD)")
    return _write(args.output, encounter.model_dump_json(indent=2) + "\n")


def _subparsers_of(subparsers: Any, command: str, help_text: str) -> Any:
    """The subparsers of ``command``, creating it if no other area has yet (``export`` is shared with PDF)."""
    parser = subparsers.choices.get(command)
    if parser is None:
        parser = subparsers.add_parser(command, help=help_text)
        return parser.add_subparsers(dest=f"{command}_format", required=True)
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    return parser.add_subparsers(dest=f"{command}_format", required=True)


def register(subparsers: Any) -> None:
    """Add ``export fhir`` and ``import fhir`` to the ``exam-assistant`` command."""
    p = _subparsers_of(subparsers, "export", "export notes and records").add_parser(
        "fhir", help="write a FHIR R4 document Bundle of an encounter, or Bulk Data NDJSON of stored ones (--from-db)"
    )
    p.add_argument("encounter", nargs="?", metavar="ENCOUNTER.json", help="an encounter JSON file")
    p.add_argument("--id", help="export the stored encounter with this id")
    p.add_argument("-o", "--output", help="the bundle file (default: stdout); a folder with --from-db")
    p.add_argument("--clinic-profile", metavar="PROFILE.json", help="the clinic, exported as the Organization")
    p.add_argument("--from-db", action="store_true", help="export stored encounters as NDJSON, one file per type")
    p.add_argument("--since", help="with --from-db: visits on or after this date (YYYY-MM-DD)")
    p.add_argument("--database", metavar="URL", help="with --id or --from-db: database URL")
    p.add_argument("--actor", help="with --id or --from-db: who exports, for the audit log (default: login name)")
    p.set_defaults(func=_export_fhir)

    p = _subparsers_of(subparsers, "import", "turn exchange formats back into encounters").add_parser(
        "fhir", help="turn a FHIR Bundle from this project (or one QuestionnaireResponse) into an encounter JSON"
    )
    p.add_argument("file", metavar="BUNDLE.json")
    p.add_argument("-o", "--output", help="the encounter file (default: stdout)")
    p.add_argument("--patient-name", help="for a lone QuestionnaireResponse: the patient's name")
    p.add_argument("--birth-date", help="for a lone QuestionnaireResponse: the patient's date of birth")
    p.set_defaults(func=_import_fhir)
