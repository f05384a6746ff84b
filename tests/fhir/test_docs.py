"""docs/fhir.md is generated from the code table and the packs, and stays in step with them."""

from __future__ import annotations

from exam_assistant.fhir.docs import fhir_markdown
from exam_assistant.library import Library
from tests.fhir.conftest import REPO


def test_docs_fhir_md_matches_the_generator(library: Library) -> None:
    """docs/fhir.md equals what the generator writes now (regenerate: python -m exam_assistant.fhir.docs > docs/fhir.md)."""
    assert (REPO / "docs" / "fhir.md").read_text(encoding="utf-8") == fhir_markdown(library)


def test_docs_name_every_verified_code_and_its_source(library: Library) -> None:
    """Every LOINC and SNOMED CT code the export may use appears in the docs with its source."""
    from exam_assistant.fhir.codes import load_codes

    text = fhir_markdown(library)
    tables = load_codes().codes
    for table in (tables.scores, tables.panels, tables.laterality):
        for code in table.values():
            assert f"`{code.code}`" in text and code.source in text
