"""Pack files are read safely: duplicate keys, FIFOs, devices, links out of the folder, size (issue 13, item 5)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from exam_assistant.library import PackSource, build_library
from exam_assistant.yaml_source import MAX_PACK_BYTES

DEMO_PATH = Path(__file__).parent.parent / "data" / "packs" / "demo.yaml"
DEMO = DEMO_PATH.read_text()


def _load(folder: Path) -> tuple[list[str], list[str]]:
    lib = build_library([PackSource(folder, "test")])
    return sorted(lib.packs), [str(p) for p in lib.problems]


def _first_line_with(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if line.lstrip().startswith(needle))


def test_a_duplicated_key_is_a_load_error_naming_file_and_line(tmp_path: Path) -> None:
    """A key written twice in one mapping (the second `when:` of a rule) is refused, with its file and line."""
    line = _first_line_with(DEMO, "when:")
    lines = DEMO.splitlines()
    indent = lines[line - 1][: len(lines[line - 1]) - len(lines[line - 1].lstrip())]
    lines.insert(line - 1, f"{indent}when: {{item: nothing.at_all, is: yes}}")
    (tmp_path / "demo.yaml").write_text("\n".join(lines) + "\n")
    packs, problems = _load(tmp_path)
    assert packs == []
    assert len(problems) == 1
    assert problems[0].startswith(f"{tmp_path / 'demo.yaml'}:{line + 1}")
    assert "duplicate key 'when'" in problems[0] and f"first at line {line}" in problems[0]


def test_the_built_in_packs_have_no_duplicate_keys() -> None:
    """The strict reader accepts every shipped pack (no pack relied on a silent replacement)."""
    from exam_assistant.library import load_library

    assert [p for p in load_library().problems if "duplicate key" in p.message] == []


def test_a_fifo_in_the_pack_folder_is_reported_and_does_not_hang(tmp_path: Path) -> None:
    """A named pipe called *.yaml is refused without opening it; the real pack still loads."""
    (tmp_path / "demo.yaml").write_text(DEMO)
    os.mkfifo(tmp_path / "pipe.yaml")
    packs, problems = _load(tmp_path)
    assert packs == ["demo"]
    assert problems == [f"{tmp_path / 'pipe.yaml'}: could not be read: is not a regular file (a device, pipe or folder) [PACK_008]"]


def test_a_link_to_dev_zero_is_refused_without_reading_it(tmp_path: Path) -> None:
    """A symlink to /dev/zero leaves the folder and is no regular file: refused, nothing read."""
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero here")
    (tmp_path / "demo.yaml").write_text(DEMO)
    (tmp_path / "zero.yaml").symlink_to("/dev/zero")
    packs, problems = _load(tmp_path)
    assert packs == ["demo"]
    assert len(problems) == 1 and "zero.yaml" in problems[0] and "outside its folder" in problems[0]


def test_a_link_out_of_the_folder_is_refused_and_one_inside_is_read(tmp_path: Path) -> None:
    """A link to a valid pack elsewhere is refused; a link to a file in the same folder is followed."""
    outside, inside = tmp_path / "elsewhere", tmp_path / "packs"
    outside.mkdir()
    inside.mkdir()
    (outside / "demo.yaml").write_text(DEMO)
    (inside / "linked.yaml").symlink_to(outside / "demo.yaml")
    packs, problems = _load(inside)
    assert packs == [] and "outside its folder" in problems[0]
    (inside / "linked.yaml").unlink()
    (inside / "real.yml.txt").write_text(DEMO)
    (inside / "linked.yaml").symlink_to(inside / "real.yml.txt")
    packs, problems = _load(inside)
    assert (packs, problems) == (["demo"], [])


def test_an_oversized_pack_is_refused_before_parsing(tmp_path: Path) -> None:
    """A file over the size limit is reported with the limit, and not parsed."""
    (tmp_path / "demo.yaml").write_text(DEMO)
    (tmp_path / "huge.yaml").write_text("# padding\n" * (MAX_PACK_BYTES // 10 + 1))
    packs, problems = _load(tmp_path)
    assert packs == ["demo"]
    assert len(problems) == 1 and "huge.yaml" in problems[0] and f"the limit is {MAX_PACK_BYTES:,}" in problems[0]
