"""Removing a trainee completely: their rows, their recordings, and their copies in backups.

Deleted rows are overwritten on disk (`secure_delete`) and the write-ahead log is emptied, so
the trainee's words cannot be read back from the file's free space; the backup copies taken
before upgrades are cleaned the same way.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ErasedTrainee:
    """What deleting a trainee removed."""

    name: str
    calls: int
    turns: int
    recordings: int
    backups_cleaned: int


def backup_files(database: Path) -> list[Path]:
    """The copies taken before upgrades (`skeptic.db.bak-v1`, ...)."""
    return sorted(
        path
        for path in database.parent.glob(f"{database.name}.bak-v*")
        if not path.name.endswith(".partial")
    )


def erase_from_backup(backup: Path, name: str) -> bool:
    """Delete the trainee's rows from one backup copy; True when it held any.

    Backups may be of any earlier schema version; the trainees, sessions and turns tables and
    the columns used here exist in all of them.
    """
    with closing(sqlite3.connect(backup, isolation_level=None)) as connection:
        connection.execute("PRAGMA secure_delete = ON")
        row = connection.execute("SELECT id FROM trainees WHERE name = ?", [name]).fetchone()
        if row is None:
            return False
        connection.execute("BEGIN IMMEDIATE")
        tables = {
            found[0]
            for found in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        # Version 8 on: what observers and the facilitator said of the trainee's replies.
        their_turns = (
            "SELECT turns.id FROM turns JOIN sessions ON sessions.id = turns.session_id "
            "WHERE sessions.trainee_id = ?"
        )
        for table in ("observer_ratings", "turn_overrides"):
            if table in tables:
                connection.execute(
                    f"DELETE FROM {table} WHERE turn_id IN ({their_turns})", [row[0]]
                )
        if "room_members" in tables:
            connection.execute("DELETE FROM room_members WHERE trainee_id = ?", [row[0]])
            connection.execute(
                "DELETE FROM room_calls WHERE session_id IN "
                "(SELECT id FROM sessions WHERE trainee_id = ?)",
                [row[0]],
            )
        connection.execute(
            "DELETE FROM turns WHERE session_id IN (SELECT id FROM sessions WHERE trainee_id = ?)",
            [row[0]],
        )
        connection.execute("DELETE FROM sessions WHERE trainee_id = ?", [row[0]])
        connection.execute("DELETE FROM trainees WHERE id = ?", [row[0]])
        connection.execute("COMMIT")
        connection.execute("VACUUM")
    return True
