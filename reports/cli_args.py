"""The shared ``export`` command group, so each export area registers its format without importing the others."""

from __future__ import annotations

import argparse
from typing import Any


def export_subparsers(subparsers: Any) -> Any:
    """The ``export`` command's subparsers, creating ``export`` if no other area has yet."""
    parser = subparsers.choices.get("export")
    if parser is None:
        parser = subparsers.add_parser("export", help="export notes and records")
        return parser.add_subparsers(dest="export_format", required=True)
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    return parser.add_subparsers(dest="export_format", required=True)
