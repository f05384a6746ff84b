"""Urgency where the clinician is looking: a sticky bar, a one-time EMERGENCY dialog, and the
page scrolled to the top on every step change.

The full red-flag banner (``banner.py``) sits at the top of the step; a clinician scrolled down
the history would not see it appear. So, whenever a red flag above ROUTINE is raised, a compact
bar stays pinned under the app header on every step (an ARIA alert: ``st.error`` and
``st.warning`` are ``role="alert"``), and the first time an EMERGENCY is raised a dialog states
the action and "stop the examination", with the way to the note one click away.
"""

from __future__ import annotations

import re
from functools import partial

import streamlit as st

from exam_assistant.engine.assessment import RedFlag
from exam_assistant.library import Library
from exam_assistant.protocol import TIER_ORDER
from exam_assistant.store import EncounterRepository
from exam_assistant.ui import steps
from exam_assistant.ui.session import Flow
from exam_assistant.ui.text import TIER_ICON, md, tier_label

TO_NOTE = "Stop here: go to the summary and record the note"
DIALOG_TO_NOTE = "Go to the summary and record the note"
DIALOG_CLOSE = "I have read this: close"
TO_NOTE_KEY = "Alt+S"  # the way to the note from the keyboard, on every step while it shows

# Pinned under Streamlit's fixed header (3.75rem) inside the scrolling main block. The keyed
# container sits in a layout wrapper of its own size, so the wrapper is what sticks. Only the
# bar's containers are styled; none of the clinical text goes through HTML.
_STICKY_CSS = """
<style>
[data-testid="stLayoutWrapper"]:has(> .st-key-{key}) {{
  position: sticky; top: 3.75rem; z-index: 999;
}}
.st-key-{key} {{
  background: var(--st-background-color, #ffffff);
  padding: 0.25rem 0; box-shadow: 0 4px 6px -4px rgba(0,0,0,.35);
}}
</style>
"""

# Streamlit scrolls inside its main block, not the document; the nonce makes each step change a
# new element, so the script runs once per change.
_SCROLL_TOP = """
<script data-step="{nonce}">
(() => {{
  const doc = window.parent && window.parent.document ? window.parent.document : document;
  for (const el of doc.querySelectorAll('[data-testid="stMain"], [data-testid="stAppViewContainer"]')) {{
    el.scrollTop = 0;
  }}
  window.scrollTo(0, 0);
}})();
</script>
"""


def bar_key(prefix: str) -> str:
    return f"{prefix}-urgency-bar"


_STOP = re.compile(r"^stop the examination\b[.,;:]?\s*(?:(?:and|then)\s+)?", re.IGNORECASE)


def first_action(action: str) -> str:
    """The first thing an action says to do, beyond "stop the examination" (the bar already says
    that). Only the words are dropped, never the rest of their sentence: "Stop the examination and
    call emergency services now" keeps "Call emergency services now"."""
    sentences = [x.strip() for x in " ".join(action.split()).replace(". ", ".\n").splitlines() if x.strip()]
    for sentence in sentences:
        rest = _STOP.sub("", sentence, count=1).strip()
        if rest.rstrip(".").strip():
            return rest[0].upper() + rest[1:]
    return sentences[0] if sentences else ""


def bar_text(flags: list[RedFlag]) -> str:
    """The bar's words (markdown, pack text escaped): the tier, what was raised, the first action."""
    top = flags[0]
    head = "EMERGENCY: stop the examination" if top.tier == "EMERGENCY" else tier_label(top.tier).split(" ", 1)[-1]
    titles = "; ".join(md(f.title) for f in flags[:3]) + (f" and {len(flags) - 3} more" if len(flags) > 3 else "")
    return f"**{head}.** {titles}. **Action:** {md(first_action(top.action))}"


