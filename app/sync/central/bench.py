"""Measuring the central store at an organisation's scale (`skeptic bench-central`).

One real workstation (a SQLite history of real rows, with the identities and outbox its triggers
give every row) syncs through
the product's own path; its records are then copied, with new identities, to stand for the other
workstations, each sent as that workstation would send it (its own sequence numbers, batches of
`BATCH_SIZE` in one transaction each). Then the managers' progress queries are timed.
"""

from __future__ import annotations

import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

from app.storage import SessionStore, TurnRecord
from app.storage.database import write_transaction
from app.storage.records import turn_row
from app.sync.central.connection import connect
from app.sync.central.progress import read_progress
from app.sync.central.push import BATCH_SIZE, register, send_batch, sync
from app.sync.records import Record, digest, local_history

BRANCHES = 40
TEAMS = 8
TRAINEES_PER_WORKSTATION = 5


@dataclass(frozen=True)
class CentralBench:
    workstations: int
    calls: int
    turns: int
    one_workstation_seconds: float  # the real sync of one workstation's history
    seconds: float  # sending every workstation's records
    turns_per_second: float
    query_ms: dict[str, float]  # median of the repeats, by query


def _turn(number: int) -> TurnRecord:
    return TurnRecord(
        number=number,
        customer_line="Why should I believe a word you say?",
        customer_mood="suspicious",
        transcript="I understand why you'd doubt me. Let me show you what I can see.",
        recogniser="whisper",
        confidence=0.9,
        empathy=40 + (number * 7) % 60,
        composure=50 + (number * 5) % 50,
        evidence=("I understand why you'd doubt me",),
        tips=("Offer a next step.",),
        components={"acknowledges_feeling": {"score": 80, "evidence": ["I understand"]}},
        signals=("acknowledged",),
        concerns_addressed=("refund_status",),
        trust_before=30,
        trust_after=38,
        reaction="softened",
        audio_seconds=4.2,
        words_per_minute=140.0,
    )


def _one_workstation(folder: Path, calls: int, turns: int) -> SessionStore:
    store = SessionStore.open(folder / "skeptic.db")
    for index in range(TRAINEES_PER_WORKSTATION):
        store.save_trainee(f"Trainee {index}", team=f"Team {index % TEAMS}", branch="Branch 0")
    for call in range(calls):
        session_id = store.start_session(
            f"Trainee {call % TRAINEES_PER_WORKSTATION}", "unrecognised-charge", "A charge",
            "standard", 30,
        )  # fmt: skip
        # The turns' rows as the writer stores them (app.storage.records.turn_row), in one
        # transaction per call: the identity and outbox triggers run for each row as they do
        # for the window's saves. (Saving turns one by one is the call record's job alone.)
        with write_transaction(store.db):
            store.db.table("turns").insert_all(
                turn_row(session_id, _turn(number)) for number in range(1, turns + 1)
            )
        store.finish_session(session_id, "resolved" if call % 3 else "walked_out", 60)
    return store


def _copied(history: dict[str, list[Record]], station: int) -> list[Record]:
    """The history with new identities, as if made at workstation number `station`."""
    made_by = str(uuid.uuid4())
    new_ids: dict[str, str] = {}

    def renamed(old: str) -> str:
        return new_ids.setdefault(old, str(uuid.uuid4()))

    changes: list[Record] = []
    for kind in ("trainee", "call", "turn"):
        for record in history[kind]:
            copy = {**record, "uuid": renamed(record["uuid"]), "workstation_id": made_by}
            for reference in ("trainee_uuid", "call_uuid"):
                if reference in copy:
                    copy[reference] = renamed(copy[reference])
            if kind == "trainee":
                index = int(str(record["name"]).rsplit(" ", 1)[-1])
                copy.update(
                    name=f"{record['name']} of workstation {station}",
                    team=f"Team {(station + index) % TEAMS}",
                    branch=f"Branch {station % BRANCHES}",
                )
            changes.append({"kind": kind, "uuid": copy["uuid"], "record": copy,
                            "digest": digest(copy)})  # fmt: skip
    for seq, change in enumerate(changes, start=1):
        change["seq"] = seq
    return changes


def _median_ms(query: Callable[[], object], repeats: int) -> float:
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        query()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def run_central_bench(
    address: str,
    *,
    workstations: int = 200,
    calls: int = 100,
    turns: int = 10,
    repeats: int = 5,
    progress: Callable[[str], None] = lambda line: None,
) -> CentralBench:
    """Fill the (empty, set-up) central store at `address` and time it."""
    with tempfile.TemporaryDirectory() as temporary:
        progress(f"saving one workstation's history: {calls} calls of {turns} turns")
        store = _one_workstation(Path(temporary), calls, turns)
        try:
            started = time.perf_counter()
            sync(store.db, address)
            one_workstation = time.perf_counter() - started
            history = local_history(store.db)
        finally:
            store.close()
    with connect(address) as connection:
        started = time.perf_counter()
        for station in range(1, workstations):
            changes = _copied(history, station)
            register(connection, changes[0]["record"]["workstation_id"])
            for start in range(0, len(changes), BATCH_SIZE):
                send_batch(connection, changes[0]["record"]["workstation_id"],
                           changes[start : start + BATCH_SIZE])  # fmt: skip
            if station % 20 == 0:
                progress(f"sent workstation {station + 1} of {workstations}")
        seconds = time.perf_counter() - started + one_workstation
        connection.execute("ANALYZE skeptic.trainees")
        connection.execute("ANALYZE skeptic.calls")
        queries: dict[str, Callable[[], Any]] = {
            "progress by branch": lambda: read_progress(connection, "branch"),
            "progress by team": lambda: read_progress(connection, "team"),
            "one branch's trainees": lambda: _branch_trainees(connection, "Branch 7"),
        }
        query_ms = {name: _median_ms(query, repeats) for name, query in queries.items()}
        total_turns = connection.execute("SELECT count(*) FROM skeptic.turns").fetchone()
    turn_count = int(total_turns[0]) if total_turns else 0
    return CentralBench(
        workstations=workstations,
        calls=workstations * calls,
        turns=turn_count,
        one_workstation_seconds=one_workstation,
        seconds=seconds,
        turns_per_second=turn_count / seconds if seconds else 0.0,
        query_ms=query_ms,
    )


def _branch_trainees(connection: psycopg.Connection[Any], branch: str) -> list[Any]:
    """A manager's list of one branch: each trainee's calls and averages."""
    return connection.execute(
        "SELECT trainees.name, count(calls.uuid), avg(calls.empathy), avg(calls.composure), "
        "max(calls.started_at) FROM skeptic.trainees LEFT JOIN skeptic.calls "
        "ON calls.trainee_uuid = trainees.uuid WHERE trainees.branch = %s "
        "GROUP BY trainees.name ORDER BY trainees.name",
        [branch],
    ).fetchall()
