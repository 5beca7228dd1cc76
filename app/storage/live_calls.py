"""Which calls are still being held, so that a call whose program died can be closed.

A program holding a call keeps an exclusive lock (flock) on a small file named after it. The
operating system drops the lock when the program ends in any way (a crash, SIGKILL, a power
cut ends everything), so a call still "in progress" whose file can be locked by someone else
was interrupted: the next program to open the database ends it as "interrupted". A call held
by another running window or terminal is left alone.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
from pathlib import Path

import sqlite_utils

from app.storage.database import write_transaction

# Open lock files by path, for the life of the process (closing one drops its lock).
_held: dict[Path, int] = {}


def lock_file(database: Path, session_id: int) -> Path:
    return database.with_name(f"{database.name}.calls") / f"{session_id}.lock"


def hold(database: Path, session_id: int) -> None:
    """Mark the call as held by this process until `release` or the process ends."""
    path = lock_file(database, session_id)
    if path in _held:
        return
    try:
        path.parent.mkdir(exist_ok=True)
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return  # without the mark the call is closed early next time, never lost
    _held[path] = descriptor


def release(database: Path, session_id: int) -> None:
    path = lock_file(database, session_id)
    descriptor = _held.pop(path, None)
    if descriptor is not None:
        os.close(descriptor)
    path.unlink(missing_ok=True)


def _is_held_elsewhere(path: Path) -> bool:
    if path in _held:
        return True
    try:
        descriptor = os.open(path, os.O_RDWR)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(descriptor)
    return False


def close_interrupted(db: sqlite_utils.Database, database: Path) -> list[int]:
    """End every call left in progress by a program that is gone; returns their ids.

    The call ends when its last saved reply did (or when it started, with none), with the
    trust that reply left.
    """
    open_calls = [row[0] for row in db.execute("SELECT id FROM sessions WHERE ending IS NULL")]
    closed = [call for call in open_calls if not _is_held_elsewhere(lock_file(database, call))]
    for call in closed:
        db.execute(
            """
            UPDATE sessions SET ending = 'interrupted',
                ended_at = coalesce((SELECT max(turns.ended_at) FROM turns
                    WHERE turns.session_id = sessions.id), started_at),
                final_trust = coalesce((SELECT turns.trust_after FROM turns
                    WHERE turns.session_id = sessions.id AND turns.superseded = 0
                    ORDER BY turns.number DESC LIMIT 1), starting_trust)
            WHERE id = ? AND ending IS NULL
            """,
            [call],
        )
        lock_file(database, call).unlink(missing_ok=True)
    return closed


def close_interrupted_calls(db: sqlite_utils.Database, database: Path) -> list[int]:
    """close_interrupted in its own transaction, when there is anything to close.

    Never stops the database opening: a read-only or busy file is closed up another time.
    """
    try:
        waiting = db.execute("SELECT count(*) FROM sessions WHERE ending IS NULL").fetchone()[0]
        if not waiting:
            return []
        with write_transaction(db):
            return close_interrupted(db, database)
    except sqlite3.Error:
        return []
