"""The framework floor of ``bench/journeys.py``: the app's recorded messages replayed run by run,
with none of the app's logic (``bench/replay.py``)."""

from bench.replay import play_run

play_run()
