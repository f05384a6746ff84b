"""Page: the clinic profile printed on every note (name, address, logo, paper size) and the
clinic's default pre-test probabilities for the clusters. Saved to a JSON file next to the
database."""

import streamlit as st
from pydantic import ValidationError

from exam_assistant.protocol import ClusterEffect
from exam_assistant.store import default_database_url
from exam_assistant.ui import resources
from exam_assistant.ui.clinic_settings import (
    SettingsError,
    load_profile,
    save_logo,
    save_profile,
    settings_folder,
    settings_path,
)
from exam_assistant.ui.text import ICON_DONE, ICON_ERROR, md
from reports.options import ClinicProfile

st.title("Settings")
path = settings_path(default_database_url())
profile = load_profile(path)
library = resources.library()
clusters = [(r.id, r.title, r.effect) for r in library.rules.values() if isinstance(r.effect, ClusterEffect)]

if profile.logo_path is not None:
    st.image(str(profile.logo_path), caption="Current logo", width=160)

with st.form("clinic_profile", enter_to_submit=False, border=True):
    st.subheader("Clinic profile")
    name = st.text_input("Clinic name", value=profile.name, max_chars=200)
    address = st.text_area("Address", value=profile.address, max_chars=400, height=90)
    phone = st.text_input("Phone", value=profile.phone, max_chars=80)
    paper = st.radio("Paper size", ["A4", "Letter"], index=["A4", "Letter"].index(profile.paper), horizontal=True)
    logo = st.file_uploader("Logo (PNG or JPEG, up to 1 MB)", type=["png", "jpg", "jpeg"], max_upload_size=1)
    remove_logo = st.checkbox("Remove the current logo", disabled=profile.logo_path is None)
    st.subheader("Default pre-test probabilities")
    st.caption("Used for a cluster when the clinician gives none. Leave blank to use the protocol pack's "
               "figure, shown after each name (its source is in the help).")
    pretest: dict[str, float | None] = {}
    for rule_id, title, effect in clusters:
        pack_default = f"{effect.pretest_probability * 100:g}%" if effect.pretest_probability else "none"
        current = profile.default_pretest_probabilities.get(rule_id)
        pretest[rule_id] = st.number_input(
            f"{title} (%), pack default {pack_default}", min_value=0.5, max_value=99.5, step=1.0,
            value=round(current * 100, 1) if current else None, placeholder="pack default",
            help=md(effect.pretest_source) if effect.pretest_source else None,
        )
    saved = st.form_submit_button("Save settings", type="primary")

if saved:
    folder = settings_folder(default_database_url())
    try:
        logo_path = profile.logo_path
        if remove_logo:
            logo_path = None
        if logo is not None:
            logo_path = save_logo(logo.getvalue(), folder)
        updated = ClinicProfile(
            name=name.strip() or "Exam Assistant", address=address, phone=phone, logo_path=logo_path,
            paper=paper,
            default_pretest_probabilities={k: v / 100 for k, v in pretest.items() if v is not None},
        )
        save_profile(updated, path)
    except (SettingsError, ValidationError, OSError) as exc:
        st.error(f"Not saved: {md(str(exc))}", icon=ICON_ERROR)
    else:
        st.success("Settings saved. New notes use them from now on.", icon=ICON_DONE)
        st.caption(f"Saved to {md(str(path))}")
