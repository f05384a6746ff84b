"""The clinic profile, kept as a JSON file in the data folder next to the SQLite database.

No Streamlit here. The profile holds no patient data: clinic name, address, phone, logo,
paper size and the default pre-test probabilities of the clusters.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy.engine import make_url

from exam_assistant.models import Clinician
from exam_assistant.store.engine import data_folder, default_database_url
from reports.logo import logo_problem
from reports.options import ClinicProfile

SETTINGS_FILE = "clinic_settings.json"
SIGNER_FILE = "signing_clinician.json"  # apart from the clinic profile: a person, not the clinic
LOGO_STEM = "clinic_logo"
MAX_LOGO_BYTES = 1_000_000
_LOGO_MAGIC = {b"\x89PNG\r\n\x1a\n": ".png", b"\xff\xd8\xff": ".jpg"}


class SettingsError(ValueError):
    """A setting the clinic entered cannot be used; the message says why in plain words."""


def settings_folder(database_url: str | None = None) -> Path:
    """The folder of the SQLite database file, or the user's data folder for other databases."""
    url = make_url(database_url or default_database_url())
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:" \
            and not url.database.startswith("file:"):
        return Path(url.database).expanduser().resolve().parent
    return data_folder()


def settings_path(database_url: str | None = None) -> Path:
    return settings_folder(database_url) / SETTINGS_FILE


def load_profile(path: Path) -> ClinicProfile:
    """The saved profile; the built-in default when there is none or it cannot be read.

    A logo file that has gone missing is dropped rather than making the whole profile unusable.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return ClinicProfile()
    if not isinstance(data, dict):
        return ClinicProfile()
    logo = data.get("logo_path")
    if logo and logo_problem(Path(str(logo)), path.parent) is not None:
        data["logo_path"] = None  # missing, outside the clinic's folder, or not a real PNG/JPEG
    try:
        return ClinicProfile.model_validate(data, context={"clinic_folder": path.parent})
    except ValidationError:
        return ClinicProfile()


def save_profile(profile: ClinicProfile, path: Path) -> None:
    """Write the profile atomically (a crash never leaves half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = profile.model_dump_json(indent=2)
    fd, tmp = tempfile.mkstemp(prefix=".settings-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save_logo(data: bytes, folder: Path) -> Path:
    """Store an uploaded PNG or JPEG logo in ``folder`` and return its path.

    Raises SettingsError for anything that is not a PNG or JPEG under 1 MB.
    """
    if len(data) > MAX_LOGO_BYTES:
        raise SettingsError(f"the logo is {len(data) // 1000} kB; the limit is {MAX_LOGO_BYTES // 1000} kB")
    suffix = next((ext for magic, ext in _LOGO_MAGIC.items() if data.startswith(magic)), None)
    if suffix is None:
        raise SettingsError("the logo must be a PNG or JPEG image")
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob(f"{LOGO_STEM}.*"):
        old.unlink(missing_ok=True)
    target = folder / f"{LOGO_STEM}{suffix}"
    target.write_bytes(data)
    return target


def parse_percent(text: str) -> float | None:
    """A pre-test probability typed as a percentage ('35', '35%') as a proportion; None if blank.

    Raises SettingsError when it is not a number strictly between 0 and 100.
    """
    cleaned = text.strip().removesuffix("%").strip()
    if not cleaned:
        return None
    try:
        value = float(cleaned)
    except ValueError:
        raise SettingsError(f"'{text}' is not a number") from None
    if not 0 < value < 100:
        raise SettingsError(f"{value:g}% is not between 0 and 100")
    return value / 100


def signer_path(database_url: str | None = None) -> Path:
    return settings_folder(database_url) / SIGNER_FILE


def load_signer(path: Path) -> Clinician | None:
    """The clinician entered once in Settings to sign notes (no sign-in), or None."""
    try:
        return Clinician.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, ValidationError):
        return None


def save_signer(clinician: Clinician | None, path: Path) -> None:
    """Write (or, with None, remove) the signing clinician, atomically."""
    if clinician is None:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".signer-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(clinician.model_dump_json(indent=2))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
