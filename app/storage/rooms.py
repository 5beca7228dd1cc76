"""Training rooms in the database: who sat in them, which calls they held, what the observers
rated and what the facilitator changed.

The people's scores are kept beside the machine's, never over them: the turns table is not
written here. Every write is committed before the method returns.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlite_utils

from app.storage.database import sqlite_errors_explained, write_transaction
from app.storage.migrations import OVERRIDE_REASON_LIMIT, RUBRIC_LEVELS


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


@dataclass(frozen=True)
class Member:
    """A trainee of a room's roster; `alias` is the name on the leaderboard when they chose one."""

    name: str
    on_leaderboard: bool = False
    alias: str = ""

    @property
    def board_name(self) -> str:
        return self.alias or self.name


@dataclass(frozen=True)
class ObserverRating:
    """One observer's rating of one reply, on the rubric's 0-4 levels."""

    observer: int
    empathy: int
    composure: int
    techniques: tuple[str, ...] = ()


@dataclass(frozen=True)
class Override:
    """The facilitator's scores for a turn (0-4), with the one-line reason for them."""

    empathy: int
    composure: int
    reason: str
    made_at: str = ""


@dataclass(frozen=True)
class RoomRecord:
    id: int
    name: str
    opened_at: str
    closed_at: str | None
    replies_per_seat: int | None


def check_level(value: object, what: str) -> int:
    """A rubric level 0-4; ValueError naming `what` otherwise."""
    if not isinstance(value, int) or isinstance(value, bool) or value not in RUBRIC_LEVELS:
        raise ValueError(f"{what} must be a whole number from 0 to 4")
    return value


def check_reason(reason: str) -> str:
    """One line of at most OVERRIDE_REASON_LIMIT characters, not blank."""
    text = reason.strip()
    if not text:
        raise ValueError("say in one line why the scores change")
    if "\n" in text or "\r" in text:
        raise ValueError("the reason must be one line")
    if len(text) > OVERRIDE_REASON_LIMIT:
        raise ValueError(f"the reason is longer than {OVERRIDE_REASON_LIMIT} characters")
    return text


