"""One widget row per protocol item, drawn from the item's answer type.

Every widget has a label (hidden labels are still read by screen readers), starts from the
stored finding, and autosaves through its ``on_change`` callback. Sided items are one row with
the left and right controls side by side, defaulting to "not tested".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import streamlit as st
from pydantic import ValidationError

from exam_assistant import follow_ups
from exam_assistant.engine.describe import finding_text
from exam_assistant.library import Library
from exam_assistant.models import Finding
from exam_assistant.protocol import Item
from exam_assistant.store import EncounterRepository
from exam_assistant.ui import findings as fx
from exam_assistant.ui.bounded import number_placeholder
from exam_assistant.ui.session import Flow
from exam_assistant.ui.text import ICON_BLOCKED, ICON_ERROR, ICON_WARNING, md
from exam_assistant.ui.widgets.confirm import answer_status
from exam_assistant.ui.widgets.technique import technique_popover
from exam_assistant.validation import finding_problems

ROW = (1.4, 3, 3)  # label | left | right
SHORT_CHOICE = 4  # up to this many options (with short labels): a segmented control
PILL_CHOICE = 8  # up to this many options: pills (one click); more: a select box


def on_item_change(prefix: str, store: EncounterRepository, library: Library, item_id: str) -> None:
    """Callback: rebuild the item's finding from its widgets, check it and autosave it."""
    flow = Flow(prefix, store, library)
    item = library.items[item_id]
    values = {part: st.session_state.get(flow.wkey(item_id, part)) for part in fx.parts(item)}
    for part, default in fx.widget_values(item, None).items():
        if values.get(part) is None and isinstance(default, str) and default:
            # a segmented control clicked twice clears itself: show its default again
            st.session_state[flow.wkey(item_id, part)] = default
            values[part] = default
    _keep_up_to_the_limit(flow, item, values)
    try:
        finding = fx.build_finding(item, values)
    except ValidationError as exc:
        flow.set_field_error(item_id, "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in exc.errors()))
        return
    problems = finding_problems(item, finding) if finding is not None else []
    if problems:
        flow.set_field_error(item_id, "; ".join(problems))
        return
    flow.set_field_error(item_id, None)
    enc = flow.encounter
    changes: dict[str, Finding | None] = {item_id: finding}
    if enc is not None:
        after = {k: v for k, v in enc.findings.items() if k != item_id} | ({item_id: finding} if finding else {})
        changes |= follow_ups.cleared_by([item_id], after, library.items)
    if flow.set_findings(changes) and len(changes) > 1 and enc is not None:
        _say_cleared(flow, item, [library.items[i] for i in changes if i != item_id], enc.findings)


def _say_cleared(flow: Flow, parent: Item, cleared: list[Item], before: dict[str, Finding]) -> None:
    """The follow-ups a change cleared: their widgets forget the old answer, and a toast says so."""
    for item in cleared:
        for part in fx.parts(item):
            st.session_state.pop(flow.wkey(item.id, part), None)
    said = "; ".join(f"“{item.label}” ({finding_text(before[item.id], item)})" for item in cleared if item.id in before)
    st.toast(f"Cleared {md(said)}: asked only after another answer to “{md(parent.label)}”.",
             icon=":material/undo:")


def text_limit(item: Item) -> int:
    return min(item.max_length, 20_000)


def _keep_up_to_the_limit(flow: Flow, item: Item, values: dict[str, Any]) -> None:
    """Over-long text is cut to the field's limit and kept, with a message saying how much was cut."""
    text = values.get("v")
    limit = text_limit(item)
    note_key = flow.key(f"cut.{item.id}")
    if item.answer != "text" or not isinstance(text, str) or len(text) <= limit:
        st.session_state.pop(note_key, None)
        return
    values["v"] = text[:limit]
    st.session_state[flow.wkey(item.id, "v")] = text[:limit]
    st.session_state[note_key] = (
        f"The text was {len(text):,} characters; the first {limit:,} (this field's limit) were kept and "
        f"{len(text) - limit:,} were cut. Check the end of the text."
    )


def _init(flow: Flow, item: Item) -> None:
    """Give each widget of ``item`` its stored value before it is drawn (first draw only)."""
    enc = flow.encounter
    current = enc.findings.get(item.id) if enc else None
    for part, value in fx.widget_values(item, current).items():
        key = flow.wkey(item.id, part)
        if key not in st.session_state:
            st.session_state[key] = value


def _labels(item: Item, options: Iterable[str]) -> Callable[[str], str]:
    """The words for each option, as a picklable lookup (widget metadata must pickle)."""
    return {v: fx.option_text(item, v) for v in options}.__getitem__


def _common(flow: Flow, item: Item, part: str, disabled: bool) -> dict[str, Any]:
    return {
        "key": flow.wkey(item.id, part),
        "on_change": on_item_change,
        "args": (flow.prefix, flow.store, flow.library, item.id),
        "disabled": disabled,
    }


def _side_control(flow: Flow, item: Item, side: str, disabled: bool) -> None:
    word = "left" if side == "L" else "right"
    label = f"{item.label}, {word}"
    if item.answer == "sided_test":
        options: tuple[str, ...] = fx.RESULT_OPTIONS
    elif item.answer == "sensation":
        options = fx.SENSATION_OPTIONS
    elif item.answer == "mrc":
        options = fx.MRC_OPTIONS
        label = f"{item.label}, {word}, MRC grade"
    else:
        options = fx.REFLEX_OPTIONS
        label = f"{item.label}, {word}, reflex grade"
    st.segmented_control(
        label, options, format_func=_labels(item, options),
        label_visibility="collapsed", required=True, **_common(flow, item, side, disabled),
    )
    if item.answer == "sided_test" and item.criteria and st.session_state.get(flow.wkey(item.id, side)) == "positive":
        # chips, not a multiselect: every criterion is in view (the recorded ones highlighted), one click each
        st.pills(
            f"{item.label}, {word}: what was reproduced or observed", [c.value for c in item.criteria],
            selection_mode="multi", format_func=_labels(item, [c.value for c in item.criteria]),
            label_visibility="collapsed", wrap=True, **_common(flow, item, f"{side}c", disabled),
        )
        if not st.session_state.get(flow.wkey(item.id, f"{side}c")):
            st.caption(f"{ICON_WARNING} Record what was reproduced: a cluster counts this test only when it knows.")


def sided_row(flow: Flow, item: Item, disabled: bool, why_disabled: str | None) -> None:
    """Label (with technique help) | left control | right control."""
    _init(flow, item)
    label_col, left_col, right_col = st.columns(ROW, vertical_alignment="top")
    with label_col:
        with st.container(horizontal=True, gap=None, vertical_alignment="center"):
            st.markdown(f"**{md(item.label)}**", width="content")
            technique_popover(item, flow.library, key=flow.key(f"how.{item.id}"))
        if why_disabled:
            st.caption(f"{ICON_BLOCKED} Not to be performed: {md(why_disabled)}")
    with left_col:
        _side_control(flow, item, "L", disabled)
    with right_col:
        _side_control(flow, item, "R", disabled)
    _error(flow, item)


def single_item(flow: Flow, item: Item, disabled: bool, why_disabled: str | None) -> None:
    """A question or measurement with one value: yes/no, number, choice, multi-choice, text."""
    _init(flow, item)
    label = item.label + (f" ({item.unit})" if item.unit and item.answer == "number" else "")
    helptext = md(item.prompt) if item.prompt else None
    common = _common(flow, item, "v", disabled)
    if item.answer == "yes_no":
        st.segmented_control(label, fx.YES_NO_OPTIONS, format_func=_labels(item, fx.YES_NO_OPTIONS),
                             help=helptext, required=True, **common)
    elif item.answer == "number":
        # no min/max: the browser would only turn an out-of-range entry red; the callback says what is allowed
        if item.integer:
            st.number_input(label, value=None, step=1, placeholder=number_placeholder(item), help=helptext, **common)
        else:
            st.number_input(label, value=None, step=0.1, format="%g", placeholder=number_placeholder(item),
                            help=helptext, **common)
    elif item.answer == "choice":
        values = [o.value for o in item.options]
        short = len(values) <= SHORT_CHOICE and sum(len(o.label) for o in item.options) <= 48
        fmt = _labels(item, values)
        if short:
            st.segmented_control(label, values, format_func=fmt, help=helptext, wrap=True, **common)
        elif len(values) <= PILL_CHOICE:
            st.pills(label, values, format_func=fmt, help=helptext, wrap=True, **common)  # one click, not open-then-pick
        else:
            st.selectbox(label, values, index=None, placeholder="Not answered", format_func=fmt, help=helptext,
                         **common)
    elif item.answer == "multi_choice":
        st.pills(label, [o.value for o in item.options], selection_mode="multi", wrap=True,
                 format_func=_labels(item, [o.value for o in item.options]), help=helptext, **common)
    else:
        # no max_chars: the browser would drop a too-long paste whole; the callback cuts and says so
        if text_limit(item) > 300:
            st.text_area(label, help=helptext, height=100, **common)
        else:
            st.text_input(label, help=helptext, **common)
    if why_disabled:
        st.caption(f"{ICON_BLOCKED} Not to be performed: {md(why_disabled)}")
    answer_status(flow, item)
    if item.kind == "test" and item.technique:
        technique_popover(item, flow.library, key=flow.key(f"how.{item.id}"))
    _error(flow, item)


def _error(flow: Flow, item: Item) -> None:
    message = flow.field_error(item.id)
    if message:
        st.error(f"Not saved: {md(message)}", icon=ICON_ERROR)
    cut = st.session_state.get(flow.key(f"cut.{item.id}"))
    if cut:
        st.warning(md(cut), icon=ICON_WARNING)


def item_widget(flow: Flow, item: Item, contraindicated: dict[str, str]) -> None:
    """Draw ``item``: disabled when the note is final or the test is contraindicated."""
    why = contraindicated.get(item.id)
    disabled = flow.read_only or why is not None
    if item.sided:
        sided_row(flow, item, disabled, why)
    else:
        single_item(flow, item, disabled, why)
