"""`skeptic practice` while another program holds the database: the reply waits, nothing is
lost, and the call does not stay "in progress"."""

from __future__ import annotations

import queue
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

from app.paths import PROJECT_ROOT, database_path
from tests.e2e.test_cli import (
    FEEDBACK_LINE,
    PRACTICE_AS_DANA,
    model_replies,
    stored_sessions,
    without_speakers,
)

WAIT_SECONDS = 60


class _Practice:
    """A practice call in its own process, answered line by line as its output arrives."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "app", *PRACTICE_AS_DANA],
            cwd=PROJECT_ROOT,
            env=without_speakers(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)

    def type(self, text: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(text + "\n")
        self.process.stdin.flush()

    def wait_for(self, wanted: str) -> str:
        while True:
            line = self.lines.get(timeout=WAIT_SECONDS)
            self.seen.append(line)
            if wanted in line or (wanted == "feedback" and FEEDBACK_LINE.search(line)):
                return line


def test_a_locked_database_keeps_the_reply_and_ends_the_call(private_data_dir: Path) -> None:
    first, second = model_replies(private_data_dir)[:2]
    call = _Practice()
    call.type(first)
    call.wait_for("feedback")

    other = sqlite3.connect(database_path(private_data_dir))
    other.execute("BEGIN EXCLUSIVE")  # another program holds the file
    try:
        call.type(second)
        kept = call.wait_for("Not saved yet")
        assert "kept" in kept
        call.wait_for("feedback")  # the reply was scored and the call goes on
        call.type("/end")
        call.wait_for("waiting for the database")
    finally:
        other.rollback()
        other.close()
    _out, err = call.process.communicate(timeout=WAIT_SECONDS)

    assert call.process.returncode == 0, "".join(call.seen) + err
    assert "Traceback" not in err
    [(session, turns)] = stored_sessions(private_data_dir)
    assert [turn.transcript for turn in turns] == [first, second]
    assert session.ending == "ended_early" and session.turn_count == 2
