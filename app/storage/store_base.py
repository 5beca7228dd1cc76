"""What every part of the store shares: the open database, and finding trainees and sessions."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import Self

import sqlite_utils

from app.storage.database import DEFAULT_BUSY_TIMEOUT, database_file, open_database
from app.storage.live_calls import close_interrupted_calls
from app.storage.records import SESSION_COLUMNS, SessionRecord, row_id, utc_now


class StoreBase:
    """The practice history in one SQLite file. Use from the thread that opened it."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self._closed = False
        self.path = database_file(db)
        # Recordings are kept beside the database, so one folder holds everything.
        self.data_folder = self.path.parent

    @classmethod
    def open(cls, path: Path, *, busy_timeout: float = DEFAULT_BUSY_TIMEOUT) -> Self:
        """Open (creating and upgrading as needed) the database at `path`; raises StorageError.

        Calls left in progress by a program that has since ended are closed as interrupted."""
        store = cls(open_database(path, busy_timeout=busy_timeout))
        close_interrupted_calls(store.db, store.path)
        return store

    def __enter__(self) -> Self:
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

    def _trainee_id(self, name: str) -> int:
        row = self.db.execute("SELECT id FROM trainees WHERE name = ?", [name]).fetchone()
        if row:
            return int(row[0])
        table = self.db.table("trainees").insert({"name": name, "created_at": utc_now()})
        return row_id(table)

    def _session(self, session_id: int) -> SessionRecord:
        rows = list(
            self.db.query(
                f"SELECT {SESSION_COLUMNS} FROM sessions "
                "JOIN trainees ON trainees.id = trainee_id WHERE sessions.id = ?",
                [session_id],
            )
        )
        if not rows:
            raise LookupError(f"there is no session {session_id}")
        return SessionRecord(**rows[0])
