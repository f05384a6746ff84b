"""Generated documentation artefacts stay in step with the models."""

from __future__ import annotations

import json
from pathlib import Path

from exam_assistant.protocol import ProtocolPack

REPO = Path(__file__).resolve().parents[2]


def test_committed_pack_schema_matches_the_models() -> None:
    """protocols/protocol.schema.json is regenerated whenever the pack models change.

    Regenerate with: exam-assistant protocols schema > protocols/protocol.schema.json
    """
    committed = json.loads((REPO / "protocols" / "protocol.schema.json").read_text())
    assert committed == ProtocolPack.model_json_schema(by_alias=True)


def test_clinical_content_document_matches_the_packs() -> None:
    """docs/clinical-content.md lists every item, rule and reference of the built-in packs.

    Regenerate with: exam-assistant protocols docs > docs/clinical-content.md
    """
    from exam_assistant.content_docs import clinical_content_markdown
    from exam_assistant.library import load_library

    committed = (REPO / "docs" / "clinical-content.md").read_text()
    assert committed == clinical_content_markdown(load_library())
