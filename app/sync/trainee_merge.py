"""Trainees with the same name and different identities: listed, and merged only when asked.

Two workstations that each met "Ana" made two trainees; whether they are one person is for an
administrator to say. A merge moves every call of one onto the other and leaves a tombstone
that names the trainee kept, so the same merge happens on every copy it reaches.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from app.storage.database import sqlite_errors_explained, write_transaction
from app.storage.trainees import existing_trainee
from app.sync.merge import MergeReport, apply_tombstone
from app.sync.workstation import workstation_id


@dataclass(frozen=True)
class NameClash:
    """A trainee kept apart under a marked name because `shared_name` was already taken."""

    name: str  # the marked local name, e.g. "Ana (1a2b3c4d)"
    shared_name: str  # the name they have elsewhere
    uuid: str
    branch: str | None
    calls: int


def name_clashes(db: sqlite_utils.Database) -> list[NameClash]:
    with sqlite_errors_explained(db):
        rows = db.execute(
            "SELECT name, shared_name, uuid, branch, "
            "(SELECT count(*) FROM sessions WHERE trainee_id = trainees.id) "
            "FROM trainees WHERE shared_name IS NOT NULL ORDER BY shared_name, name"
        ).fetchall()
    return [NameClash(*row) for row in rows]


def merge_trainees(db: sqlite_utils.Database, source: str, target: str) -> int:
    """Move every call of `source` onto `target` and remove `source` everywhere it travels;
    returns how many calls moved."""
    with sqlite_errors_explained(db):
        moving = existing_trainee(db, source)
        kept = existing_trainee(db, target)
        if moving.id == kept.id:
            raise ValueError("a trainee cannot be merged into themselves")
        (moving_uuid,) = db.execute(
            "SELECT uuid FROM trainees WHERE id = ?", [moving.id]
        ).fetchone()
        (kept_uuid,) = db.execute("SELECT uuid FROM trainees WHERE id = ?", [kept.id]).fetchone()
        (calls,) = db.execute(
            "SELECT count(*) FROM sessions WHERE trainee_id = ?", [moving.id]
        ).fetchone()
        with write_transaction(db):
            db.execute("INSERT OR REPLACE INTO sync_state (key, value) VALUES ('merging', '1')")
            db.execute(
                "INSERT INTO tombstones (uuid, replaced_by, deleted_at, workstation_id) "
                "VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'), ?)",
                [moving_uuid, kept_uuid, workstation_id(db)],
            )
            apply_tombstone(db, moving_uuid, [], MergeReport())
            db.execute("DELETE FROM sync_state WHERE key = 'merging'")
    return int(calls)
