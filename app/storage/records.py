"""The rows of the practice history as typed values, and their conversion to and from SQLite.

Every timestamp is an ISO-8601 UTC string; lists and objects are stored as JSON text.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from app.storage.migrations import RECOGNISERS
from app.storage.rooms import Override


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
    words_per_minute: float | None = None  # speaking rate of a spoken reply, when measured
    # Every voice figure of a spoken reply, by name (app.core.voice.VoiceFeatures' fields).
    voice: dict[str, float | int | None] | None = None


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


@dataclass(frozen=True)
class SavedTurn:
    """A stored turn with its row id and, when the reply was recorded and the file is still
    there, the path of its audio."""

    id: int
    session_id: int
    turn: TurnRecord
    recording: Path | None
    # The facilitator's scores for the turn (0-4) and why, beside the machine's, when changed.
    override: Override | None = None


JSON_LISTS = ("evidence", "tips", "signals", "concerns_addressed")

TURN_FIELDS = tuple(turn_field.name for turn_field in fields(TurnRecord))

SESSION_COLUMNS = """
    sessions.id, trainees.name AS trainee, scenario_id, scenario_title, difficulty, started_at,
    ended_at, ending, starting_trust, final_trust, empathy, composure, turn_count
"""


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def trainee_name(name: str) -> str:
    stripped = name.strip()
    if not stripped:
        raise ValueError("the trainee's name is empty")
    return stripped


def row_id(table: sqlite_utils.db.Table) -> int:
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


def turn_row(session_id: int, turn: TurnRecord) -> dict[str, Any]:
    if turn.recogniser not in RECOGNISERS:
        raise ValueError(
            f"unknown recogniser {turn.recogniser!r}: expected one of {', '.join(RECOGNISERS)}"
        )
    row: dict[str, Any] = {
        "session_id": session_id,
        **{name: getattr(turn, name) for name in TURN_FIELDS},
    }
    for name in JSON_LISTS:
        row[name] = json.dumps(list(row[name]))
    row["components"] = json.dumps(turn.components)
    row["voice"] = None if turn.voice is None else json.dumps(turn.voice)
    row["started_at"] = _utc_timestamp(turn.started_at, "started_at")
    row["ended_at"] = _utc_timestamp(turn.ended_at, "ended_at")
    return row


def turn_record_of(row: Mapping[str, Any]) -> TurnRecord:
    values = {name: row[name] for name in TURN_FIELDS}
    for name in JSON_LISTS:
        values[name] = tuple(json.loads(values[name]))
    values["components"] = json.loads(values["components"])
    values["voice"] = None if values["voice"] is None else json.loads(values["voice"])
    values["started_at"] = values["started_at"] or ""
    values["ended_at"] = values["ended_at"] or ""
    values["superseded"] = bool(values["superseded"])
    return TurnRecord(**values)
