"""Reading pack and case files safely: regular files only, a size limit, no link out of the folder,
and duplicate keys refused.

A clinic's pack folder is writable by more people than the app's code. A FIFO there used to hang
loading (every pack, not just that one), a link to /dev/zero exhausted memory, and a duplicated
key inside a rule silently replaced its condition (the last ``when:`` won), against hazard H11.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError

MAX_PACK_BYTES = 2_000_000  # the largest built-in pack is about 100 kB

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_MERGE = "tag:yaml.org,2002:merge"


class RefusedFile(OSError):
    """The file is not one the loader will read; ``strerror`` says why in plain words."""

    def __init__(self, reason: str) -> None:
        super().__init__(errno.EPERM, reason)


def read_source_bytes(path: Path, limit: int = MAX_PACK_BYTES) -> bytes:
    """The bytes of ``path``, refusing a non-regular file, a link leaving its folder, or an oversized file.

    The type is checked before opening (opening a FIFO blocks) and again on the open descriptor
    (opened non-blocking, so a file swapped for a FIFO in between cannot hang the read either).
    """
    if path.is_symlink():
        folder = os.path.realpath(path.parent)
        target = os.path.realpath(path)
        if os.path.commonpath([folder, target]) != folder:
            raise RefusedFile("is a link to a file outside its folder; copy the file in instead")
    try:
        before = path.stat()
    except FileNotFoundError:
        raise RefusedFile("is a broken link or was removed") from None
    if not stat.S_ISREG(before.st_mode):
        raise RefusedFile("is not a regular file (a device, pipe or folder)")
    if before.st_size > limit:
        raise RefusedFile(f"is {before.st_size:,} bytes; the limit is {limit:,}")
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise RefusedFile("is not a regular file (a device, pipe or folder)")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            raw = handle.read(limit + 1)
    finally:
        os.close(fd)
    if len(raw) > limit:
        raise RefusedFile(f"is over the {limit:,}-byte limit")
    return raw


class StrictLoader(_Base):  # type: ignore[misc]
    """yaml's safe loader, refusing a key that appears twice in one mapping (merge keys aside)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        first_seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == _MERGE:
                continue
            key = self.construct_object(key_node, deep=True)
            try:
                line = first_seen.get(key)
            except TypeError:  # an unhashable key: the base class reports it
                continue
            if line is not None:
                raise ConstructorError(
                    "while constructing a mapping", node.start_mark,
                    f"duplicate key '{key}' (first at line {line}); a repeated key would silently replace the first",
                    key_node.start_mark,
                )
            first_seen[key] = key_node.start_mark.line + 1
        result: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        return result
