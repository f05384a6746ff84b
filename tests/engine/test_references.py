"""Every item, rule and recommendation in the built-in packs can answer "why?" with a source."""

from __future__ import annotations

from exam_assistant.library import Library


def test_builtin_library_loads_without_problems(library: Library) -> None:
    """The shipped packs load cleanly."""
    assert [str(p) for p in library.problems] == []


def test_every_item_has_a_reference(library: Library) -> None:
    """Each item cites at least one source, directly or through its evidence."""
    missing = [i.id for i in library.items.values()
               if not i.references and not any(ev.references for ev in i.evidence)]
    assert missing == []


def test_every_rule_has_a_reference_and_a_reason(library: Library) -> None:
    """Each rule (red flag, cluster, imaging, treatment, ...) carries a reason and a cited source."""
    bad = [r.id for r in library.rules.values() if not r.references or not r.reason.strip()]
    assert bad == []


def test_every_cited_key_resolves_to_a_locatable_reference(library: Library) -> None:
    """Citations resolve to a reference with a DOI or URL."""
    for ref in library.references.values():
        assert ref.doi or ref.url, ref.key


def test_every_test_item_says_how_and_when_positive(library: Library) -> None:
    """A physical test always carries its technique and positive criterion."""
    for item in library.items.values():
        if item.kind == "test":
            assert item.technique and item.positive_when, item.id


def test_secondary_and_unverified_figures_are_flagged(library: Library) -> None:
    """Each evidence entry states how it was verified (primary, secondary, unverified)."""
    for item in library.items.values():
        for ev in item.evidence:
            assert ev.verification in ("primary", "secondary", "unverified")
