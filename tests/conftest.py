"""Fixtures for the whole suite: the built-in library, a demo pack, and an isolated data folder."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from exam_assistant.library import Library, PackSource, build_library, load_library

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No test reads or writes the developer's real data folder or extra protocol folders."""
    home = tmp_path_factory.mktemp("data-home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    monkeypatch.delenv("EXAM_ASSISTANT_PROTOCOL_PATH", raising=False)
    yield


@pytest.fixture(autouse=True)
def _restore_main_module() -> Iterator[None]:
    """Streamlit's AppTest runs page scripts as ``__main__`` and leaves them there; a process pool
    started later with 'spawn' would then re-run that page in every worker."""
    main = sys.modules.get("__main__")
    yield
    if main is not None:
        sys.modules["__main__"] = main


@pytest.fixture(scope="session")
def library() -> Library:
    return load_library()


@pytest.fixture(scope="session")
def demo_library() -> Library:
    lib = build_library([PackSource(DATA / "packs" / "demo.yaml", "test")])
    assert not lib.problems, lib.problems
    return lib
