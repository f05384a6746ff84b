"""The built-in packs are found from an installed wheel, not only from a checkout."""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_wheel_ships_the_protocol_packs_and_finds_them(tmp_path: Path) -> None:
    """A wheel carries protocols/ as exam_assistant._protocols, and the loader finds it there."""
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w",
                    str(tmp_path), str(REPO)], check=True, capture_output=True)
    [wheel] = tmp_path.glob("exam_assistant-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    packs = [n for n in names if n.startswith("exam_assistant/_protocols/") and n.endswith(".yaml")]
    assert "exam_assistant/_protocols/protocol.schema.json" in names
    assert {"history.yaml", "radiculopathy.yaml", "tos.yaml", "neuro.yaml"} <= {Path(n).name for n in packs}
    # every module of the checkout is in the wheel (a package missing from pyproject's list is not)
    sources = {str(p.relative_to(REPO)) for top in ("exam_assistant", "reports") for p in (REPO / top).rglob("*.py")}
    assert sources - set(names) == set()
    assert any(n.startswith("exam_assistant/_protocols/cases/") for n in names)
    assert "reports/assets/fonts/DejaVuSans.ttf" in names

    # Install the wheel alone into a fresh environment that sees this one's dependencies,
    # then load the library from outside the checkout.
    env_dir = tmp_path / "env"
    venv.create(env_dir, system_site_packages=False, with_pip=False)
    site = subprocess.run([str(env_dir / "bin" / "python"), "-c", "import sysconfig;print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(site)
    deps = subprocess.run([sys.executable, "-c", "import sysconfig;print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    code = (f"import sys; sys.path.append({deps!r}); from exam_assistant.library import load_library, builtin_protocol_dir;"
            "lib = load_library(); print(builtin_protocol_dir()); print(len(lib.packs), len(lib.problems))")
    out = subprocess.run([str(env_dir / "bin" / "python"), "-c", code], capture_output=True, text=True, check=True,
                         cwd=tmp_path).stdout.split()
    assert out[0].startswith(site) and out[0].endswith("_protocols")
    assert int(out[1]) >= 4 and out[2] == "0"
