"""``exam-assistant practice``: list the practice cases and mark attempt files in batch.

``practice list [--format text|json]`` lists every discovered case (never its answers).
``practice score ATTEMPT.json... [--format text|json]`` marks each attempt against its case.
``practice schema case|attempt`` prints the JSON Schema of a case file or an attempt file.
Exit codes: 0 all marked, 2 invalid attempt, 3 case not found, 5 some files failed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from exam_assistant.errors import EXIT_INVALID, EXIT_NOT_FOUND, EXIT_OK, EXIT_PARTIAL, Problem
from exam_assistant.library import Library, load_library
from exam_assistant.practice.attempt import load_attempt
from exam_assistant.practice.choices import DOMAIN_LABELS, GLOBAL_RATING_LABELS
from exam_assistant.practice.feedback import Feedback, feedback_for
from exam_assistant.practice.loader import CaseLibrary, load_cases


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


def _err(problems: list[Problem]) -> None:
    for p in problems:
        sys.stderr.write(f"{p}\n")


def _json(data: Any) -> None:
    _out(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def _load() -> tuple[Library, CaseLibrary]:
    lib = load_library()
    return lib, load_cases(lib)


def _list(args: argparse.Namespace) -> int:
    lib, cases = _load()
    rows = [
        {"id": lc.case.id, "title": lc.case.title, "level": lc.case.level,
         "patient": {"age": lc.case.patient.age, "sex": lc.case.patient.sex},
         "presenting_complaint": lc.case.presenting_complaint, "setting": lc.case.setting,
         "time_limit_minutes": lc.case.time_limit_minutes, "points": lc.case.maximum, "source": lc.source}
        for lc in cases.ordered()
    ]
    if args.format == "json":
        _json({"cases": rows, "problems": [p.as_dict() for p in cases.problems]})
    else:
        for r in rows:
            _out(f"{r['id']:<26} {r['level']:<13} {r['title']}")
        _out(f"{len(rows)} case(s)")
        _err(cases.problems)
    if lib.problems and cases.problems:
        sys.stderr.write(f"note: the protocol library has {len(lib.problems)} problem(s); cases that use a broken "
                         "pack cannot load (see `exam-assistant protocols validate`)\n")
    return EXIT_OK


def feedback_text(fb: Feedback) -> str:
    """The mark sheet as plain text for the terminal."""
    s = fb.score
    lines = [
        f"{s.case_title} ({s.case_id}) — {s.mode} mode" + (f", student {s.student}" if s.student else ""),
        f"SCORE {s.total:g}/{s.maximum:g} ({s.percent:g}%) — global rating: {GLOBAL_RATING_LABELS[s.global_rating]}",
    ]
    lines += [f"  capped: {why}" for why in s.capped_by]
    if s.examiner_global_rating:
        lines.append(f"  examiner's rating: {GLOBAL_RATING_LABELS[s.examiner_global_rating]}")
    if s.overtime:
        lines.append(f"  over the {s.time_limit_minutes}-minute time limit")
    lines.append("DOMAINS")
    for d in s.domains:
        pct = "–" if d.percent is None else f"{d.percent:g}%"
        lines.append(f"  {DOMAIN_LABELS[d.domain]:<18} {d.earned:g}/{d.available:g} ({pct})")
    lines.append("CHECKLIST")
    marks = {"met": "✓", "partial": "~", "missed": "✗", "penalty": "−"}
    for e in fb.entries:
        lines.append(f"  {marks[e.status]} {e.title} — {e.detail}")
        lines += [f"      {x}" for x in e.explanation]
        if e.references:
            lines.append(f"      [{', '.join(e.references)}]")
    lines.append("WHAT THE EVIDENCE SAYS")
    for n in fb.evidence:
        lines += [f"  {n.title}", f"      yours: {n.yours}", f"      whole case: {n.whole_case}"]
    lines.append("REFERENCES")
    lines += [f"  [{r.key}] {r.citation}" + (f" {r.link}" if r.link else "") for r in fb.references]
    return "\n".join(lines)


def _score(args: argparse.Namespace) -> int:
    lib, cases = _load()
    results: list[dict[str, Any]] = []
    codes: list[int] = []
    for name in args.files:
        attempt, problems = load_attempt(Path(name))
        case = cases.get(attempt.case_id) if attempt is not None else None
        if attempt is not None and case is None:
            problems = [Problem("CASE_010", name, f"case '{attempt.case_id}' is not loaded "
                                                  "(see `exam-assistant practice list`)", "case_id")]
        if attempt is None or case is None:
            _err(problems)
            codes.append(EXIT_NOT_FOUND if attempt is not None else EXIT_INVALID)
            results.append({"file": name, "problems": [p.as_dict() for p in problems]})
            continue
        fb = feedback_for(case, attempt, lib)
        codes.append(EXIT_OK)
        if args.format == "json":
            results.append({"file": name, "feedback": fb.model_dump(mode="json", by_alias=True)})
        else:
            _out(f"=== {name}\n{feedback_text(fb)}\n")
    if args.format == "json":
        _json({"results": results})
    failed = [c for c in codes if c != EXIT_OK]
    if not failed:
        return EXIT_OK
    if len(failed) < len(codes):
        return EXIT_PARTIAL
    return failed[0] if len(set(failed)) == 1 else EXIT_INVALID


def _schema(args: argparse.Namespace) -> int:
    from exam_assistant.practice.attempt import Attempt
    from exam_assistant.practice.case import Case

    model = Case if args.what == "case" else Attempt
    _json(model.model_json_schema(by_alias=True))
    return EXIT_OK


def register(subparsers: Any) -> None:
    """Add ``practice list`` and ``practice score`` to the ``exam-assistant`` command."""
    practice = subparsers.add_parser("practice", help="practice cases for students: list cases, mark attempts")
    psub = practice.add_subparsers(dest="action", required=True)
    p = psub.add_parser("list", help="list the practice cases")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(func=_list)
    p = psub.add_parser("score", help="mark attempt JSON files against their cases")
    p.add_argument("files", nargs="+", metavar="ATTEMPT.json")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(func=_score)
    p = psub.add_parser("schema", help="print the JSON Schema of a case file or of an attempt file")
    p.add_argument("what", choices=["case", "attempt"])
    p.set_defaults(func=_schema)
