"""Page: the condition guide. Every diagnosis of the differential explained, with its sources;
searchable, grouped by region and then by urgency. ``?condition=ID`` opens one condition."""

import streamlit as st

from exam_assistant.condition_guide import REGION_TITLES
from exam_assistant.protocol import TIER_ORDER
from exam_assistant.ui import resources
from exam_assistant.ui.access_gate import require_page
from exam_assistant.ui.text import md, tier_label
from exam_assistant.ui.widgets.condition_view import QUERY_KEY, condition_view

require_page("library")
st.title("Conditions")
library = resources.library()
entries = library.conditions
chosen = st.query_params.get(QUERY_KEY)


def _show_all() -> None:
    st.query_params.pop(QUERY_KEY, None)


if chosen:
    entry = entries.get(chosen)
    if entry is None:
        st.warning("The guide has no entry for that condition. Pick one from the list below.")
    else:
        st.header(md(library.diagnoses[chosen].name), divider="gray")
        condition_view(entry, library)
        st.button("Show all conditions", on_click=_show_all, key="conditions.all")
        st.stop()

st.caption("What each condition on the differential is, how it is found and treated, and when to act at once. "
           "Each statement cites its sources; statements marked uncertain rest on weak or secondary sources.")
query = st.text_input("Find a condition", placeholder="e.g. pinched nerve, shingles, TOS", max_chars=100)
needle = query.strip().casefold()


def _matches(dx_id: str) -> bool:
    if not needle:
        return True
    e = entries[dx_id]
    words = [library.diagnoses[dx_id].name, dx_id, *e.also_called, *(s.text for _, g in e.sections() for s in g)]
    return needle in " ".join(words).casefold()


shown = [d for d in entries if d in library.diagnoses and _matches(d)]
missing = sorted(set(library.diagnoses) - set(entries))
st.caption(f"{len(shown)} of {len(entries)} conditions" + (f" · no guide entry yet: {md(', '.join(missing))}"
                                                           if missing else ""))
if not shown:
    st.info("No condition matches. Try another word.")
for region, title in REGION_TITLES.items():
    in_region = [d for d in shown if entries[d].region == region]
    if not in_region:
        continue
    st.header(md(title), divider="gray")
    # most urgent first, so a must-not-miss condition is never below the fold of its region
    in_region.sort(key=lambda d: (-TIER_ORDER[library.diagnoses[d].default_tier], library.diagnoses[d].name))
    tier = ""
    for dx_id in in_region:
        dx = library.diagnoses[dx_id]
        if dx.default_tier != tier:
            tier = dx.default_tier
            st.markdown(f"##### {tier_label(tier)}")
        with st.expander(f"{tier_label(dx.default_tier)} · {md(dx.name)}", expanded=bool(needle) and len(shown) <= 3):
            condition_view(entries[dx_id], library)
