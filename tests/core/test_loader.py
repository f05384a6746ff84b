"""The pack loader: every kind of broken pack gives a located, plain message and the rest still load."""

from __future__ import annotations

from pathlib import Path

import pytest

from exam_assistant.library import PackSource, build_library

DEMO = (Path(__file__).parent.parent / "data" / "packs" / "demo.yaml").read_text()


def load_with(tmp_path: Path, name: str, text: str) -> tuple[list[str], list[str]]:
    """Load the demo pack and one extra pack; return (loaded pack ids, problem strings)."""
    (tmp_path / "demo.yaml").write_text(DEMO)
    (tmp_path / name).write_text(text)
    lib = build_library([PackSource(tmp_path, "test")])
    return sorted(lib.packs), [str(p) for p in lib.problems]


def other(body: str, pack_id: str = "other") -> str:
    head = (f'schema_version: "1"\nid: {pack_id}\ntitle: Other\nversion: "1.0"\nkind: examination\n'
            "description: d\nauthors: [x]\nlicence: CC-BY-4.0\n")
    return head + body


def test_yaml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    """A YAML syntax error names the file and the line; the demo pack still loads."""
    packs, problems = load_with(tmp_path, "broken.yaml", other("sections: [\n  - id: a\n   bad: indent\n"))
    assert packs == ["demo"]
    assert len(problems) == 1
    assert "broken.yaml:" in problems[0] and "YAML syntax error" in problems[0] and "[PACK_001]" in problems[0]


def test_unknown_field_is_named_with_its_path_and_line(tmp_path: Path) -> None:
    """A misspelt field is an error at its path and line, not silently ignored."""
    _, problems = load_with(tmp_path, "typo.yaml", other("descriptoin: oops\n"))
    assert problems == [f"{tmp_path / 'typo.yaml'}:9 at descriptoin: unknown field (check the spelling; see "
                        "protocols/protocol.schema.json for the allowed fields) [PACK_002]"]


def test_wrong_type_is_reported(tmp_path: Path) -> None:
    """A list where a text is expected names the field."""
    _, problems = load_with(tmp_path, "type.yaml", other("order: [1, 2]\n"))
    assert len(problems) == 1 and "at order:" in problems[0] and "integer" in problems[0]


def test_unknown_item_reference_is_a_load_error(tmp_path: Path) -> None:
    """A rule naming an item no pack defines is refused with the id and the rule's path."""
    body = ("rules:\n  - id: other.r\n    title: R\n    when: {item: demo.nope, is: positive}\n"
            "    effect: {type: flag, label: x}\n    reason: because\n    references: [demo_ref]\n")
    packs, problems = load_with(tmp_path, "ref.yaml", other(body))
    assert packs == ["demo", "other"]
    assert len(problems) == 1
    assert "ref.yaml:12 at rules[0].when" in problems[0]
    assert ("refers to item 'demo.nope', which no loaded pack defines (this rule is left out; "
            "the rest of the pack still loads) [PACK_003]") in problems[0]


def test_duplicate_pack_id_names_both_sources(tmp_path: Path) -> None:
    """Two packs with one id: the second is refused and the message names the first."""
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "demo.yaml").write_text(DEMO)
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "copy.yaml").write_text(DEMO)
    lib = build_library([PackSource(tmp_path / "a", "one"), PackSource(tmp_path / "b", "two")])
    assert list(lib.packs) == ["demo"]
    [problem] = lib.problems
    assert problem.code == "PACK_004"
    assert str(tmp_path / "b" / "copy.yaml") in str(problem) and str(tmp_path / "a" / "demo.yaml") in str(problem)


def test_yaml_mangled_code_is_explained(tmp_path: Path) -> None:
    """An unquoted 0123 read by YAML as a number gets a hint to quote it."""
    text = DEMO.replace('version: "1.2.0"', "version: 0123").replace("id: demo\n", "id: mangled\n", 1)
    _, problems = load_with(tmp_path, "mangled.yaml", text)
    assert any("at version: expected text (YAML read 83; put the value in quotes" in p for p in problems)


def test_missing_reference_key_is_reported(tmp_path: Path) -> None:
    """Citing a reference key nobody defines is a load error."""
    body = ("sections:\n  - id: other.s\n    title: S\n    items:\n"
            "      - {id: other.q, kind: question, answer: yes_no, label: Q, references: [nobody2020]}\n")
    _, problems = load_with(tmp_path, "cite.yaml", other(body))
    assert len(problems) == 1 and "cites reference 'nobody2020'" in problems[0] and "[PACK_005]" in problems[0]


def test_a_broken_pack_silences_only_the_rules_that_relied_on_it(tmp_path: Path) -> None:
    """When a pack is dropped, rules elsewhere that used its items are reported and left out;
    the other rules of those packs (say, unrelated red flags) keep working."""
    broken_demo = DEMO.replace("licence: CC-BY-4.0", "licence: [wrong]")
    (tmp_path / "demo.yaml").write_text(broken_demo)
    body = ("references:\n  - {key: other_ref, citation: 'Other B. A second reference. J Tests 2021', url: 'https://example.org/o'}\n"
            "sections:\n  - id: other.s\n    title: S\n    items:\n      - {id: other.q, kind: question, answer: yes_no, label: Q}\n"
            "rules:\n  - id: other.uses_demo\n    title: R\n    when: {item: demo.yn, is: 'yes'}\n"
            "    effect: {type: flag, label: x}\n    reason: because\n    references: [other_ref]\n"
            "  - id: other.own\n    title: Own\n    when: {item: other.q, is: 'yes'}\n"
            "    effect: {type: flag, label: y}\n    reason: because\n    references: [other_ref]\n")
    (tmp_path / "other.yaml").write_text(other(body))
    lib = build_library([PackSource(tmp_path, "test")])
    assert list(lib.packs) == ["other"]
    assert list(lib.rules) == ["other.own"]
    codes = sorted(p.code for p in lib.problems)
    assert codes == ["PACK_002", "PACK_003"]


def test_rule_cycle_is_reported(tmp_path: Path) -> None:
    """Rules that refer to each other in a cycle are refused."""
    body = ("rules:\n"
            "  - {id: other.a, title: A, when: {rule: other.b}, effect: {type: flag, label: a}, reason: because,"
            " references: [demo_ref]}\n"
            "  - {id: other.b, title: B, when: {rule: other.a}, effect: {type: flag, label: b}, reason: because,"
            " references: [demo_ref]}\n")
    _, problems = load_with(tmp_path, "cycle.yaml", other(body))
    assert any("cycle" in p and "[PACK_006]" in p for p in problems)


@pytest.mark.parametrize("bad", ["is: yes", "side: left"])
def test_comparison_that_does_not_fit_the_item_is_reported(tmp_path: Path, bad: str) -> None:
    """'is: yes' on a sided test, or a side on a yes/no item, is a load error."""
    item = "demo.sided" if bad == "is: yes" else "demo.yn"
    extra = "is: 'yes'" if bad == "is: yes" else "is: 'yes', side: left"
    body = (f"rules:\n  - id: other.r\n    title: R\n    when: {{item: {item}, {extra}}}\n"
            "    effect: {type: flag, label: x}\n    reason: because\n    references: [demo_ref]\n")
    _, problems = load_with(tmp_path, "fit.yaml", other(body))
    assert len(problems) == 1 and "[PACK_007]" in problems[0]
