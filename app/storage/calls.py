"""Reads for the history: the list of calls, one call's turns, and a trainee's progress points.

Sorting and filtering happen in SQL so that a long history opens at once; only the rows shown
are turned into Python objects.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils

from app.storage.migrations import ENDINGS


@dataclass(frozen=True)
class CallRow:
    """One line of the history list.

    `duration_seconds` is None for a call that never ended (still in progress, or the app was
    closed mid-call); `empathy` and `composure` are averages over the call's turns (None before
    the first); `recordings` counts the turns whose spoken reply was kept as audio.
    """

    id: int
    started_at: str
    ended_at: str | None
    trainee: str
    team: str | None
    branch: str | None
    scenario_id: str
    scenario_title: str
    difficulty: str
    ending: str | None
    empathy: float | None
    composure: float | None
    duration_seconds: float | None
    turn_count: int
    starting_trust: int
    final_trust: int | None
    recordings: int


@dataclass(frozen=True)
class CallFilter:
    """Which calls to list; a field left as None does not filter. `since` and `until` are
    ISO-8601 UTC times (or dates, "2024-05-01") bounding when the call started; `until` is
    exclusive."""

    trainee: str | None = None
    team: str | None = None
    branch: str | None = None
    scenario_id: str | None = None
    difficulty: str | None = None
    ending: str | None = None
    since: str | None = None
    until: str | None = None
    finished_only: bool = False


@dataclass(frozen=True)
class ProgressPoint:
    """One call of a trainee, as a point on their progress charts.

    `components` holds the average score of each named part of the scores over the call's turns;
    `words_per_minute` is the average speaking rate of its spoken replies (None when every reply
    was typed).
    """

    session_id: int
    started_at: str
    scenario_id: str
    scenario_title: str
    difficulty: str
    ending: str | None
    empathy: float
    composure: float
    words_per_minute: float | None
    components: dict[str, float] = field(default_factory=dict)


# Sort keys offered to the history list, and the SQL each sorts by.
SORT_KEYS: dict[str, str] = {
    "date": "sessions.started_at",
    "trainee": "trainees.name COLLATE NOCASE",
    "scenario": "sessions.scenario_title COLLATE NOCASE",
    "difficulty": (
        "CASE sessions.difficulty WHEN 'easy' THEN 1 WHEN 'standard' THEN 2 "
        "WHEN 'hard' THEN 3 WHEN 'expert' THEN 4 ELSE 5 END"
    ),
    "ending": "sessions.ending",
    "empathy": "sessions.empathy",
    "composure": "sessions.composure",
    "duration": "duration_seconds",
    "turns": "sessions.turn_count",
}

_DURATION = (
    "CASE WHEN sessions.ended_at IS NOT NULL THEN "
    "round((julianday(sessions.ended_at) - julianday(sessions.started_at)) * 86400, 1) END"
)

_CALL_COLUMNS = f"""
    sessions.id, sessions.started_at, sessions.ended_at, trainees.name AS trainee,
    trainees.team, trainees.branch, sessions.scenario_id, sessions.scenario_title,
    sessions.difficulty, sessions.ending, sessions.empathy, sessions.composure,
    {_DURATION} AS duration_seconds, sessions.turn_count, sessions.starting_trust,
    sessions.final_trust,
    (SELECT count(*) FROM turns WHERE turns.session_id = sessions.id
        AND turns.recording IS NOT NULL) AS recordings
"""


def list_calls(
    db: sqlite_utils.Database,
    where: CallFilter,
    sort: str,
    descending: bool,
    limit: int | None,
    offset: int,
) -> list[CallRow]:
    if sort not in SORT_KEYS:
        raise ValueError(f"cannot sort by {sort!r}: choose one of {', '.join(SORT_KEYS)}")
    if where.ending is not None and where.ending not in ENDINGS:
        raise ValueError(f"unknown ending {where.ending!r}: expected one of {', '.join(ENDINGS)}")
    conditions, params = _conditions(where)
    direction = "DESC" if descending else "ASC"
    sql = (
        f"SELECT {_CALL_COLUMNS} FROM sessions JOIN trainees ON trainees.id = sessions.trainee_id"
        f"{_where(conditions)} ORDER BY {SORT_KEYS[sort]} IS NULL, {SORT_KEYS[sort]} {direction}, "
        f"sessions.id {direction}"
    )
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params += [limit, offset]
    return [CallRow(**row) for row in db.query(sql, params)]


def count_calls(db: sqlite_utils.Database, where: CallFilter) -> int:
    conditions, params = _conditions(where)
    sql = (
        "SELECT count(*) FROM sessions JOIN trainees ON trainees.id = sessions.trainee_id"
        + _where(conditions)
    )
    return int(db.execute(sql, params).fetchone()[0])


def one_call(db: sqlite_utils.Database, session_id: int) -> CallRow:
    rows = list(
        db.query(
            f"SELECT {_CALL_COLUMNS} FROM sessions "
            "JOIN trainees ON trainees.id = sessions.trainee_id WHERE sessions.id = ?",
            [session_id],
        )
    )
    if not rows:
        raise LookupError(f"there is no call {session_id}")
    return CallRow(**rows[0])


def progress_points(db: sqlite_utils.Database, trainee_id: int) -> list[ProgressPoint]:
    """The trainee's calls that have at least one turn, oldest first.

    Each call carries its own averages (kept up to date with every saved turn), so this reads
    one row per call however many turns there are.
    """
    rows = db.execute(
        """
        SELECT id, started_at, scenario_id, scenario_title, difficulty, ending, empathy,
            composure, words_per_minute, components
        FROM sessions
        WHERE trainee_id = ? AND turn_count > 0
        ORDER BY started_at, id
        """,
        [trainee_id],
    ).fetchall()
    return [
        ProgressPoint(
            session_id=session_id,
            started_at=started_at,
            scenario_id=scenario_id,
            scenario_title=scenario_title,
            difficulty=difficulty,
            ending=ending,
            empathy=float(empathy),
            composure=float(composure),
            words_per_minute=None if words_per_minute is None else float(words_per_minute),
            components={
                name: float(score)
                for name, score in json.loads(components).items()
                if score is not None
            },
        )
        for (
            session_id,
            started_at,
            scenario_id,
            scenario_title,
            difficulty,
            ending,
            empathy,
            composure,
            words_per_minute,
            components,
        ) in rows
    ]


def recording_file(data_folder: Path, location: str | None) -> Path | None:
    """The recording's file when it was kept and is still on disk."""
    if not location:
        return None
    path = data_folder / location
    return path if path.is_file() else None


def _conditions(where: CallFilter) -> tuple[list[str], list[Any]]:
    conditions: list[str] = []
    params: list[Any] = []
    equal: Sequence[tuple[str, str | None]] = (
        ("trainees.name = ?", where.trainee.strip() if where.trainee else None),
        ("trainees.team = ? COLLATE NOCASE", where.team),
        ("trainees.branch = ? COLLATE NOCASE", where.branch),
        ("sessions.scenario_id = ?", where.scenario_id),
        ("sessions.difficulty = ?", where.difficulty),
        ("sessions.ending = ?", where.ending),
        ("sessions.started_at >= ?", where.since),
        ("sessions.started_at < ?", where.until),
    )
    for condition, value in equal:
        if value is not None:
            conditions.append(condition)
            params.append(value)
    if where.finished_only:
        conditions.append("sessions.ending IS NOT NULL")
    return conditions, params


def _where(conditions: list[str]) -> str:
    return f" WHERE {' AND '.join(conditions)}" if conditions else ""
