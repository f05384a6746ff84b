"""``exam-assistant conditions list|show``: the condition guide on the command line."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from typing import Any

from exam_assistant.condition_guide import REGION_TITLES, ConditionGuideEntry
from exam_assistant.errors import EXIT_NOT_FOUND, EXIT_OK
from exam_assistant.library import Library, load_library


def entry_record(entry: ConditionGuideEntry, lib: Library) -> dict[str, Any]:
    """The entry as JSON-ready data, with the diagnosis name and default urgency tier beside it."""
    dx = lib.diagnoses[entry.diagnosis]
    return {"id": entry.diagnosis, "name": dx.name, "tier": dx.default_tier, **entry.model_dump(mode="json")}


def entry_text(entry: ConditionGuideEntry, lib: Library) -> str:
    """The entry as plain text: headed sections, each statement with its reference keys."""
    dx = lib.diagnoses[entry.diagnosis]
    lines = [dx.name, "=" * len(dx.name), f"id: {entry.diagnosis} · {REGION_TITLES[entry.region]} · {dx.default_tier}"]
    if entry.also_called:
        lines.append("Also called: " + ", ".join(entry.also_called))
    links = {
        "Examination items": entry.item_links(),
        "Rules": [rule_id for _, rule_id, _ in entry.rule_links()],
    }
    for heading, statements in entry.sections():
        lines += ["", heading]
        for st in statements:
            mark = " (uncertain)" if st.uncertain else ""
            body = f"{st.text} [{', '.join(st.references)}]{mark}"
            lines += textwrap.wrap(body, 96, initial_indent="- ", subsequent_indent="  ")
    for heading, ids in links.items():
        if ids:
            lines += ["", f"{heading}: " + ", ".join(dict.fromkeys(ids))]
    lines += ["", "For the patient"]
    for heading, statements in entry.patient_sections():
        lines.append(f"  {heading}: " + " ".join(st.text for st in statements))
    keys = sorted({k for st in entry.statements() for k in st.references})
    lines += ["", "References"]
    for key in keys:
        ref = lib.references[key]
        where = (ref.doi and f"doi:{ref.doi}") or ref.url or ""
        lines += textwrap.wrap(f"{key}: {' '.join(ref.citation.split())} {where}".rstrip(), 96,
                               initial_indent="- ", subsequent_indent="  ")
    return "\n".join(lines) + "\n"


def _list(args: argparse.Namespace) -> int:
    lib = load_library()
    entries = sorted(lib.conditions.values(), key=lambda e: (e.region, e.diagnosis))
    if args.format == "json":
        data = {"conditions": [entry_record(e, lib) for e in entries],
                "missing": sorted(set(lib.diagnoses) - set(lib.conditions)),
                "problems": [p.as_dict() for p in lib.problems]}
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    else:
        for e in entries:
            dx = lib.diagnoses[e.diagnosis]
            sys.stdout.write(f"{e.diagnosis:<30} {dx.default_tier:<10} {REGION_TITLES[e.region]:<24} {dx.name}\n")
    return EXIT_OK


def _show(args: argparse.Namespace) -> int:
    lib = load_library()
    entry = lib.conditions.get(args.id)
    if entry is None:
        known = ", ".join(sorted(lib.conditions))
        sys.stderr.write(f"exam-assistant: no condition guide entry '{args.id}'; known: {known}\n")
        return EXIT_NOT_FOUND
    if args.format == "json":
        sys.stdout.write(json.dumps(entry_record(entry, lib), indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(entry_text(entry, lib))
    return EXIT_OK


def register(subparsers: Any) -> None:
    """Add ``conditions list`` and ``conditions show`` to the ``exam-assistant`` command."""
    parser = subparsers.add_parser("conditions", help="the condition guide: every diagnosis explained, with sources")
    sub = parser.add_subparsers(dest="action", required=True)
    p = sub.add_parser("list", help="list the conditions of the guide")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(func=_list)
    p = sub.add_parser("show", help="print one condition's guide entry")
    p.add_argument("id", help="a diagnosis id, e.g. cervical_radiculopathy")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(func=_show)
