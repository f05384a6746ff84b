"""The clinic logo is a real PNG or JPEG under the size limit, read only from the clinic's folder (issue 13, item 5)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image
from pydantic import ValidationError

from exam_assistant.ui.clinic_settings import load_profile
from reports.logo import MAX_LOGO_BYTES, logo_problem
from reports.options import ClinicProfile

REPO_ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = REPO_ROOT / "examples" / "encounters" / "c6_radiculopathy.json"


def _png(path: Path, size: tuple[int, int] = (40, 20)) -> Path:
    Image.new("RGB", size, "navy").save(path, "PNG")
    return path


def test_a_real_png_in_the_clinic_folder_is_accepted(tmp_path: Path) -> None:
    """The normal case still works, through the settings loader too."""
    logo = _png(tmp_path / "clinic_logo.png")
    assert logo_problem(logo, tmp_path) is None
    (tmp_path / "clinic_settings.json").write_text(json.dumps({"name": "Clinic", "logo_path": str(logo)}))
    assert load_profile(tmp_path / "clinic_settings.json").logo_path == logo


@pytest.mark.parametrize(
    ("make", "words"),
    [
        pytest.param(lambda d: Path("/etc/passwd"), "clinic's data folder", id="outside"),
        pytest.param(lambda d: (d / "link.png").symlink_to("/etc/passwd") or d / "link.png", "clinic's data folder",
                     id="link-out"),
        pytest.param(lambda d: (d / "fake.png").write_text("not an image") and d / "fake.png", "PNG or JPEG", id="text"),
        pytest.param(lambda d: (d / "big.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * MAX_LOGO_BYTES) and d / "big.png",
                     "the limit is", id="too-big"),
        pytest.param(lambda d: (d / "cut.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 30) and d / "cut.png",
                     "not a readable", id="corrupt"),
    ],
)
def test_a_bad_logo_is_refused_with_a_plain_reason(tmp_path: Path, make: object, words: str) -> None:
    """Outside the folder, a link out, not an image, too large, corrupt: refused, named plainly."""
    logo = make(tmp_path)  # type: ignore[operator]
    problem = logo_problem(logo, tmp_path)
    assert problem is not None and words in problem
    with pytest.raises(ValidationError, match="logo_path"):
        ClinicProfile.model_validate({"logo_path": str(logo)}, context={"clinic_folder": tmp_path})
    (tmp_path / "clinic_settings.json").write_text(json.dumps({"name": "Clinic", "logo_path": str(logo)}))
    profile = load_profile(tmp_path / "clinic_settings.json")
    assert profile.logo_path is None and profile.name == "Clinic"  # the logo is dropped, the rest kept


@pytest.mark.slow
def test_export_pdf_with_a_profile_pointing_at_etc_passwd_exits_2_with_one_line(tmp_path: Path) -> None:
    """`export pdf --clinic-profile` whose logo is /etc/passwd: exit 2, one plain line, no traceback, no file."""
    profile = tmp_path / "clinic.json"
    profile.write_text(json.dumps({"name": "Clinic", "logo_path": "/etc/passwd"}))
    out = tmp_path / "note.pdf"
    done = subprocess.run([sys.executable, "-m", "exam_assistant.cli", "export", "pdf", str(EXAMPLE), "-o", str(out),
                           "--clinic-profile", str(profile)], cwd=REPO_ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 2, done.stderr
    assert len(done.stderr.splitlines()) == 1 and "logo" in done.stderr and "Traceback" not in done.stderr
    assert not out.exists()
