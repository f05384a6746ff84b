"""The guided examination flow, step by step."""

from exam_assistant.ui.flow.main import exam_flow

__all__ = ["exam_flow"]
