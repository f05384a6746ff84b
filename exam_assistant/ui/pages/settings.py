"""Page: the clinic profile printed on every note (name, address, logo, paper size) and the
clinic's default pre-test probabilities for the clusters. Saved to a JSON file next to the
database."""

from pathlib import Path
from zoneinfo import available_timezones

import streamlit as st
from pydantic import ValidationError

from exam_assistant.models import Clinician
from exam_assistant.protocol import ClusterEffect
from exam_assistant.store import default_database_url
from exam_assistant.ui import resources
from exam_assistant.ui.access_gate import require_page
from exam_assistant.ui.bounded import range_problem
from exam_assistant.ui.clinic_settings import (
    SettingsError,
    load_profile,
    load_signer,
    save_logo,
    save_profile,
    save_signer,
    settings_folder,
    settings_path,
    signer_path,
)
from exam_assistant.ui.text import ICON_DONE, ICON_ERROR, md
from reports.localtime import DATE_FORMATS
from reports.options import ClinicProfile

require_page("settings")
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
    clock = profile.clock()
    zones = sorted(available_timezones() | {clock.timezone})
    timezone = st.selectbox("Time zone (screen and notes)", zones, index=zones.index(clock.timezone),
                            help="Times are stored in UTC and shown in this zone. Default: this computer's.")
    date_format = st.radio("Date format", DATE_FORMATS, index=DATE_FORMATS.index(clock.date_format),
                           horizontal=True)
    st.subheader("Digital signature of final notes (optional)")
    st.caption("PEM files on this server. With both, every final note gets a PAdES signature in its "
               "signature box. An encrypted key reads its passphrase from EXAM_ASSISTANT_SIGN_KEY_PASSPHRASE.")
    sign_cert = st.text_input("Certificate file (PEM)", value=str(profile.sign_cert or ""), max_chars=500)
    sign_key = st.text_input("Private key file (PEM)", value=str(profile.sign_key or ""), max_chars=500)
    logo = st.file_uploader("Logo (PNG or JPEG, up to 1 MB)", type=["png", "jpg", "jpeg"], max_upload_size=1)
    remove_logo = st.checkbox("Remove the current logo", disabled=profile.logo_path is None)
    st.subheader("Default pre-test probabilities")
    st.caption("Used for a cluster when the clinician gives none. Leave blank to use the protocol pack's "
               "figure, shown after each name (its source is in the help).")
    pretest: dict[str, float | None] = {}
    pretest_names: dict[str, str] = {}  # the field each rule's figure is typed in, for the messages
    for rule_id, title, effect in clusters:
        pack_default = f"{effect.pretest_probability * 100:g}%" if effect.pretest_probability else "none"
        current = profile.default_pretest_probabilities.get(rule_id)
        # no min/max: the browser would only turn an out-of-range entry red; checked on save, with the range
        pretest[rule_id] = st.number_input(
            f"{title} (%), pack default {pack_default}", step=1.0,
            value=round(current * 100, 1) if current else None, placeholder="pack default (0.5 to 99.5)",
            help=md(effect.pretest_source) if effect.pretest_source else None,
        )
        pretest_names[rule_id] = f"{title} (%)"
    saved = st.form_submit_button("Save settings", type="primary")

out_of_range = [p for rule_id, value in pretest.items()
                if (p := range_problem(pretest_names[rule_id], value, 0.5, 99.5))]
if saved and out_of_range:
    st.error("Not saved:\n" + "\n".join(f"- {md(p)}" for p in out_of_range), icon=ICON_ERROR)
elif saved:
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
            timezone=timezone, date_format=date_format,
            sign_cert=Path(sign_cert.strip()) if sign_cert.strip() else None,
            sign_key=Path(sign_key.strip()) if sign_key.strip() else None,
        )
        save_profile(updated, path)
    except (SettingsError, ValidationError, OSError) as exc:
        st.error(f"Not saved: {md(str(exc))}", icon=ICON_ERROR)
    else:
        st.success("Settings saved. New and draft notes use them from now on; final notes keep the PDF "
                   "frozen when they were finalised.", icon=ICON_DONE)
        st.caption(f"Saved to {md(str(path))}")

signer = load_signer(signer_path(default_database_url()))
with st.form("signing_clinician", enter_to_submit=False, border=True):
    st.subheader("Signing clinician")
    st.caption("Without sign-in, final notes are signed by this clinician when the note names no one "
               "with a registration number. Entered once, kept on this computer.")
    signer_name = st.text_input("Name", value=signer.name if signer else "", max_chars=300)
    signer_role = st.text_input("Role", value=signer.role if signer else "clinician", max_chars=300)
    signer_reg = st.text_input("Registration number", value=(signer.registration_number or "") if signer else "",
                               max_chars=300)
    signer_saved = st.form_submit_button("Save the signing clinician")

if signer_saved:
    if not signer_name.strip() and not signer_reg.strip():
        save_signer(None, signer_path(default_database_url()))
        st.success("Signing clinician removed.", icon=ICON_DONE)
    elif not signer_name.strip() or not signer_reg.strip():
        st.error("Not saved: enter both the name and the registration number.", icon=ICON_ERROR)
    else:
        save_signer(Clinician(name=signer_name.strip(), role=signer_role.strip() or "clinician",
                              registration_number=signer_reg.strip()), signer_path(default_database_url()))
        st.success("Signing clinician saved.", icon=ICON_DONE)
