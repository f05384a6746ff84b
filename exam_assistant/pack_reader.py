"""Reading one YAML document into a pydantic model, with every problem located (file, line,
path) and worded plainly instead of raised: the pack loader's and the practice cases' reader."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from exam_assistant.errors import Problem
from exam_assistant.protocol import ProtocolPack
from exam_assistant.yaml_source import StrictLoader, read_source_bytes

Loc = tuple[str | int, ...]


def line_of(node: yaml.Node | None, loc: Loc) -> int | None:
    """The 1-based line of the YAML node at ``loc``, or of its nearest existing parent."""
    if node is None:
        return None
    line = node.start_mark.line + 1
    for part in loc:
        nxt: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if getattr(k, "value", None) == part:
                    nxt = v
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            nxt = node.value[part]
        if nxt is None:
            break
        node = nxt
        line = node.start_mark.line + 1
    return line


def loc_text(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def plain_message(err: dict[str, Any]) -> str:
    msg = str(err.get("msg", "invalid"))
    kind = err.get("type", "")
    if kind == "extra_forbidden":
        return "unknown field (check the spelling; see protocols/protocol.schema.json for the allowed fields)"
    if kind == "missing":
        return "required field is missing"
    if kind == "string_type":
        got = err.get("input")
        hint = ""
        if isinstance(got, (int, float, bool)):
            hint = f" (YAML read {got!r}; put the value in quotes, e.g. '0123' or 'no')"
        return f"expected text{hint}"
    return msg.removeprefix("Value error, ")


_EFFECT_TYPES = {"red_flag", "cluster", "decision", "points", "differential", "imaging", "treatment",
                 "suggest_protocol", "contraindicate", "flag"}


def clean_loc(loc: tuple[Any, ...]) -> Loc:
    # drop pydantic's union/tag markers so the path reads like the YAML document
    skip = {"all", "any", "not", "count", "item", "patient", "rule"}
    out: list[str | int] = []
    for i, part in enumerate(loc):
        if isinstance(part, str) and part in skip and i > 0 and not isinstance(loc[i - 1], str):
            continue
        if i > 0 and loc[i - 1] == "effect" and part in _EFFECT_TYPES:
            continue
        if isinstance(part, str) and ("[" in part or "function-" in part):
            continue
        if isinstance(part, (str, int)):
            out.append(part)
    return tuple(out)


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _parse(text: str) -> tuple[yaml.Node | None, Any]:
    """One parse giving both the node tree (for line numbers) and the data."""
    loader = StrictLoader(text)  # a duplicate key is an error, not a silent replacement
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return node, data


@dataclass
class ParsedPack:
    pack: ProtocolPack
    source: str
    node: yaml.Node | None
    content_hash: str
    rule_origin: list[int] = field(default_factory=list)  # position in the file of each kept rule

    def __post_init__(self) -> None:
        if not self.rule_origin:
            self.rule_origin = list(range(len(self.pack.rules)))


M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class YamlCodes:
    """The error codes a document family uses for: unreadable file, YAML syntax, schema."""

    read: str
    syntax: str
    schema: str
    what: str  # "a protocol pack", "a case"
    schema_hint: str = "protocols/protocol.schema.json"


def read_yaml_model(
    path: Path, model: type[M], problems: list[Problem], codes: YamlCodes
) -> tuple[M, yaml.Node | None, bytes] | None:
    """Read one YAML document into ``model``; located, plain-words problems instead of exceptions."""
    source = str(path)
    try:
        raw = read_source_bytes(path)  # regular files in their folder, under a size limit
    except OSError as exc:
        problems.append(Problem(codes.read, source, f"could not be read: {exc.strerror or exc}"))
        return None
    text = raw.decode("utf-8", errors="replace")
    try:
        node, data = _parse(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        problems.append(Problem(codes.syntax, source, f"YAML syntax error: {problem}", line=line))
        return None
    if not isinstance(data, dict):
        problems.append(Problem(codes.schema, source, f"{codes.what} must be a YAML mapping (key: value)", line=1))
        return None
    try:
        return model.model_validate(data), node, raw
    except ValidationError as exc:
        for err in exc.errors():
            loc = clean_loc(err["loc"])
            message = plain_message(dict(err)).replace("protocols/protocol.schema.json", codes.schema_hint)
            problems.append(Problem(codes.schema, source, message, loc_text(loc), line_of(node, loc)))
        return None


PACK_CODES = YamlCodes(read="PACK_008", syntax="PACK_001", schema="PACK_002", what="a protocol pack")


def read_pack(path: Path, problems: list[Problem]) -> ParsedPack | None:
    read = read_yaml_model(path, ProtocolPack, problems, PACK_CODES)
    if read is None:
        return None
    pack, node, raw = read
    source = str(path)
    return ParsedPack(pack, source, node, hashlib.sha256(raw).hexdigest())
