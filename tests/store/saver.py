"""A child process for the concurrency tests: ``python -m tests.store.saver URL COUNT [GO_FILE]``.

Waits until GO_FILE exists (so many children start saving at the same moment), opens the store
(running the migrations, which then race too), saves COUNT new drafts and prints each id on its
own line, flushed, only after the save has returned: a printed id is an acknowledged save.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from exam_assistant.store import open_store
from tests.store.factories import make_encounter


def main(argv: list[str]) -> int:
    url, count = argv[0], int(argv[1])
    if len(argv) > 2:
        go = Path(argv[2])
        deadline = time.monotonic() + 60
        while not go.exists() and time.monotonic() < deadline:
            time.sleep(0.005)
    repo = open_store(url)
    for i in range(count):
        stored = repo.save_draft(make_encounter(f"Burst Patient {i}"), None, "saver", ui_step="history")
        sys.stdout.write(stored.id + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
