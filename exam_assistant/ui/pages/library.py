"""Page: the protocol library: every pack, its sections and items (how to perform each test,
what counts as positive, accuracy with sources), and every pack that failed to load, with why."""

import streamlit as st

from exam_assistant.ui import resources
from exam_assistant.ui.access_gate import require_page
from exam_assistant.ui.text import ICON_ERROR, md
from exam_assistant.ui.widgets.condition_view import guide_link
from exam_assistant.ui.widgets.technique import item_details

ANSWER_TEXT = {
    "yes_no": "yes / no", "sided_test": "left and right result", "number": "number", "choice": "one choice",
    "multi_choice": "several choices", "mrc": "MRC grade per side", "reflex": "reflex grade per side",
    "sensation": "sensation per side", "text": "free text",
}

require_page("library")
st.title("Protocol library")
library = resources.library()

if library.problems:
    st.subheader("Packs that failed to load")
    st.caption("Each problem names the file, the line and the place in the document. The other packs still load.")
    for problem in library.problems:
        where = problem.source + (f", line {problem.line}" if problem.line else "") + (f", at {problem.path}" if problem.path else "")
        st.error(f"**{md(problem.code)}** · {md(where)}  \n{md(problem.message)}", icon=ICON_ERROR)

query = st.text_input("Find a test or question", placeholder="e.g. Spurling, Roos, reflex", max_chars=100)
needle = query.strip().casefold()
packs = library.ordered_packs()
st.caption(f"{len(packs)} pack(s) loaded, {len(library.items)} items, {len(library.rules)} rules.")

for loaded in packs:
    pack = loaded.pack
    items = [
        (section, item) for section in pack.sections for item in section.items
        if not needle or needle in f"{item.label} {item.id} {item.technique or ''}".casefold()
    ]
    if needle and not items:
        continue
    st.header(md(pack.title), divider="gray")
    reviewed = ", ".join(pack.reviewers) if pack.reviewers else "not yet clinically reviewed"
    st.caption(f"{md(pack.id)} · version {md(pack.version)} · {md(pack.kind)} · {len(pack.rules)} rules · "
               f"reviewers: {md(reviewed)} · licence {md(pack.licence)} · from {md(loaded.source)}")
    st.markdown(md(pack.description.strip()))
    if pack.conditions:
        guide_link(f"{len(pack.conditions)} condition guide entries: open them on the Conditions page")
    current = None
    for section, item in items:
        if section.id != current:
            current = section.id
            st.subheader(md(section.title))
            if section.description:
                st.caption(md(section.description.strip()))
        with st.expander(f"{item.label} · {ANSWER_TEXT[item.answer]}", expanded=bool(needle)):
            st.caption(f"id: {md(item.id)}" + (f" · level {item.level}" if item.level else ""))
            item_details(item, library)
