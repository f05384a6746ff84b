"""``exam-assistant export handout ENCOUNTER.json -o handout.pdf``: the patient's plain-language leaflet.

Exit codes: 0 ok, 2 invalid input (encounter or clinic profile), 3 file not found.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from exam_assistant.errors import EXIT_INVALID, EXIT_NOT_FOUND, EXIT_OK
from reports.cli_args import export_subparsers


def _fail(code: int, message: str) -> int:
    sys.stderr.write(f"exam-assistant: {message}\n")
    return code


def _export_handout(args: argparse.Namespace) -> int:
    from exam_assistant.engine.assess import assess
    from exam_assistant.library import load_library
    from exam_assistant.validation import load_encounter
    from reports.handout import render_handout
    from reports.options import ClinicProfile

    source = Path(args.encounter)
    if not source.is_file():
        return _fail(EXIT_NOT_FOUND, f"{source} does not exist")
    try:
        profile = ClinicProfile()
        if args.clinic_profile:
            profile = ClinicProfile.model_validate_json(Path(args.clinic_profile).read_text(encoding="utf-8"))
        if args.paper:
            profile = profile.model_copy(update={"paper": args.paper})
    except OSError as exc:
        return _fail(EXIT_NOT_FOUND, f"cannot read the clinic profile: {exc.strerror or exc}")
    except ValidationError as exc:
        where = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        return _fail(EXIT_INVALID, f"invalid clinic profile: {where}")
    library = load_library()
    encounter, problems = load_encounter(source, library)
    for problem in problems:
        sys.stderr.write(f"{problem}\n")
    if encounter is None or problems:
        return EXIT_INVALID
    pdf = render_handout(encounter, assess(encounter, library), library, profile)
    target = Path(args.output)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(pdf)
    except OSError as exc:
        return _fail(EXIT_INVALID, f"cannot write {target}: {exc.strerror or exc}")
    sys.stderr.write(f"wrote {target}\n")
    return EXIT_OK


def register(subparsers: Any) -> None:
    """Add ``export handout`` to the ``exam-assistant`` command."""
    p = export_subparsers(subparsers).add_parser(
        "handout", help="write the patient's plain-language handout (at most 2 pages) of an encounter file"
    )
    p.add_argument("encounter", metavar="ENCOUNTER.json", help="an encounter JSON file")
    p.add_argument("-o", "--output", required=True, help="the PDF file to write")
    p.add_argument("--paper", choices=["A4", "Letter"], help="paper size (default: the clinic profile's, else A4)")
    p.add_argument("--clinic-profile", metavar="PROFILE.json", help="clinic name, address, logo and paper")
    p.set_defaults(func=_export_handout)
