"""`skeptic history` as a user runs it, and what a crash or a locked file does to the history.

Every command runs in its own process with the test's private data folder.
"""

from __future__ import annotations

import csv
import json
import os
import queue
import re
import signal
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import numpy as np
import pytest

from app.paths import PROJECT_ROOT, database_path
from app.scenario_library import scenario_by_id
from app.storage import SessionStore
from tests.e2e.test_cli import assert_one_line_error, run_cli, without_speakers
from tests.storage.helpers import add_call

SCENARIO_ID = "unrecognised-charge"
FEEDBACK_LINE = re.compile(r"empathy \d+  composure \d+  trust \d+ -> \d+")
WAIT = 60.0


def two_trainees(folder: Path) -> dict[str, int]:
    with SessionStore.open(database_path(folder)) as store:
        store.save_trainee("Ana", team="Cards", branch="Leeds")
        store.set_recording_consent("Ana", True)
        ana = add_call(
            store, "Ana", [(70, 80), (60, 90)], started_at="2024-05-01T09:00:00.000+00:00"
        )
        store.save_recording(store.call_turns(ana)[0].id, np.full(1600, 0.1, dtype=np.float32))
        ben = add_call(store, "Ben", [(30, 40)], started_at="2024-05-02T09:00:00.000+00:00")
    return {"Ana": ana, "Ben": ben}


def test_list_and_show_in_text_and_json(private_data_dir: Path) -> None:
    calls = two_trainees(private_data_dir)

    listed = run_cli("history", "list")
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert lines[0].split()[:3] == ["ID", "Date", "Trainee"]
    assert [line.split()[0] for line in lines[1:]] == [str(calls["Ben"]), str(calls["Ana"])]

    only_ana = json.loads(run_cli("history", "list", "--trainee", "ana", "--json").stdout)
    assert [(c["id"], c["trainee"], c["team"], c["empathy"]) for c in only_ana] == [
        (calls["Ana"], "Ana", "Cards", 65.0)
    ]

    shown = run_cli("history", "show", str(calls["Ana"]))
    assert shown.returncode == 0, shown.stderr
    assert "with Ana" in shown.stdout and "tip: Offer a next step." in shown.stdout
    assert "recording: " in shown.stdout and ".flac" in shown.stdout
    as_json = json.loads(run_cli("history", "show", str(calls["Ana"]), "--json").stdout)
    assert [t["number"] for t in as_json["turns"]] == [1, 2]
    assert as_json["turns"][0]["components"]["next_step"]["score"] == 40

    progress = run_cli("history", "progress", "--trainee", "Ana")
    assert "Practise next: A concrete next step" in progress.stdout, progress.stdout

    assert_one_line_error(run_cli("history", "show", "999"), "no call 999")
    assert_one_line_error(run_cli("history", "list", "--since", "last week"), "not a date")


def test_export_csv_and_json_for_a_trainee_or_a_call(
    private_data_dir: Path, tmp_path: Path
) -> None:
    calls = two_trainees(private_data_dir)
    out = tmp_path / "ana.csv"

    exported = run_cli(
        "history", "export", "--format", "csv", "--trainee", "Ana", "--out", str(out)
    )
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout.strip() == f"Wrote 2 rows to {out}"
    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert [(r["trainee"], r["turn_number"]) for r in rows] == [("Ana", "1"), ("Ana", "2")]

    one_call = tmp_path / "ben.json"
    result = run_cli(
        "history", "export", "--format", "json", "--call", str(calls["Ben"]), "--out", str(one_call)
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(one_call.read_text())["call"]["trainee"] == "Ben"

    for chosen in (["--call", str(calls["Ben"])], ["--trainee", "Ana"]):
        pdf = tmp_path / f"report{chosen[0]}.pdf"
        made = run_cli("history", "export", "--format", "pdf", *chosen, "--out", str(pdf))
        assert made.returncode == 0, made.stderr
        assert pdf.read_bytes().startswith(b"%PDF")
    assert_one_line_error(
        run_cli("history", "export", "--format", "pdf", "--out", str(tmp_path / "all.pdf")),
        "give --call or --trainee",
    )
    assert_one_line_error(
        run_cli("history", "export", "--format", "csv", "--trainee", "Nobody", "--out", str(out)),
        "no trainee called 'Nobody'",
    )


def test_deleting_a_trainee_asks_first_then_removes_every_trace(private_data_dir: Path) -> None:
    calls = two_trainees(private_data_dir)

    declined = run_cli("history", "delete", "--trainee", "Ana", stdin="n\n")
    assert declined.returncode == 1
    assert "Nothing was deleted." in declined.stdout
    no_answer = run_cli("history", "delete", "--trainee", "Ana", stdin="")
    assert no_answer.returncode == 1
    assert list((private_data_dir / "recordings").rglob("*.flac"))

    confirmed = run_cli("history", "delete", "--trainee", "ana", stdin="y\n")
    assert confirmed.returncode == 0, confirmed.stderr
    assert "Deleted Ana: 1 calls, 2 replies, 1 recordings." in confirmed.stdout
    assert not (private_data_dir / "recordings").exists()
    listed = json.loads(run_cli("history", "list", "--json").stdout)
    assert [c["id"] for c in listed] == [calls["Ben"]]
    trainees = json.loads(run_cli("history", "trainees", "--json").stdout)
    assert [t["name"] for t in trainees] == ["Ben"]
    assert b"Cards" not in database_path(private_data_dir).read_bytes()

    gone = run_cli("history", "delete", "--trainee", "Ben", "--yes")
    assert gone.returncode == 0 and "Deleted Ben" in gone.stdout
    assert_one_line_error(run_cli("history", "delete", "--trainee", "Ben", "--yes"), "no trainee")


@contextmanager
def read_only(path: Path) -> Iterator[None]:
    """The file cannot be written, even by root (who ignores permissions but not the
    immutable attribute)."""
    path.chmod(0o444)
    immutable = os.geteuid() == 0
    if immutable and subprocess.run(["chattr", "+i", str(path)], check=False).returncode:
        pytest.skip("cannot make a file read-only for root here (no chattr)")
    try:
        yield
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(path)], check=True)
        path.chmod(0o644)


