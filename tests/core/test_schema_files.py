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
