"""Typed reads and writes of trainees, practice sessions and their turns.

Every write is committed before the method returns, so a crash loses at most the turn in progress.
A session's averages and turn count are kept up to date with each saved turn, so a session that
was never finished (the app was closed or crashed) still shows what was saved.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import sqlite_utils

from app.storage.database import (
    DEFAULT_BUSY_TIMEOUT,
    open_database,
    sqlite_errors_explained,
    write_transaction,
)
from app.storage.migrations import ENDINGS, RECOGNISERS


@dataclass(frozen=True)
class TurnRecord:
    """One exchange: what the customer said, what the trainee answered, and how it scored.

    The timing fields are seconds spent on each stage; `response_gap_ms` is the silence between the
    customer's last word and the trainee's first (None when it was not measured, as for a typed
    reply). Timestamps are ISO-8601 UTC strings, or "" when unknown.
    """

    number: int
    customer_line: str
    customer_mood: str
    transcript: str
    recogniser: str
    confidence: float
    empathy: int
    composure: int
    evidence: tuple[str, ...]
    tips: tuple[str, ...]
    components: dict[str, dict[str, object]]
    signals: tuple[str, ...]
    concerns_addressed: tuple[str, ...]
    trust_before: int
    trust_after: int
    reaction: str
    audio_seconds: float = 0.0
    listen_seconds: float = 0.0
    transcribe_seconds: float = 0.0
    score_seconds: float = 0.0
    response_gap_ms: float | None = None
    started_at: str = ""
    ended_at: str = ""
    attempt: int = 1  # 2 and more: the trainee tried this answer again
    superseded: bool = False  # a later attempt replaced this one
    transcript_heard: str | None = None  # what the recogniser heard, when corrected


@dataclass(frozen=True)
class SessionRecord:
    """One practice call. `ending`, `ended_at` and `final_trust` are None while it is in progress;
    `empathy` and `composure` are averages over its turns (None before the first turn)."""

    id: int
    trainee: str
    scenario_id: str
    scenario_title: str
    difficulty: str
    started_at: str
    ended_at: str | None
    ending: str | None
    starting_trust: int
    final_trust: int | None
    empathy: float | None
    composure: float | None
    turn_count: int


_JSON_LISTS = ("evidence", "tips", "signals", "concerns_addressed")

_TURN_FIELDS = tuple(turn_field.name for turn_field in fields(TurnRecord))

_SESSION_COLUMNS = """
    sessions.id, trainees.name AS trainee, scenario_id, scenario_title, difficulty, started_at,
    ended_at, ending, starting_trust, final_trust, empathy, composure, turn_count