def test_a_read_only_database_still_lists_and_refuses_changes_in_one_line(
    private_data_dir: Path,
) -> None:
    two_trainees(private_data_dir)
    path = database_path(private_data_dir)
    before = path.read_bytes()
    with read_only(path):
        listed = run_cli("history", "list", "--json")
        assert listed.returncode == 0, listed.stderr
        assert len(json.loads(listed.stdout)) == 2
        refused = run_cli("history", "delete", "--trainee", "Ana", "--yes")
        assert_one_line_error(refused, str(path), "cannot be written to")
        assert path.read_bytes() == before


def test_a_locked_database_refuses_a_deletion_in_one_line(private_data_dir: Path) -> None:
    two_trainees(private_data_dir)
    path = database_path(private_data_dir)
    with closing(sqlite3.connect(path, isolation_level=None)) as other:
        other.execute("BEGIN EXCLUSIVE")
        refused = run_cli("history", "delete", "--trainee", "Ana", "--yes")
        other.rollback()
    assert_one_line_error(refused, "in use by another program")
    with SessionStore.open(path) as store:
        assert [t.name for t in store.trainees()] == ["Ana", "Ben"]


# A crash in the middle of a call ---------------------------------------------------------------


class Reader:
    """Collects a process's output lines on a thread, so the test can wait for a line."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.lines: queue.Queue[str] = queue.Queue()
        assert process.stdout is not None
        self._thread = threading.Thread(target=self._read, args=(process.stdout,), daemon=True)
        self._thread.start()
        self.seen: list[str] = []

    def _read(self, stream: object) -> None:
        for line in stream:  # type: ignore[attr-defined]
            self.lines.put(line)

    def wait_for(self, pattern: re.Pattern[str]) -> str:
        while True:
            try:
                line = self.lines.get(timeout=WAIT)
            except queue.Empty:
                pytest.fail(f"no line matching {pattern.pattern!r}; saw:\n{''.join(self.seen)}")
            self.seen.append(line)
            if pattern.search(line):
                return line


def test_killing_the_app_mid_call_loses_at_most_the_turn_in_progress(
    private_data_dir: Path,
) -> None:
    replies = [
        stage.model_replies[0] for stage in scenario_by_id(private_data_dir, SCENARIO_ID).stages
    ]
    env = without_speakers() | {"PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "app", "practice", "--scenario", SCENARIO_ID, "--typed",
         "--trainee", "Kim", "--seed", "1"],
        cwd=PROJECT_ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip
    assert process.stdin is not None
    reader = Reader(process)
    try:
        for reply in replies[:2]:
            process.stdin.write(reply + "\n")
            process.stdin.flush()
            reader.wait_for(FEEDBACK_LINE)  # printed only after the turn was committed
        # Another program looking meanwhile leaves the live call in progress.
        live = json.loads(run_cli("history", "list", "--json").stdout)
        assert [c["ending"] for c in live] == [None]
        # The third reply is on its way when the app dies.
        process.stdin.write(replies[2] + "\n")
        process.stdin.flush()
        process.send_signal(signal.SIGKILL)
        assert process.wait(timeout=WAIT) == -signal.SIGKILL
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()

    path = database_path(private_data_dir)
    with SessionStore.open(path) as store:
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        [call] = store.calls()
        turns = store.call_turns(call.id)
        assert [saved.turn.transcript for saved in turns] == replies[: len(turns)]
        assert len(turns) in (2, 3)  # at most the turn in progress is lost
        assert call.trainee == "Kim" and call.turn_count == len(turns)
        # Its program is gone: the call ends as interrupted, when its last saved reply did.
        assert call.ending == "interrupted"
        assert call.ended_at == max(saved.turn.ended_at for saved in turns)
    listed = json.loads(run_cli("history", "list", "--json").stdout)
    assert [(c["id"], c["turn_count"]) for c in listed] == [(call.id, len(turns))]


def test_show_gives_what_was_heard_beside_a_correction_and_the_attempt_a_retry_replaced(
    private_data_dir: Path,
) -> None:
    from tests.storage.helpers import make_turn

    with SessionStore.open(database_path(private_data_dir)) as store:
        call = store.start_session("Ana", SCENARIO_ID, "A charge", "standard", 30)
        store.save_turn(call, make_turn(1, 20, 40, transcript="Calm down, it's fine."))
        store.save_turn(
            call,
            make_turn(
                1,
                80,
                90,
                attempt=2,
                transcript="I understand why you're worried.",
                transcript_heard="I understand why you're not worried.",
            ),
        )

    shown = run_cli("history", "show", str(call))

    assert shown.returncode == 0, shown.stderr
    out = shown.stdout
    assert "tried again; attempt 1: Calm down, it's fine." in out
    assert "corrected from what was heard: I understand why you're not worried." in out
    assert out.index("attempt 1: Calm down") < out.index("Ana (whisper): I understand why")
