"""Trainee profiles: who practises, in which team and branch, and whether their replies are kept.

Recording is off until it is switched on for a trainee, and the time it was switched on is kept
so a report can say since when replies were recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlite_utils


@dataclass(frozen=True)
class TraineeRecord:
    """A trainee's profile. `team` and `branch` are None when not given; `records_replies` is
    True when the trainee agreed to have their spoken replies stored as audio."""

    id: int
    name: str
    team: str | None
    branch: str | None
    records_replies: bool
    records_replies_since: str | None
    created_at: str


_COLUMNS = "id, name, team, branch, records_replies, records_replies_since, created_at"


def trainee_name(name: str) -> str:
    """The name as stored: surrounding spaces removed; an empty name is refused."""
    stripped = name.strip()
    if not stripped:
        raise ValueError("the trainee's name is empty")
    return stripped


def optional_text(value: str | None) -> str | None:
    """Blank text means "not given"."""
    if value is None:
        return None
    return value.strip() or None


def all_trainees(db: sqlite_utils.Database) -> list[TraineeRecord]:
    rows = db.query(f"SELECT {_COLUMNS} FROM trainees ORDER BY name COLLATE NOCASE")
    return [_record(row) for row in rows]


def find_trainee(db: sqlite_utils.Database, name: str) -> TraineeRecord | None:
    """The trainee with this name, whatever its case; None when there is none."""
    rows = list(db.query(f"SELECT {_COLUMNS} FROM trainees WHERE name = ?", [trainee_name(name)]))
    return _record(rows[0]) if rows else None


def existing_trainee(db: sqlite_utils.Database, name: str) -> TraineeRecord:
    """The trainee with this name; LookupError when there is none."""
    found = find_trainee(db, name)
    if found is None:
        raise LookupError(f"there is no trainee called {name.strip()!r}")
    return found


def _record(row: dict[str, Any]) -> TraineeRecord:
    return TraineeRecord(**{**row, "records_replies": bool(row["records_replies"])})
