"""Schema version 7: identities that merge across workstations.

Part of a released migration step: never edit, only add a new step. Every trainee, call and
turn gets a UUID and the id of the workstation that made it; `revised_at` says when its shared
fields last changed (the newest copy wins a merge). Triggers keep all three up to date for every
writer, so the code that saves calls needs no change, and they append each change to `outbox`,
whose `seq` is this workstation's sequence number for the central store. Deleting a trainee
leaves a tombstone (their UUID only, never their name) so the deletion reaches other copies.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import sqlite_utils

# A random (version 4) UUID in SQL, for rows that writers insert without one.
UUID_SQL = (
    "lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || "
    "substr(lower(hex(randomblob(2))), 2) || '-' || "
    "substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || "
    "lower(hex(randomblob(6)))"
)
NOW_SQL = "strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')"
WORKSTATION_SQL = "(SELECT id FROM workstation)"

# The columns that travel to other copies; a change to any of them is a new revision.
SHARED_COLUMNS: dict[str, tuple[str, ...]] = {
    "trainees": (
        "name",
        "team",
        "branch",
        "records_replies",
        "records_replies_since",
        "shared_name",
    ),
    "sessions": (
        "trainee_id",
        "scenario_id",
        "scenario_title",
        "difficulty",
        "started_at",
        "ended_at",
        "ending",
        "starting_trust",
        "final_trust",
        "empathy",
        "composure",
        "turn_count",
        "components",
        "words_per_minute",
    ),
    "turns": (
        "session_id",
        "number",
        "customer_line",
        "customer_mood",
        "transcript",
        "recogniser",
        "confidence",
        "empathy",
        "composure",
        "evidence",
        "tips",
        "components",
        "signals",
        "concerns_addressed",
        "trust_before",
        "trust_after",
        "reaction",
        "audio_seconds",
        "listen_seconds",
        "transcribe_seconds",
        "score_seconds",
        "response_gap_ms",
        "started_at",
        "ended_at",
        "attempt",
        "superseded",
        "transcript_heard",
        "words_per_minute",
        "voice",
    ),
}
KINDS = {"trainees": "trainee", "sessions": "call", "turns": "turn"}
# When a row was first made, as its first revision time.
_FIRST_REVISION = {"trainees": "created_at", "sessions": "started_at", "turns": "ended_at"}

_TABLES = (
    """
    CREATE TABLE workstation (
        only_row INTEGER PRIMARY KEY CHECK (only_row = 1),
        id TEXT NOT NULL,
        created_at TEXT NOT NULL
    )
    """,
    "CREATE TABLE sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """
    CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL CHECK (kind IN ('trainee', 'call', 'turn', 'tombstone')),
        uuid TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE tombstones (
        uuid TEXT PRIMARY KEY,
        replaced_by TEXT,
        deleted_at TEXT NOT NULL,
        workstation_id TEXT NOT NULL
    )
    """,
    "ALTER TABLE trainees ADD COLUMN shared_name TEXT",
)


def _identity_sql(table: str) -> list[str]:
    kind = KINDS[table]
    first = _FIRST_REVISION[table]
    shared = ", ".join(SHARED_COLUMNS[table])
    # Triggers, in order: a row written without identity (every local write) gets one; a row
    # that arrives with one (merged from elsewhere) is queued as it is; a local edit of a shared
    # field is a new revision (a merge sets revised_at itself); and every new revision, local or
    # merged, sets revised_at, which is what queues it.
    return [
        f"ALTER TABLE {table} ADD COLUMN uuid TEXT",
        f"ALTER TABLE {table} ADD COLUMN workstation_id TEXT",
        f"ALTER TABLE {table} ADD COLUMN revised_at TEXT",
        f"CREATE UNIQUE INDEX {table}_by_uuid ON {table} (uuid)",
        f"""
        CREATE TRIGGER {table}_identity AFTER INSERT ON {table} WHEN NEW.uuid IS NULL BEGIN
            UPDATE {table} SET uuid = {UUID_SQL}, workstation_id = {WORKSTATION_SQL},
                revised_at = coalesce(NEW.{first}, {NOW_SQL}) WHERE id = NEW.id;
        END
        """,
        f"""
        CREATE TRIGGER {table}_arrived AFTER INSERT ON {table} WHEN NEW.uuid IS NOT NULL BEGIN
            INSERT INTO outbox (kind, uuid) VALUES ('{kind}', NEW.uuid);
        END
        """,
        f"""
        CREATE TRIGGER {table}_revised AFTER UPDATE OF {shared} ON {table}
        WHEN NEW.revised_at IS OLD.revised_at
            AND NOT EXISTS (SELECT 1 FROM sync_state WHERE key = 'merging') BEGIN
            UPDATE {table} SET revised_at = max({NOW_SQL}, coalesce(OLD.revised_at, ''))
                WHERE id = NEW.id;
        END
        """,
        f"""
        CREATE TRIGGER {table}_queued AFTER UPDATE OF revised_at ON {table}
        WHEN NEW.uuid IS NOT NULL BEGIN
            INSERT INTO outbox (kind, uuid) VALUES ('{kind}', NEW.uuid);
        END
        """,
    ]


_TOMBSTONE_TRIGGERS = (
    f"""
    CREATE TRIGGER trainees_tombstone AFTER DELETE ON trainees WHEN OLD.uuid IS NOT NULL BEGIN
        INSERT OR IGNORE INTO tombstones (uuid, deleted_at, workstation_id)
            VALUES (OLD.uuid, {NOW_SQL}, {WORKSTATION_SQL});
    END
    """,
    """
    CREATE TRIGGER tombstones_queued AFTER INSERT ON tombstones BEGIN
        INSERT INTO outbox (kind, uuid) VALUES ('tombstone', NEW.uuid);
    END
    """,
)


def create_identities(db: sqlite_utils.Database) -> None:
    """Add the identity columns, fill them in for every existing row, and queue every row."""
    for statement in _TABLES:
        db.execute(statement)
    workstation_id = str(uuid.uuid4())
    now = datetime.now(UTC).isoformat(timespec="milliseconds")
    db.execute("INSERT INTO workstation (only_row, id, created_at) VALUES (1, ?, ?)",
               [workstation_id, now])  # fmt: skip
    for table in ("trainees", "sessions", "turns"):
        for statement in _identity_sql(table):
            db.execute(statement)
        ids = [row[0] for row in db.execute(f"SELECT id FROM {table} ORDER BY id").fetchall()]
        first = _FIRST_REVISION[table]
        # The outbox is filled afresh below, in the order the rows were made.
        db.conn.executemany(
            f"UPDATE {table} SET uuid = ?, workstation_id = ? WHERE id = ?",
            [(str(uuid.uuid4()), workstation_id, row_id) for row_id in ids],
        )
        db.conn.executemany(
            f"UPDATE {table} SET revised_at = coalesce({first}, ?) WHERE id = ?",
            [(now, row_id) for row_id in ids],
        )
    db.execute("DELETE FROM outbox")
    for table, kind in KINDS.items():
        db.execute(
            f"INSERT INTO outbox (kind, uuid) SELECT '{kind}', uuid FROM {table} ORDER BY id"
        )
    for statement in _TOMBSTONE_TRIGGERS:
        db.execute(statement)
