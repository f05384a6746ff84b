"""Record what the app sends to the browser, and replay it with no app logic: the framework floor.

``bench/journeys.py`` compares the app's click-to-idle with a floor measured in the same run.
The fairest floor for a page is the same page with none of our logic: the same elements,
widgets, fragments and dialogs reaching the same browser, so that Streamlit's own cost (the
websocket round trip, the frontend drawing the page) is the same on both sides and the ratio
is what our Python adds.

- Recording (``bench/recording_app.py``, in the app's server process): every message the
  script enqueues for the browser, grouped by session and script run (a whole-page run or a
  fragment run), and whether the run ended in ``st.rerun``. Written as JSON lines to the file
  named by ``EA_BENCH_RECORDING`` as the app runs.
- Replay (``bench/floor_app.py``, in a second server): the k-th browser session gets the k-th
  recorded session and each of its runs gets the next recorded run: the same messages
  enqueued byte for byte, the same fragment ids registered (so a click inside a block asks for
  the same fragment run), the same ``st.rerun``. No session state, store, engine or
  rendering code runs.

Driven through the same journeys with the same clicks, the floor browser shows the same pages.
"""

from __future__ import annotations

import base64
import json
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import streamlit as st
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.runtime.app_session import AppSession
from streamlit.runtime.forward_msg_cache import populate_hash_if_needed
from streamlit.runtime.scriptrunner_utils.script_run_context import ScriptRunContext, get_script_run_ctx

RECORDING_ENV = "EA_BENCH_RECORDING"
_LOCK = threading.Lock()


# ------------------------------------------------------------------ recording


class _Recorder:
    def __init__(self, path: Path) -> None:
        # one handle for the server's life, line-buffered: each line is on disk when written, so
        # the recording is whole however the benchmark stops the server
        self.handle = path.open("a", encoding="utf-8", buffering=1)
        self.sessions: dict[str, int] = {}

    def _write(self, ctx: ScriptRunContext | AppSession, entry: dict[str, Any]) -> None:
        session_id = ctx.session_id if isinstance(ctx, ScriptRunContext) else ctx.id
        with _LOCK:
            index = self.sessions.setdefault(session_id, len(self.sessions))
            self.handle.write(json.dumps({"s": index, **entry}) + "\n")

    def run_started(self, ctx: ScriptRunContext, fragment_ids: list[str] | None) -> None:
        self._write(ctx, {"run": "fragment" if fragment_ids else "full", "fragments": fragment_ids or []})

    def message(self, ctx: ScriptRunContext, msg: ForwardMsg) -> None:
        self._write(ctx, {"msg": base64.b64encode(msg.SerializeToString()).decode("ascii")})

    def rerun(self, ctx: ScriptRunContext, scope: str) -> None:
        self._write(ctx, {"rerun": scope})

    def request(self, session: AppSession, fragment_id: str) -> None:
        self._write(session, {"request": fragment_id})


_recorder: _Recorder | None = None


def install_recorder() -> None:
    """Hook the script-run context (once per process) so every run and message is recorded.
    Called at the top of every whole-page run; the hooks live on the classes, so fragment runs
    (which do not run the main script) are recorded too."""
    global _recorder
    ctx = get_script_run_ctx()
    if _recorder is None:
        _recorder = recorder = _Recorder(Path(os.environ[RECORDING_ENV]))
        original_reset: Callable[..., None] = ScriptRunContext.reset
        original_enqueue: Callable[[ScriptRunContext, ForwardMsg], None] = ScriptRunContext.enqueue
        original_rerun = st.rerun
        original_request = AppSession.request_rerun

        def reset(self: ScriptRunContext, *args: Any, **kwargs: Any) -> None:
            original_reset(self, *args, **kwargs)
            recorder.run_started(self, kwargs.get("fragment_ids_this_run"))

        def enqueue(self: ScriptRunContext, msg: ForwardMsg) -> None:
            recorder.message(self, msg)
            original_enqueue(self, msg)

        def rerun(*args: Any, **kwargs: Any) -> Any:
            current = get_script_run_ctx()
            if current is not None:
                recorder.rerun(current, str(kwargs.get("scope", args[0] if args else "app")))
            return original_rerun(*args, **kwargs)

        def request_rerun(self: AppSession, client_state: Any) -> None:
            recorder.request(self, client_state.fragment_id if client_state else "")
            original_request(self, client_state)

        AppSession.request_rerun = request_rerun  # type: ignore[method-assign]
        ScriptRunContext.reset = reset  # type: ignore[method-assign]
        ScriptRunContext.enqueue = enqueue  # type: ignore[method-assign]
        st.rerun = rerun
        if ctx is not None:  # this first run was reset before the hook existed
            recorder.run_started(ctx, ctx.fragment_ids_this_run)


