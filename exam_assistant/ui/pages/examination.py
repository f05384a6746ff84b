"""Page: the guided examination (a new one, or the one named in the URL)."""

from exam_assistant.ui.flow import exam_flow

exam_flow()