"""


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


class SessionStore:
    """The practice history in one SQLite file. Use from the thread that opened it."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self._closed = False

    @classmethod
    def open(cls, path: Path, *, busy_timeout: float = DEFAULT_BUSY_TIMEOUT) -> SessionStore:
        """Open (creating and upgrading as needed) the database at `path`; raises StorageError."""
        return cls(open_database(path, busy_timeout=busy_timeout))

    def __enter__(self) -> SessionStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        if not self._closed:
            self.db.close()
            self._closed = True

    def trainee_id(self, name: str) -> int:
        """The trainee's id, adding them on first use. Names match regardless of case."""
        name = _trainee_name(name)
        with sqlite_errors_explained(self.db), write_transaction(self.db):
            return self._trainee_id(name)

    def start_session(
        self,
        trainee: str,
        scenario_id: str,
        scenario_title: str,
        difficulty: str,
        starting_trust: int,
    ) -> int:
        """Record the start of a call and return its session id."""
        name = _trainee_name(trainee)
        with sqlite_errors_explained(self.db), write_transaction(self.db):
            table = self.db.table("sessions").insert(
                {
                    "trainee_id": self._trainee_id(name),
                    "scenario_id": scenario_id,
                    "scenario_title": scenario_title,
                    "difficulty": difficulty,
                    "started_at": utc_now(),
                    "starting_trust": starting_trust,
                }
            )
            return _row_id(table)

    def save_turn(self, session_id: int, turn: TurnRecord) -> int:
        """Store a turn and update the session's totals; committed when this returns."""
        row = _turn_row(session_id, turn)
        with sqlite_errors_explained(self.db), write_transaction(self.db):
            session = self._session(session_id)
            if session.ending is not None:
                raise ValueError(f"session {session_id} has already ended ({session.ending})")
            duplicate = self.db.execute(
                "SELECT 1 FROM turns WHERE session_id = ? AND number = ? AND attempt = ?",
                [session_id, turn.number, turn.attempt],
            ).fetchone()
            if duplicate:
                raise ValueError(
                    f"session {session_id} already has attempt {turn.attempt} of turn {turn.number}"
                )
            # A new attempt replaces the earlier ones, which are kept for the debrief.
            self.db.execute(
                "UPDATE turns SET superseded = 1 WHERE session_id = ? AND number = ?",
                [session_id, turn.number],
            )
            turn_id = _row_id(self.db.table("turns").insert(row))
            self._refresh_totals(session_id)
            return turn_id

    def finish_session(self, session_id: int, ending: str, final_trust: int) -> None:
        """Mark the call as over; its averages and turn count come from its saved turns."""
        if ending not in ENDINGS:
            raise ValueError(f"unknown ending {ending!r}: expected one of {', '.join(ENDINGS)}")
        with sqlite_errors_explained(self.db), write_transaction(self.db):
            session = self._session(session_id)
            if session.ending is not None:
                raise ValueError(f"session {session_id} has already ended ({session.ending})")
            self._refresh_totals(session_id)
            self.db.execute(
                "UPDATE sessions SET ending = ?, final_trust = ?, ended_at = ? WHERE id = ?",
                [ending, final_trust, utc_now(), session_id],
            )

    def reopen_session(self, session_id: int) -> None:
        """The trainee took back the answer that ended the call: it is in progress again."""
        with sqlite_errors_explained(self.db), write_transaction(self.db):
            self._session(session_id)
            self.db.execute(
                "UPDATE sessions SET ending = NULL, final_trust = NULL, ended_at = NULL "
                "WHERE id = ?",
                [session_id],
            )

    def session(self, session_id: int) -> SessionRecord:
        """The session with this id; LookupError when there is none."""
        with sqlite_errors_explained(self.db):
            return self._session(session_id)

    def sessions(self, trainee: str | None = None) -> list[SessionRecord]:
        """All sessions, or one trainee's, newest first."""
        sql = f"SELECT {_SESSION_COLUMNS} FROM sessions JOIN trainees ON trainees.id = trainee_id"
        params: list[object] = []
        if trainee is not None:
            sql += " WHERE trainees.name = ?"
            params.append(trainee.strip())
        sql += " ORDER BY started_at DESC, sessions.id DESC"
        with sqlite_errors_explained(self.db):
            return [SessionRecord(**row) for row in self.db.query(sql, params)]

    def turns(self, session_id: int, *, with_superseded: bool = False) -> list[TurnRecord]:
        """The session's turns in the order they were spoken; with earlier attempts if asked."""
        only_kept = "" if with_superseded else " AND superseded = 0"
        with sqlite_errors_explained(self.db):
            rows = self.db.query(
                f"SELECT * FROM turns WHERE session_id = ?{only_kept} ORDER BY number, attempt",
                [session_id],
            )
            return [_turn_record(row) for row in rows]

    def _trainee_id(self, name: str) -> int:
        row = self.db.execute("SELECT id FROM trainees WHERE name = ?", [name]).fetchone()
        if row:
            return int(row[0])
        table = self.db.table("trainees").insert({"name": name, "created_at": utc_now()})
        return _row_id(table)

    def _session(self, session_id: int) -> SessionRecord:
        rows = list(
            self.db.query(
                f"SELECT {_SESSION_COLUMNS} FROM sessions "
                "JOIN trainees ON trainees.id = trainee_id WHERE sessions.id = ?",
                [session_id],
            )
        )
        if not rows:
            raise LookupError(f"there is no session {session_id}")
        return SessionRecord(**rows[0])

    def _refresh_totals(self, session_id: int) -> None:
        self.db.execute(
            """
            UPDATE sessions SET
                empathy = (SELECT avg(empathy) FROM turns
                           WHERE session_id = sessions.id AND superseded = 0),
                composure = (SELECT avg(composure) FROM turns
                             WHERE session_id = sessions.id AND superseded = 0),
                turn_count = (SELECT count(*) FROM turns
                              WHERE session_id = sessions.id AND superseded = 0)
            WHERE id = ?
            """,
            [session_id],
        )


def _trainee_name(name: str) -> str:
    stripped = name.strip()
    if not stripped:
        raise ValueError("the trainee's name is empty")
    return stripped


def _row_id(table: sqlite_utils.db.Table) -> int:
    if table.last_rowid is None:
        raise RuntimeError(f"insert into {table.name} returned no row id")
    return table.last_rowid


def _utc_timestamp(value: str, field_name: str) -> str | None:
    """Accept "" (unknown) or an ISO-8601 time in UTC."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{field_name} {value!r} is not an ISO-8601 time") from None
    if moment.utcoffset() is None or moment.utcoffset():
        raise ValueError(f"{field_name} {value!r} is not in UTC")
    return value


def _turn_row(session_id: int, turn: TurnRecord) -> dict[str, Any]:
    if turn.recogniser not in RECOGNISERS:
        raise ValueError(
            f"unknown recogniser {turn.recogniser!r}: expected one of {', '.join(RECOGNISERS)}"
        )
    row: dict[str, Any] = {
        "session_id": session_id,
        **{name: getattr(turn, name) for name in _TURN_FIELDS},
    }
    for name in _JSON_LISTS:
        row[name] = json.dumps(list(row[name]))
    row["components"] = json.dumps(turn.components)
    row["started_at"] = _utc_timestamp(turn.started_at, "started_at")
    row["ended_at"] = _utc_timestamp(turn.ended_at, "ended_at")
    return row


def _turn_record(row: Mapping[str, Any]) -> TurnRecord:
    values = {name: row[name] for name in _TURN_FIELDS}
    for name in _JSON_LISTS:
        values[name] = tuple(json.loads(values[name]))
    values["components"] = json.loads(values["components"])
    values["started_at"] = values["started_at"] or ""
    values["ended_at"] = values["ended_at"] or ""
    values["superseded"] = bool(values["superseded"])
    return TurnRecord(**values)
