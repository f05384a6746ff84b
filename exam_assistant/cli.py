"""The ``exam-assistant`` command: protocols, encounters, assessment, records and export.

Exit codes (see errors.py and the README): 0 ok, 1 usage, 2 invalid input, 3 not found,
4 conflict (stale save), 5 partly failed batch.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from exam_assistant import __version__
from exam_assistant.errors import EXIT_INVALID, EXIT_NOT_FOUND, EXIT_OK, Problem
from exam_assistant.library import PackSource, build_library, load_library, pack_folders
from exam_assistant.models import Encounter
from exam_assistant.protocol import ProtocolPack


def _report(problems: Sequence[Problem]) -> None:
    for p in problems:
        print(str(p), file=sys.stderr)


def _json(data: Any) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False, default=str))


# ------------------------------------------------------------------ protocols


def _protocols_list(args: argparse.Namespace) -> int:
    lib = load_library()
    if args.format == "json":
        _json({
            "protocols": [
                {"id": p.pack.id, "title": p.pack.title, "version": p.pack.version, "kind": p.pack.kind,
                 "source": p.source, "content_hash": p.content_hash,
                 "items": len(p.pack.items()), "rules": len(p.pack.rules)}
                for p in lib.ordered_packs()
            ],
            "problems": [p.as_dict() for p in lib.problems],
        })
    else:
        for p in lib.ordered_packs():
            print(f"{p.pack.id:<18} {p.pack.version:<8} {p.pack.kind:<12} {p.pack.title}  ({len(p.pack.items())} items, "
                  f"{len(p.pack.rules)} rules)")
        _report(lib.problems)
    return EXIT_OK


def _protocols_validate(args: argparse.Namespace) -> int:
    if args.paths:
        sources = pack_folders()[:1] + [PackSource(Path(p), "argument") for p in args.paths]
        lib = build_library(sources)
    else:
        lib = load_library()
    _report(lib.problems)
    if lib.problems:
        print(f"{len(lib.problems)} problem(s); {len(lib.packs)} pack(s) valid", file=sys.stderr)
        return EXIT_INVALID
    print(f"{len(lib.packs)} pack(s) valid: {', '.join(sorted(lib.packs))}")
    return EXIT_OK


def _protocols_schema(args: argparse.Namespace) -> int:
    _json(ProtocolPack.model_json_schema(by_alias=True))
    return EXIT_OK


def _protocols_docs(args: argparse.Namespace) -> int:
    from exam_assistant.content_docs import clinical_content_markdown

    lib = load_library()
    _report(lib.problems)
    sys.stdout.write(clinical_content_markdown(lib))
    return EXIT_INVALID if lib.problems else EXIT_OK


# ------------------------------------------------------------------ encounter


def _encounter_schema(args: argparse.Namespace) -> int:
    _json(Encounter.model_json_schema(by_alias=True))
    return EXIT_OK


def _missing(path: str) -> bool:
    if Path(path).is_file():
        return False
    print(f"{path}: no such file", file=sys.stderr)
    return True


def _encounter_validate(args: argparse.Namespace) -> int:
    from exam_assistant.validation import load_encounter

    if _missing(args.file):
        return EXIT_NOT_FOUND
    lib = load_library()
    encounter, problems = load_encounter(Path(args.file), lib)
    _report(problems)
    if encounter is None or problems:
        return EXIT_INVALID
    print(f"{args.file}: valid encounter {encounter.id} with {len(encounter.findings)} finding(s)")
    return EXIT_OK


def _assess(args: argparse.Namespace) -> int:
    from exam_assistant.engine.assess import assess
    from exam_assistant.engine.text_report import assessment_text
    from exam_assistant.validation import load_encounter

    if _missing(args.file):
        return EXIT_NOT_FOUND
    lib = load_library()
    encounter, problems = load_encounter(Path(args.file), lib)
    _report(problems)
    if encounter is None or problems:
        return EXIT_INVALID
    result = assess(encounter, lib)
    if args.format == "json":
        print(result.model_dump_json(indent=2, by_alias=True))
    else:
        print(assessment_text(result, lib))
    return EXIT_OK


def build_parser(areas: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The full parser, or core commands plus only the named area modules."""
    parser = argparse.ArgumentParser(prog="exam-assistant", description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--version", action="version", version=f"exam-assistant {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    protocols = sub.add_parser("protocols", help="list, validate and describe protocol packs")
    psub = protocols.add_subparsers(dest="action", required=True)
    p = psub.add_parser("list", help="list loaded packs (and any that failed)")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(func=_protocols_list)
    p = psub.add_parser("validate", help="validate packs: exit 0 when valid, 2 when not")
    p.add_argument("paths", nargs="*", help="pack files or folders (default: every discovered pack)")
    p.set_defaults(func=_protocols_validate)
    p = psub.add_parser("schema", help="print the JSON Schema of a protocol pack")
    p.set_defaults(func=_protocols_schema)
    p = psub.add_parser("docs", help="print docs/clinical-content.md generated from the packs")
    p.set_defaults(func=_protocols_docs)

    encounter = sub.add_parser("encounter", help="the encounter JSON format")
    esub = encounter.add_subparsers(dest="action", required=True)
    p = esub.add_parser("schema", help="print the JSON Schema of an encounter")
    p.set_defaults(func=_encounter_schema)
    p = esub.add_parser("validate", help="validate an encounter file against the schema and the loaded protocols")
    p.add_argument("file")
    p.set_defaults(func=_encounter_validate)

    p = sub.add_parser("assess", help="print the assessment of an encounter file")
    p.add_argument("file")
    p.add_argument("--format", choices=["json", "text"], default="json")
    p.set_defaults(func=_assess)

    for name in sorted(set(AREAS.values()) | set(SUBCOMMAND_AREAS.values())) if areas is None else areas:
        importlib.import_module(name).register(sub)
    return parser


# Each area registers its own subcommands. Importing an area pulls in its libraries (SQLAlchemy,
# Alembic, reportlab), so only the area a command belongs to is imported.
AREAS: dict[str, str] = {
    "encounters": "exam_assistant.store.cli",
    "db": "exam_assistant.store.cli",
    "export": "reports.cli",
    "practice": "exam_assistant.practice.cli",
    "conditions": "exam_assistant.condition_cli",
    "import": "exam_assistant.fhir.cli",
    "invite": "exam_assistant.store.invite_cli",
}
# A subcommand living in another area than its command: ``export fhir`` needs neither reportlab nor the store.
SUBCOMMAND_AREAS: dict[tuple[str, str], str] = {
    ("export", "fhir"): "exam_assistant.fhir.cli",
    ("export", "handout"): "reports.handout_cli",
}
CORE_COMMANDS = {"protocols", "encounter", "assess"}


def areas_for(argv: Sequence[str]) -> list[str] | None:
    """The area modules a command line needs: none for core commands, every area when unsure (help)."""
    words = [a for a in argv if not a.startswith("-")]
    command = words[0] if words else None
    if command in CORE_COMMANDS:
        return []
    pair = (words[0], words[1]) if len(words) > 1 else None
    if pair in SUBCOMMAND_AREAS:
        return [SUBCOMMAND_AREAS[pair]]
    if command in AREAS:
        shared = [area for (cmd, _), area in SUBCOMMAND_AREAS.items() if cmd == command and len(words) < 2]
        return [AREAS[command], *shared]
    return None


def main(argv: Sequence[str] | None = None) -> int:
    args_in = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(areas_for(args_in))
    args = parser.parse_args(args_in)
    try:
        code: int = args.func(args)
    except BrokenPipeError:  # output piped into `head` and the reader closed: not an error
        sys.stderr.close()
        return EXIT_OK
    return code


if __name__ == "__main__":
    sys.exit(main())
