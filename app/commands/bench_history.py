"""`skeptic bench-history`: how long the history views take to read on this machine.

Run it on a large history made by `scripts/generate-history`. Each read is timed once cold
(first after opening) and then as the median of repeated runs.
"""

from __future__ import annotations

import argparse
import platform
import sqlite3
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime

from app.history.progress import progress_series
from app.history.standing import trainee_standing
from app.paths import data_dir, database_path
from app.storage import CallFilter, SessionStore

REPEATS = 20


def run_bench_history(args: argparse.Namespace) -> int:
    folder = data_dir(getattr(args, "data_dir", None))
    path = database_path(folder)
    began = time.perf_counter()
    store = SessionStore.open(path)
    opened_ms = (time.perf_counter() - began) * 1000
    with store:
        calls, turns = store.db.execute(
            "SELECT (SELECT count(*) FROM sessions), (SELECT count(*) FROM turns)"
        ).fetchone()
        busiest = store.db.execute(
            "SELECT trainees.name, count(turns.id) FROM trainees "
            "JOIN sessions ON sessions.trainee_id = trainees.id "
            "JOIN turns ON turns.session_id = sessions.id "
            "GROUP BY trainees.id ORDER BY count(turns.id) DESC LIMIT 1"
        ).fetchone()
        if busiest is None:
            print(f"{path} holds no turns: fill it first with scripts/generate-history")
            return 1
        trainee, trainee_turns = busiest
        newest = store.calls(limit=1)[0].id
        print(f"Machine: {_machine()}")
        print(f"Date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}")
        print(f"Database: {path} ({calls} calls, {turns} turns)")
        print(f"Open the database: {opened_ms:.1f} ms")
        _time("History list, every call, newest first", lambda: store.calls())
        _time("History list, first 100 calls", lambda: store.calls(limit=100))
        _time(
            "History list sorted by empathy, one trainee",
            lambda: store.calls(CallFilter(trainee=trainee), sort="empathy"),
        )
        _time(
            f"Progress series + standing of {trainee} ({trainee_turns} turns)",
            lambda: trainee_standing(progress_series(store, trainee)),
        )
        _time(f"One call's turns (call {newest})", lambda: store.call_turns(newest))
    return 0


def _time(label: str, read: Callable[[], object]) -> None:
    began = time.perf_counter()
    read()
    cold = (time.perf_counter() - began) * 1000
    runs = []
    for _ in range(REPEATS):
        began = time.perf_counter()
        read()
        runs.append((time.perf_counter() - began) * 1000)
    print(
        f"{label}: first {cold:.1f} ms, median {statistics.median(runs):.1f} ms, "
        f"slowest {max(runs):.1f} ms ({REPEATS} runs)"
    )


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            models = [
                line.split(":", 1)[1].strip() for line in info if line.startswith("model name")
            ]
        if models:
            cpu = f"{models[0]} ({len(models)} cores)"
    except OSError:
        pass
    return (
        f"{cpu}, {platform.system()} {platform.release()}, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}"
    )
