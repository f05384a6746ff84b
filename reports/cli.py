"""``exam-assistant export pdf``: one encounter file to a note, or a batch from the records database.

Exit codes: 0 ok, 2 invalid input, 3 file not found, 5 some notes of a batch failed; 1 when the
database cannot be reached. Messages never quote clinical content.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any, TextIO

from pydantic import ValidationError

from exam_assistant.errors import EXIT_INVALID, EXIT_NOT_FOUND, EXIT_OK, EXIT_PARTIAL, EXIT_USAGE
from exam_assistant.private_files import write_private
from exam_assistant.store.cli import actor_from_args
from reports.batch import BatchFailure, BatchSummary, export_batch
from reports.cli_args import export_subparsers
from reports.options import ClinicProfile, NoteOptions

PAGE = 1000  # the store's largest listing page


def _fail(code: int, message: str) -> int:
    sys.stderr.write(f"exam-assistant: {message}\n")
    return code


def _profile(args: argparse.Namespace) -> ClinicProfile:
    profile = ClinicProfile()
    if args.clinic_profile:
        source = Path(args.clinic_profile)
        # The logo is read only from the folder of the profile file (the clinic's folder).
        profile = ClinicProfile.model_validate_json(
            source.read_text(encoding="utf-8"), context={"clinic_folder": source.resolve().parent}
        )
    if args.paper:
        profile = profile.model_copy(update={"paper": args.paper})
    if bool(args.sign_cert) != bool(args.sign_key):
        raise ValueError("--sign-cert and --sign-key go together")
    if args.sign_cert:
        profile = ClinicProfile.model_validate(
            {**profile.model_dump(), "sign_cert": Path(args.sign_cert), "sign_key": Path(args.sign_key)}
        )
    return profile


def _moment(text: str, end_of_day: bool) -> datetime:
    if len(text) == 10:
        start = datetime.combine(date.fromisoformat(text), time.min, tzinfo=UTC)
        return start + timedelta(days=1, microseconds=-1) if end_of_day else start
    parsed = datetime.fromisoformat(text)
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed


class ProgressBar:
    """``Exporting [#####.....] 250/500`` on stderr: redrawn in place on a terminal, every 10% otherwise."""

    def __init__(self, stream: TextIO, width: int = 30) -> None:
        self.stream = stream
        self.width = width
        self.tty = stream.isatty()
        self._last_tenth = -1

    def __call__(self, done: int, total: int) -> None:
        if total <= 0:
            return
        filled = self.width * done // total
        line = f"Exporting [{'#' * filled}{'.' * (self.width - filled)}] {done}/{total}"
        if self.tty:
            self.stream.write("\r" + line + ("\n" if done == total else ""))
        elif done * 10 // total != self._last_tenth:
            self._last_tenth = done * 10 // total
            self.stream.write(line + "\n")
        self.stream.flush()


def _single(args: argparse.Namespace, profile: ClinicProfile, options: NoteOptions) -> int:
    from exam_assistant.engine.assess import assess
    from exam_assistant.library import load_library
    from exam_assistant.validation import load_encounter
    from reports.frozen import render_final, signing_key
    from reports.note import render_note
    from reports.signing import SigningError

    source = Path(args.encounter)
    if not source.is_file():
        return _fail(EXIT_NOT_FOUND, f"{source} does not exist")
    library = load_library()
    encounter, problems = load_encounter(source, library)
    for problem in problems:
        sys.stderr.write(f"{problem}\n")
    if encounter is None or problems:
        return EXIT_INVALID
    signing = signing_key(profile)
    if signing is not None:
        try:
            pdf = render_final(encounter, library, profile, options, signing=signing).pdf
        except (SigningError, ValueError) as exc:
            return _fail(EXIT_INVALID, f"cannot sign the note: {exc}")
    else:
        encounter = profile.apply_defaults(encounter)
        pdf = render_note(encounter, assess(encounter, library), library, profile, options)
    target = Path(args.output)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_private(target, pdf)  # patient data: owner-only
    except OSError as exc:
        return _fail(EXIT_INVALID, f"cannot write {target}: {exc.strerror or exc}")
    sys.stderr.write(f"wrote {target}\n")
    return EXIT_OK




def stored_records(repo: Any, filters: Any) -> tuple[list[tuple[str, str]], list[BatchFailure]]:
    """(id, encounter JSON) of every matching stored encounter, and the ones that could not be read.

    Records are listed first and read one by one, so a record that no longer validates is
    reported as a failure instead of stopping the export.
    """
    from exam_assistant.store.errors import InvalidEncounterError, NotFoundError

    ids: list[str] = []
    while True:
        page = repo.list(filters, limit=PAGE, offset=len(ids))
        ids += [row.id for row in page]
        if len(page) < PAGE:
            break
    records: list[tuple[str, str]] = []
    failures: list[BatchFailure] = []
    for encounter_id in ids:
        try:
            records.append((encounter_id, repo.get(encounter_id).encounter.model_dump_json()))
        except (InvalidEncounterError, NotFoundError) as exc:
            reason = "no longer valid" if isinstance(exc, InvalidEncounterError) else "deleted meanwhile"
            failures.append(BatchFailure(encounter_id, f"stored record {reason}"))
    return records, failures


def write_frozen(repo: Any, records: list[tuple[str, str]], out_dir: Path) -> tuple[list[tuple[str, str]], list[Path]]:
    """Write the frozen PDF of every final note as stored (byte for byte); return the records
    still to render (drafts, and finals frozen before notes were kept as bytes) and the files written."""
    from exam_assistant.models import Encounter
    from reports.batch import note_filename

    rest: list[tuple[str, str]] = []
    written: list[Path] = []
    out_dir.mkdir(parents=True, exist_ok=True)
    for key, raw in records:
        frozen = repo.frozen_note(key)
        if frozen is None:
            rest.append((key, raw))
            continue
        target = out_dir / note_filename(Encounter.model_validate_json(raw))
        tmp = target.with_suffix(".pdf.part")
        write_private(tmp, frozen.pdf)
        tmp.replace(target)
        written.append(target)
    return rest, written


def _from_db(args: argparse.Namespace, profile: ClinicProfile, options: NoteOptions) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from exam_assistant.store.records import EncounterFilters
    from exam_assistant.store.repository import open_store

    out_dir = Path(args.output)
    if out_dir.exists() and not out_dir.is_dir():
        return _fail(EXIT_INVALID, f"{out_dir} is a file; --from-db writes one note per encounter into a folder")
    try:
        filters = EncounterFilters(
            patient=args.patient,
            status=args.status,
            clinician=args.clinician,
            since=_moment(args.since, False) if args.since else None,
            until=_moment(args.until, True) if args.until else None,
        )
    except ValueError:
        return _fail(EXIT_INVALID, "--since and --until take a date (YYYY-MM-DD) or an ISO date-time")
    try:
        repo = open_store(args.database or None)
        records, unreadable = stored_records(repo, filters)
    except SQLAlchemyError as exc:
        return _fail(EXIT_USAGE, f"database error: {type(exc).__name__}")
    if not records and not unreadable:
        sys.stderr.write("no stored encounter matches the filters; nothing exported\n")
        return EXIT_OK
    frozen: list[Path] = []
    if not options.deidentified:  # a de-identified copy is a new rendering, never the record itself
        records, frozen = write_frozen(repo, records, out_dir)
    summary = (
        export_batch(records, out_dir, profile, options.model_copy(update={"rerendered": True}),  # finals say so
                     workers=args.workers, progress=ProgressBar(sys.stderr))
        if records
        else BatchSummary()
    )
    summary.written = sorted(summary.written + frozen)
    summary.succeeded = sorted(summary.succeeded + [p.stem.split("_", 1)[1] for p in frozen])
    summary.total += len(unreadable) + len(frozen)
    summary.failures = sorted(unreadable + summary.failures, key=lambda f: f.key)
    if summary.succeeded:
        try:
            repo.record_exports(summary.succeeded, actor_from_args(args), "pdf")
        except SQLAlchemyError as exc:
            sys.stderr.write(f"exam-assistant: notes written but the audit log failed: {type(exc).__name__}\n")
    sys.stderr.write(f"wrote {len(summary.written)} of {summary.total} note(s) to {out_dir}\n")
    for failure in summary.failures:
        sys.stderr.write(f"  failed: encounter {failure.key}: {failure.error}\n")
    return EXIT_PARTIAL if summary.failures else EXIT_OK


def _export_pdf(args: argparse.Namespace) -> int:
    if bool(args.from_db) == bool(args.encounter):
        return _fail(EXIT_INVALID, "give either an ENCOUNTER.json file or --from-db")
    try:
        profile = _profile(args)
    except OSError as exc:
        return _fail(EXIT_NOT_FOUND, f"cannot read the clinic profile: {exc.strerror or exc}")
    except ValidationError as exc:
        where = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        return _fail(EXIT_INVALID, f"invalid clinic profile: {where}")
    except ValueError as exc:
        return _fail(EXIT_INVALID, str(exc))
    options = NoteOptions(deidentified=args.deidentified)
    if args.from_db:
        return _from_db(args, profile, options)
    return _single(args, profile, options)


def register(subparsers: Any) -> None:
    """Add ``export pdf`` to the ``exam-assistant`` command."""
    p = export_subparsers(subparsers).add_parser(
        "pdf", help="write the PDF clinical note of an encounter file, or of stored encounters (--from-db)"
    )
    p.add_argument("encounter", nargs="?", metavar="ENCOUNTER.json", help="an encounter JSON file")
    p.add_argument("-o", "--output", required=True, help="the PDF file to write; a folder with --from-db")
    p.add_argument("--deidentified", action="store_true", help="leave out name, date of birth, identifier and dates")
    p.add_argument("--paper", choices=["A4", "Letter"], help="paper size (default: the clinic profile's, else A4)")
    p.add_argument(
        "--clinic-profile", metavar="PROFILE.json", help="clinic name, address, logo, paper, pre-test defaults"
    )
    p.add_argument("--sign-cert", metavar="CERT.pem", help="sign the note (PAdES) with this certificate")
    p.add_argument("--sign-key", metavar="KEY.pem", help="the private key of --sign-cert")
    p.add_argument("--from-db", action="store_true", help="export every stored encounter matching the filters")
    p.add_argument("--patient", help="with --from-db: part of the patient's name or identifier")
    p.add_argument("--status", choices=["draft", "final"], help="with --from-db: only drafts or only final notes")
    p.add_argument("--since", help="with --from-db: visits on or after this date (YYYY-MM-DD)")
    p.add_argument("--until", help="with --from-db: visits on or before this date (YYYY-MM-DD)")
    p.add_argument("--clinician", help="with --from-db: part of the clinician's name")
    p.add_argument("--database", metavar="URL", help="with --from-db: database URL (default: see docs/records.md)")
    p.add_argument("--workers", type=int, help="with --from-db: processes to use (default: every core)")
    p.add_argument("--actor", help="with --from-db: who exports, for the audit log (default: login name)")
    p.set_defaults(func=_export_pdf)
