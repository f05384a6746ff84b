"""The app as ``bench/journeys.py`` times it: ``streamlit_app.py`` (or the script named by
``EA_BENCH_APP``) with every message recorded (``bench/replay.py``) for the floor to replay. The
recording costs the app a little time per message, so it makes the ratio slightly worse, never
better."""

import os
from pathlib import Path

from bench.replay import install_recorder

install_recorder()
APP = Path(os.environ.get("EA_BENCH_APP") or Path(__file__).resolve().parent.parent / "streamlit_app.py")
exec(compile(APP.read_text(encoding="utf-8"), str(APP), "exec"), {"__name__": "__main__", "__file__": str(APP)})
