"""This workstation's identity and the little it remembers about syncing (`sync_state`)."""

from __future__ import annotations

import sqlite_utils

from app.storage.database import write_transaction

# Keys of sync_state.
CENTRAL_ADDRESS = "central_address"  # the central store's address (never with a password)
LAST_SYNC = "central_last_sync"  # when the last sync completed (ISO-8601, UTC)
TOMBSTONES_SEEN = "central_tombstones_seen"  # the last central tombstone carried out here


def workstation_id(db: sqlite_utils.Database) -> str:
    """The UUID this copy of the history was given when it was made or upgraded."""
    row = db.execute("SELECT id FROM workstation").fetchone()
    if row is None:
        raise LookupError("this database has no workstation id")
    return str(row[0])


def state(db: sqlite_utils.Database, key: str) -> str | None:
    row = db.execute("SELECT value FROM sync_state WHERE key = ?", [key]).fetchone()
    return None if row is None else str(row[0])


def set_state(db: sqlite_utils.Database, key: str, value: str) -> None:
    """Part of the caller's transaction if one is open; committed at once otherwise."""
    sql = "INSERT OR REPLACE INTO sync_state (key, value) VALUES (?, ?)"
    if db.conn.in_transaction:
        db.execute(sql, [key, value])
        return
    with write_transaction(db):
        db.execute(sql, [key, value])