class RoomRecords:
    """Reads and writes of rooms on an open Skeptic database (SessionStore.db)."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def open_room(self, name: str, members: Sequence[Member], replies_per_seat: int | None) -> int:
        """Record a room being opened with its roster (trainees are added on first use)."""
        name = name.strip()
        if not name:
            raise ValueError("the room needs a name")
        if not members:
            raise ValueError("the room needs at least one trainee")
        if replies_per_seat is not None and replies_per_seat < 1:
            raise ValueError("replies per seat must be 1 or more (or a whole call)")
        with sqlite_errors_explained(self.db), write_transaction(self.db):
            room_id = (
                self.db.table("rooms")
                .insert(
                    {"name": name, "opened_at": utc_now(), "replies_per_seat": replies_per_seat}
                )
                .last_rowid
            )
            assert room_id is not None
            for order, member in enumerate(members):
                self.db.execute(
                    "INSERT INTO room_members (room_id, trainee_id, seat_order, on_leaderboard, "
                    "alias) VALUES (?, ?, ?, ?, ?)",
                    [
                        room_id,
                        self._trainee_id(member.name),
                        order,
                        int(member.on_leaderboard),
                        member.alias.strip() or None,
                    ],
                )
            return room_id

    def close_room(self, room_id: int) -> None:
        with sqlite_errors_explained(self.db), write_transaction(self.db):
            self.db.execute(
                "UPDATE rooms SET closed_at = coalesce(closed_at, ?) WHERE id = ?",
                [utc_now(), room_id],
            )

    def add_call(self, room_id: int, session_id: int) -> None:
        """The call was held in the room (it is also in its trainee's own history)."""
        with sqlite_errors_explained(self.db), write_transaction(self.db):
            self.db.execute(
                "INSERT OR IGNORE INTO room_calls (room_id, session_id) VALUES (?, ?)",
                [room_id, session_id],
            )

    def save_ratings(self, room_id: int, turn_id: int, ratings: Sequence[ObserverRating]) -> None:
        """The observers' ratings of one reply; a rating sent again replaces the earlier one."""
        rows = []
        for rating in ratings:
            check_level(rating.empathy, "empathy")
            check_level(rating.composure, "composure")
            rows.append(
                [
                    room_id,
                    turn_id,
                    rating.observer,
                    rating.empathy,
                    rating.composure,
                    json.dumps(list(rating.techniques)),
                    utc_now(),
                ]
            )
        with sqlite_errors_explained(self.db), write_transaction(self.db):
            self.db.conn.executemany(
                "INSERT INTO observer_ratings (room_id, turn_id, observer, empathy, composure, "
                "techniques, rated_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (turn_id, observer) DO UPDATE SET empathy = excluded.empathy, "
                "composure = excluded.composure, techniques = excluded.techniques, "
                "rated_at = excluded.rated_at",
                rows,
            )

    def override(
        self, turn_id: int, empathy: int, composure: int, reason: str, room_id: int | None = None
    ) -> Override:
        """The facilitator's scores for a turn, kept beside the machine's; the newest counts."""
        change = Override(
            check_level(empathy, "empathy"),
            check_level(composure, "composure"),
            check_reason(reason),
            utc_now(),
        )
        with sqlite_errors_explained(self.db), write_transaction(self.db):
            if self.db.execute("SELECT 1 FROM turns WHERE id = ?", [turn_id]).fetchone() is None:
                raise LookupError(f"there is no turn {turn_id}")
            self.db.execute(
                "INSERT INTO turn_overrides (turn_id, room_id, empathy, composure, reason, "
                "made_at) VALUES (?, ?, ?, ?, ?, ?)",
                [turn_id, room_id, change.empathy, change.composure, change.reason, change.made_at],
            )
        return change

    def overrides(self, turn_ids: Sequence[int]) -> dict[int, Override]:
        """The newest facilitator change of each of these turns that has one."""
        if not turn_ids:
            return {}
        marks = ", ".join("?" for _ in turn_ids)
        with sqlite_errors_explained(self.db):
            rows = self.db.execute(
                "SELECT turn_id, empathy, composure, reason, made_at FROM turn_overrides "
                f"WHERE turn_id IN ({marks}) ORDER BY made_at, id",
                list(turn_ids),
            ).fetchall()
        return {row[0]: Override(row[1], row[2], row[3], row[4]) for row in rows}

    def ratings(self, room_id: int) -> dict[int, list[ObserverRating]]:
        """Every observer rating of the room, by turn id."""
        found: dict[int, list[ObserverRating]] = {}
        with sqlite_errors_explained(self.db):
            rows = self.db.execute(
                "SELECT turn_id, observer, empathy, composure, techniques FROM observer_ratings "
                "WHERE room_id = ? ORDER BY turn_id, observer",
                [room_id],
            ).fetchall()
        for turn_id, observer, empathy, composure, techniques in rows:
            found.setdefault(turn_id, []).append(
                ObserverRating(observer, empathy, composure, tuple(json.loads(techniques)))
            )
        return found

    def room(self, room_id: int) -> RoomRecord:
        with sqlite_errors_explained(self.db):
            rows = list(self.db.query("SELECT * FROM rooms WHERE id = ?", [room_id]))
        if not rows:
            raise LookupError(f"there is no room {room_id}")
        return RoomRecord(**rows[0])

    def rooms(self) -> list[RoomRecord]:
        """Every room, oldest first."""
        with sqlite_errors_explained(self.db):
            return [RoomRecord(**row) for row in self.db.query("SELECT * FROM rooms ORDER BY id")]

    def members(self, room_id: int) -> list[Member]:
        with sqlite_errors_explained(self.db):
            rows = self.db.execute(
                "SELECT trainees.name, on_leaderboard, alias FROM room_members "
                "JOIN trainees ON trainees.id = room_members.trainee_id "
                "WHERE room_id = ? ORDER BY seat_order",
                [room_id],
            ).fetchall()
        return [Member(name, bool(board), alias or "") for name, board, alias in rows]

    def call_ids(self, room_id: int) -> list[int]:
        """The room's calls in the order they were held."""
        with sqlite_errors_explained(self.db):
            rows = self.db.execute(
                "SELECT room_calls.session_id FROM room_calls "
                "JOIN sessions ON sessions.id = room_calls.session_id "
                "WHERE room_id = ? ORDER BY sessions.started_at, sessions.id",
                [room_id],
            ).fetchall()
        return [row[0] for row in rows]

    def turn_id(self, session_id: int, number: int, attempt: int) -> int | None:
        """The stored turn's id; None while it is not saved (the database was busy)."""
        with sqlite_errors_explained(self.db):
            row = self.db.execute(
                "SELECT id FROM turns WHERE session_id = ? AND number = ? AND attempt = ?",
                [session_id, number, attempt],
            ).fetchone()
        return None if row is None else int(row[0])

    def _trainee_id(self, name: str) -> int:
        name = name.strip()
        if not name:
            raise ValueError("a trainee's name is empty")
        row = self.db.execute("SELECT id FROM trainees WHERE name = ?", [name]).fetchone()
        if row:
            return int(row[0])
        inserted = self.db.table("trainees").insert({"name": name, "created_at": utc_now()})
        assert inserted.last_rowid is not None
        return inserted.last_rowid