def urgency_bar(flow: Flow) -> None:
    """The sticky bar, drawn before anything else of the flow (nothing while urgency is ROUTINE)."""
    assessment = flow.assessment
    if assessment is None:
        return
    raised = [f for f in assessment.red_flags if TIER_ORDER[f.tier] > TIER_ORDER["ROUTINE"]]
    if not raised:
        return
    key = bar_key(flow.prefix)
    st.html(_STICKY_CSS.format(key=key))
    with st.container(key=key):
        top = raised[0]
        box = st.warning if top.tier == "URGENT" else st.error
        box(bar_text(raised), icon=TIER_ICON[top.tier])
        if assessment.stop_examination and flow.step not in (steps.SUMMARY, steps.FINISH):
            from exam_assistant.ui.flow.progress import go_to  # the flow package imports this module

            st.button(TO_NOTE, type="primary", key=flow.key("to_summary"), shortcut=TO_NOTE_KEY,
                      on_click=go_to, args=(flow.prefix, flow.store, flow.library, steps.SUMMARY))


def scroll_to_top_on_step_change(flow: Flow) -> None:
    """Scroll the page to the top when the step drawn differs from the one drawn last run.

    The element is drawn on every run (with the script only on a change), so the elements after
    it keep their places and the browser never shows the old and the new copy of a widget.
    """
    shown_key = flow.key("step_shown")
    current = f"{flow.encounter.id if flow.encounter else 'new'}:{flow.step}"
    changes = int(st.session_state.get(flow.key("step_changes"), 0))
    script = ""
    if st.session_state.get(shown_key) != current:
        changes += 1
        st.session_state[flow.key("step_changes")] = changes
        st.session_state[shown_key] = current
        script = _SCROLL_TOP.format(nonce=f"{changes}")
    st.html(f'<div data-step-changes="{changes}"></div>{script}', unsafe_allow_javascript=True)


# ------------------------------------------------------------------ the EMERGENCY dialog


def _seen_key(flow: Flow) -> str:
    enc = flow.encounter
    return flow.key(f"emergency_seen.{enc.id if enc else 'new'}")


def _close(prefix: str, store: EncounterRepository, library: Library) -> None:
    flow = Flow(prefix, store, library)
    st.session_state[flow.key("emergency_dialog")] = False
    flow.request_app_rerun()


def _to_note(prefix: str, store: EncounterRepository, library: Library) -> None:
    from exam_assistant.ui.flow.progress import go_to  # the flow package imports this module

    _close(prefix, store, library)
    go_to(prefix, store, library, steps.SUMMARY)


def _dialog_body(prefix: str, store: EncounterRepository, library: Library) -> None:
    flow = Flow(prefix, store, library)
    flow.rerun_app_if_requested()
    assessment = flow.assessment
    if assessment is None:
        return
    emergencies = [f for f in assessment.red_flags if f.tier == "EMERGENCY"]
    st.error("**Stop the examination.** Act on this now; record only what the emergency action needs.",
             icon=TIER_ICON["EMERGENCY"])
    for flag in emergencies:
        st.markdown(f"**{md(flag.title)}**  \n**Action:** {md(flag.action)}")
    args = (prefix, store, library)
    st.button(DIALOG_TO_NOTE, type="primary", key=flow.key("dialog_to_note"), on_click=_to_note, args=args,
              width="stretch")
    st.button(DIALOG_CLOSE, key=flow.key("dialog_close"), on_click=_close, args=args, width="stretch")


def _on_dismiss(prefix: str, store: EncounterRepository, library: Library) -> None:
    st.session_state[Flow(prefix, store, library).key("emergency_dialog")] = False


def emergency_dialog(flow: Flow) -> None:
    """Open the dialog the first time this session sees each EMERGENCY rule fire for this
    encounter; keep it open (from a session-state flag) until it is closed or dismissed."""
    assessment = flow.assessment
    if assessment is None or flow.read_only:
        return
    ids = {f.id for f in assessment.red_flags if f.tier == "EMERGENCY"}
    seen = set(st.session_state.get(_seen_key(flow), ()))
    flag_key = flow.key("emergency_dialog")
    if ids - seen:
        st.session_state[_seen_key(flow)] = tuple(sorted(ids | seen))
        st.session_state[flag_key] = True
    if not ids:
        st.session_state[flag_key] = False
    if not st.session_state.get(flag_key):
        return
    args = (flow.prefix, flow.store, flow.library)
    dialog = st.dialog("EMERGENCY: stop the examination", width="large", icon=TIER_ICON["EMERGENCY"],
                       on_dismiss=partial(_on_dismiss, *args))(_dialog_body)
    dialog(*args)
