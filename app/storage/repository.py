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

from app.core.ports import SAMPLE_RATE, Samples
from app.storage import live_calls, recordings
from app.storage.calls import (
    CallFilter,
    CallRow,
    ProgressPoint,
    count_calls,
    list_calls,
    one_call,
    progress_points,
    recording_file,
)
from app.storage.database import (
    DEFAULT_BUSY_TIMEOUT,
    database_file,
    open_database,
    sqlite_errors_explained,
    write_transaction,
)
from app.storage.erasure import ErasedTrainee, backup_files, erase_from_backup
from app.storage.live_calls import close_interrupted_calls
from app.storage.migrations import CALL_AVERAGES, ENDINGS, RECOGNISERS
from app.storage.trainees import (
    TraineeRecord,
    all_trainees,
    existing_trainee,
    find_trainee,
    optional_text,
)


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
        self.path = database_file(db)
        # Recordings are kept beside the database, so one folder holds everything.
        self.data_folder = self.path.parent

    @classmethod
    def open(cls, path: Path, *, busy_timeout: float = DEFAULT_BUSY_TIMEOUT) -> SessionStore:
        """Open (creating and upgrading as needed) the database at `path`; raises StorageError.

        Calls left in progress by a program that has since ended are closed as interrupted."""
        store = cls(open_database(path, busy_timeout=busy_timeout))
        close_interrupted_calls(store.db, store.path)
        return store

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
            session_id = _row_id(table)
        live_calls.hold(self.path, session_id)
        return session_id

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
        live_calls.release(self.path, session_id)

    def set_response_gap(self, session_id: int, number: int, gap_ms: float) -> None:
        """The silence before the customer answered this turn, known only once they did."""
        with sqlite_errors_explained(self.db), write_transaction(self.db):
            self.db.execute(
                "UPDATE turns SET response_gap_ms = ? "
                "WHERE session_id = ? AND number = ? AND superseded = 0",
                [gap_ms, session_id, number],
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
        live_calls.hold(self.path, session_id)

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

    # Trainee profiles ------------------------------------------------------------------------

    def trainees(self) -> list[TraineeRecord]:
        """Every trainee, by name."""
        with sqlite_errors_explained(self.db):
            return all_trainees(self.db)

    def trainee(self, name: str) -> TraineeRecord:
        """The trainee's profile; LookupError when there is no such trainee."""
        with sqlite_errors_explained(self.db):
            return existing_trainee(self.db, name)

    def save_trainee(
        self, name: str, *, team: str | None = None, branch: str | None = None
    ) -> TraineeRecord:
        """Add the trainee, or set their team and branch (None or blank: not given)."""
        name = _trainee_name(name)
        with sqlite_errors_explained(self.db):
            with write_transaction(self.db):
                trainee_id = self._trainee_id(name)
                self.db.execute(
                    "UPDATE trainees SET team = ?, branch = ? WHERE id = ?",
                    [optional_text(team), optional_text(branch), trainee_id],
                )
            return existing_trainee(self.db, name)

    def set_recording_consent(self, trainee: str, records_replies: bool) -> None:
        """Switch the keeping of the trainee's spoken replies on or off (adding the trainee if
        new). Switching it off keeps recordings already made; delete them separately."""
        name = _trainee_name(trainee)
        with sqlite_errors_explained(self.db), write_transaction(self.db):
            trainee_id = self._trainee_id(name)
            self.db.execute(
                "UPDATE trainees SET records_replies = ?, records_replies_since = "
                "CASE WHEN ? THEN coalesce(records_replies_since, ?) END WHERE id = ?",
                [int(records_replies), int(records_replies), utc_now(), trainee_id],
            )

    def recording_consent(self, trainee: str) -> bool:
        """True when the trainee's spoken replies are kept; False for an unknown trainee."""
        with sqlite_errors_explained(self.db):
            found = find_trainee(self.db, trainee)
        return found is not None and found.records_replies

    # Recordings --------------------------------------------------------------------------------

    def save_recording(
        self, turn_id: int, samples: Samples, sample_rate: int = SAMPLE_RATE
    ) -> Path:
        """Keep the audio of a saved turn's reply as FLAC and return its path.

        Refused (ValueError) unless recording is switched on for the turn's trainee.
        """
        with sqlite_errors_explained(self.db), write_transaction(self.db):
            row = self.db.execute(
                "SELECT sessions.trainee_id, turns.session_id, turns.number, turns.attempt, "
                "trainees.records_replies, trainees.name FROM turns "
                "JOIN sessions ON sessions.id = turns.session_id "
                "JOIN trainees ON trainees.id = sessions.trainee_id WHERE turns.id = ?",
                [turn_id],
            ).fetchone()
            if row is None:
                raise LookupError(f"there is no turn {turn_id}")
            trainee_id, session_id, number, attempt, records_replies, name = row
            if not records_replies:
                raise ValueError(f"recording is switched off for {name}; switch it on first")
            location = recordings.recording_location(trainee_id, session_id, number, attempt)
            path = self.data_folder / location
            recordings.write_flac(path, samples, sample_rate)
            try:
                self.db.execute("UPDATE turns SET recording = ? WHERE id = ?", [location, turn_id])
            except BaseException:
                recordings.remove_recording(self.data_folder, location)
                raise
            return path

    def recording(self, turn_id: int) -> Path | None:
        """The audio file of a turn's reply, when it was kept and is still on disk."""
        with sqlite_errors_explained(self.db):
            row = self.db.execute("SELECT recording FROM turns WHERE id = ?", [turn_id]).fetchone()
        return recording_file(self.data_folder, row[0]) if row else None

    def delete_call_recordings(self, session_id: int) -> int:
        """Delete every recording of a call; returns how many files were removed."""
        with sqlite_errors_explained(self.db), write_transaction(self.db):
            session = self._session(session_id)
            trainee_id = self._trainee_id(session.trainee)
            return self._delete_recordings(
                "turns.session_id = ?",
                [session_id],
                recordings.trainee_recordings_folder(self.data_folder, trainee_id)
                / str(session_id),
            )

    def delete_trainee_recordings(self, trainee: str) -> int:
        """Delete every recording of a trainee; returns how many files were removed."""
        with sqlite_errors_explained(self.db), write_transaction(self.db):
            found = existing_trainee(self.db, trainee)
            return self._delete_recordings(
                "turns.session_id IN (SELECT id FROM sessions WHERE trainee_id = ?)",
                [found.id],
                recordings.trainee_recordings_folder(self.data_folder, found.id),
            )

    # History -------------------------------------------------------------------------------------

    def calls(
        self,
        where: CallFilter | None = None,
        *,
        sort: str = "date",
        descending: bool = True,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[CallRow]:
        """The history list: calls matching `where`, sorted by one of calls.SORT_KEYS (calls
        without a value for it last), optionally one page of `limit` rows."""
        with sqlite_errors_explained(self.db):
            return list_calls(self.db, where or CallFilter(), sort, descending, limit, offset)

    def count_calls(self, where: CallFilter | None = None) -> int:
        with sqlite_errors_explained(self.db):
            return count_calls(self.db, where or CallFilter())

    def call(self, session_id: int) -> CallRow:
        """One call as a line of the history list; LookupError when there is none."""
        with sqlite_errors_explained(self.db):
            return one_call(self.db, session_id)

    def call_turns(self, session_id: int, *, with_superseded: bool = False) -> list[SavedTurn]:
        """The call's turns in order, with their ids and recordings."""
        only_kept = "" if with_superseded else " AND superseded = 0"
        with sqlite_errors_explained(self.db):
            rows = self.db.query(
                f"SELECT * FROM turns WHERE session_id = ?{only_kept} ORDER BY number, attempt",
                [session_id],
            )
            return [
                SavedTurn(
                    id=row["id"],
                    session_id=session_id,
                    turn=_turn_record(row),
                    recording=recording_file(self.data_folder, row["recording"]),
                )
                for row in rows
            ]

    def recent_voices(self, trainee: str, limit: int = 20) -> list[dict[str, float | int | None]]:
        """The voice figures of the trainee's latest spoken replies, newest first (none for a
        trainee not seen before)."""
        with sqlite_errors_explained(self.db):
            rows = self.db.execute(
                "SELECT turns.voice FROM turns JOIN sessions ON sessions.id = turns.session_id "
                "JOIN trainees ON trainees.id = sessions.trainee_id "
                "WHERE trainees.name = ? AND turns.voice IS NOT NULL "
                "ORDER BY turns.id DESC LIMIT ?",
                [trainee.strip(), limit],
            ).fetchall()
        return [json.loads(row[0]) for row in rows]

    def progress_points(self, trainee: str) -> list[ProgressPoint]:
        """The trainee's calls with at least one turn, oldest first, as chart points."""
        with sqlite_errors_explained(self.db):
            return progress_points(self.db, existing_trainee(self.db, trainee).id)

    def delete_trainee(self, trainee: str) -> ErasedTrainee:
        """Remove every trace of a trainee: profile, calls, turns, recordings, and their rows
        in the backup copies taken before upgrades. Deleted rows are overwritten on disk."""
        with sqlite_errors_explained(self.db):
            found = existing_trainee(self.db, trainee)
            self.db.execute("PRAGMA secure_delete = ON")
            with write_transaction(self.db):
                calls, turns, kept = self.db.execute(
                    "SELECT count(DISTINCT sessions.id), count(turns.id), count(turns.recording) "
                    "FROM sessions LEFT JOIN turns ON turns.session_id = sessions.id "
                    "WHERE sessions.trainee_id = ?",
                    [found.id],
                ).fetchone()
                self.db.execute(
                    "DELETE FROM turns WHERE session_id IN "
                    "(SELECT id FROM sessions WHERE trainee_id = ?)",
                    [found.id],
                )
                self.db.execute("DELETE FROM sessions WHERE trainee_id = ?", [found.id])
                self.db.execute("DELETE FROM trainees WHERE id = ?", [found.id])
                recordings.remove_folder(
                    self.data_folder,
                    recordings.trainee_recordings_folder(self.data_folder, found.id),
                )
            # Empty the write-ahead log, which still holds the deleted rows' old pages.
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            backups = backup_files(self.path)
            cleaned = sum(erase_from_backup(backup, found.name) for backup in backups)
        return ErasedTrainee(found.name, calls, turns, kept, cleaned)

    def _delete_recordings(self, condition: str, params: list[object], folder: Path) -> int:
        locations = [
            location
            for (location,) in self.db.execute(
                f"SELECT recording FROM turns WHERE recording IS NOT NULL AND {condition}", params
            ).fetchall()
        ]
        self.db.execute(
            f"UPDATE turns SET recording = NULL WHERE recording IS NOT NULL AND {condition}",
            params,
        )
        removed = sum(recordings.remove_recording(self.data_folder, loc) for loc in locations)
        recordings.remove_folder(self.data_folder, folder)
        return removed

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
                              WHERE session_id = sessions.id AND superseded = 0),
            """
            + CALL_AVERAGES
            + " WHERE id = ?",
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
    row["voice"] = None if turn.voice is None else json.dumps(turn.voice)
    row["started_at"] = _utc_timestamp(turn.started_at, "started_at")
    row["ended_at"] = _utc_timestamp(turn.ended_at, "ended_at")
    return row


def _turn_record(row: Mapping[str, Any]) -> TurnRecord:
    values = {name: row[name] for name in _TURN_FIELDS}
    for name in _JSON_LISTS:
        values[name] = tuple(json.loads(values[name]))
    values["components"] = json.loads(values["components"])
    values["voice"] = None if values["voice"] is None else json.loads(values["voice"])
    values["started_at"] = values["started_at"] or ""
    values["ended_at"] = values["ended_at"] or ""
    values["superseded"] = bool(values["superseded"])
    return TurnRecord(**values)
