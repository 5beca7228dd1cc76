"""Reads of the practice history: sessions, their turns, the history list, progress."""

from __future__ import annotations

import json

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
from app.storage.database import sqlite_errors_explained
from app.storage.records import (
    SESSION_COLUMNS,
    SavedTurn,
    SessionRecord,
    TurnRecord,
    turn_record_of,
)
from app.storage.rooms import RoomRecords
from app.storage.store_base import StoreBase
from app.storage.trainees import existing_trainee


class HistoryReads(StoreBase):
    def session(self, session_id: int) -> SessionRecord:
        """The session with this id; LookupError when there is none."""
        with sqlite_errors_explained(self.db):
            return self._session(session_id)

    def sessions(self, trainee: str | None = None) -> list[SessionRecord]:
        """All sessions, or one trainee's, newest first."""
        sql = f"SELECT {SESSION_COLUMNS} FROM sessions JOIN trainees ON trainees.id = trainee_id"
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
            return [turn_record_of(row) for row in rows]

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
            found = list(rows)
            overrides = RoomRecords(self.db).overrides([row["id"] for row in found])
            return [
                SavedTurn(
                    id=row["id"],
                    session_id=session_id,
                    turn=turn_record_of(row),
                    recording=recording_file(self.data_folder, row["recording"]),
                    override=overrides.get(row["id"]),
                )
                for row in found
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