# ------------------------------------------------------------------ replay


@dataclass
class _Run:
    kind: str
    messages: list[bytes] = field(default_factory=list)
    rerun: str | None = None


def _load(path: Path) -> list[list[_Run]]:
    sessions: dict[int, list[_Run]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        if "request" in entry:  # what the browser asked for: kept for diagnosing a mismatch
            continue
        runs = sessions.setdefault(entry["s"], [])
        if "run" in entry:
            runs.append(_Run(entry["run"]))
        elif "msg" in entry and runs[-1].rerun is None:  # after st.rerun: Streamlit's own, sent again by ours
            runs[-1].messages.append(base64.b64decode(entry["msg"]))
        elif "rerun" in entry:
            runs[-1].rerun = entry["rerun"]
    return [sessions[k] for k in sorted(sessions)]


class _Player:
    def __init__(self, path: Path) -> None:
        self.recorded = _load(path)
        self.sessions: dict[str, tuple[int, int]] = {}  # floor session -> (recorded session, next run)

    def next_run(self, ctx: ScriptRunContext, kind: str) -> _Run | None:
        with _LOCK:
            if ctx.session_id not in self.sessions:
                self.sessions[ctx.session_id] = (len(self.sessions), 0)
                print(f"replay: browser session {len(self.sessions) - 1} begins", flush=True)
            session, position = self.sessions[ctx.session_id]
            if session >= len(self.recorded) or position >= len(self.recorded[session]):
                print(f"floor: session {session} asked for a {kind} run {position} that was not recorded", flush=True)
                return None
            self.sessions[ctx.session_id] = (session, position + 1)
            run = self.recorded[session][position]
        if run.kind != kind:
            print(f"floor: session {session} run {position} was a {run.kind} run, replayed as {kind}", flush=True)
        return run

    def play(self, kind: str) -> None:
        ctx = get_script_run_ctx()
        assert ctx is not None
        run = self.next_run(ctx, kind)
        if run is None:
            return
        registered: set[str] = set()
        for raw in run.messages:
            msg = ForwardMsg.FromString(raw)
            fragment_id = msg.delta.fragment_id if msg.WhichOneof("type") == "delta" else ""
            if fragment_id and fragment_id not in registered:
                registered.add(fragment_id)
                ctx.shared.new_fragment_ids.check_and_add(fragment_id)
                if not ctx.fragment_ids_this_run or fragment_id not in ctx.fragment_ids_this_run:
                    ctx.fragment_storage.register(fragment_id, self._fragment(fragment_id))
            # as ctx.enqueue, but keeping the page's script hash: with st.navigation the browser
            # keeps only the elements of the page it was told is showing
            populate_hash_if_needed(msg)
            ctx._enqueue(msg)
        if ctx.fragment_ids_this_run:
            for fragment_id in ctx.fragment_ids_this_run:
                ctx.shared.new_fragment_ids.check_and_add(fragment_id)
        if run.rerun is not None:
            st.rerun(scope="fragment" if run.rerun == "fragment" else "app")

    def _fragment(self, fragment_id: str) -> Callable[[], None]:
        def replay_fragment() -> None:
            self.play("fragment")

        return replay_fragment


_player: _Player | None = None


def play_run() -> None:
    """The floor script's whole body: replay the next recorded run of this session."""
    global _player
    if _player is None:
        _player = _Player(Path(os.environ[RECORDING_ENV]))
    _player.play("full")
