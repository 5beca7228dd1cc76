"""The database schema, one step per version.

Append-only: a released step is never edited or removed, because users' files were built by it.
A change to the schema is a new function appended to MIGRATIONS. Step n (counting from 1) turns
a version n-1 file into a version n file; the version is kept in `PRAGMA user_version`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import sqlite_utils

Migration = Callable[[sqlite_utils.Database], None]

# Marks the file as Skeptic's (`PRAGMA application_id`), so that another program's SQLite
# database is recognised and left alone. The bytes spell "Skep".
APPLICATION_ID = 0x536B6570

ENDINGS = ("resolved", "walked_out", "turn_limit", "ended_early")
RECOGNISERS = ("whisper", "sphinx", "typed")


def _quoted(values: Sequence[str]) -> str:
    return ", ".join(f"'{value}'" for value in values)


_VERSION_1 = (
    """
    CREATE TABLE trainees (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        created_at TEXT NOT NULL
    )
    """,
    f"""
    CREATE TABLE sessions (
        id INTEGER PRIMARY KEY,
        trainee_id INTEGER NOT NULL REFERENCES trainees(id),
        scenario_id TEXT NOT NULL,
        scenario_title TEXT NOT NULL,
        difficulty TEXT NOT NULL,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        ending TEXT CHECK (ending IN ({_quoted(ENDINGS)})),
        starting_trust INTEGER NOT NULL,
        final_trust INTEGER,
        empathy REAL,
        composure REAL,
        turn_count INTEGER NOT NULL DEFAULT 0
    )
    """,
    "CREATE INDEX sessions_by_trainee ON sessions (trainee_id, started_at)",
    "CREATE INDEX sessions_by_start ON sessions (started_at)",
    f"""
    CREATE TABLE turns (
        id INTEGER PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        number INTEGER NOT NULL,
        customer_line TEXT NOT NULL,
        customer_mood TEXT NOT NULL,
        transcript TEXT NOT NULL,
        recogniser TEXT NOT NULL CHECK (recogniser IN ({_quoted(RECOGNISERS)})),
        confidence REAL NOT NULL,
        empathy INTEGER NOT NULL,
        composure INTEGER NOT NULL,
        evidence TEXT NOT NULL DEFAULT '[]',
        tips TEXT NOT NULL DEFAULT '[]',
        components TEXT NOT NULL DEFAULT '{{}}',
        signals TEXT NOT NULL DEFAULT '[]',
        concerns_addressed TEXT NOT NULL DEFAULT '[]',
        trust_before INTEGER NOT NULL,
        trust_after INTEGER NOT NULL,
        reaction TEXT NOT NULL,
        audio_seconds REAL NOT NULL DEFAULT 0,
        listen_seconds REAL NOT NULL DEFAULT 0,
        transcribe_seconds REAL NOT NULL DEFAULT 0,
        score_seconds REAL NOT NULL DEFAULT 0,
        response_gap_ms REAL,
        started_at TEXT,
        ended_at TEXT,
        UNIQUE (session_id, number)
    )
    """,
    f"PRAGMA application_id = {APPLICATION_ID}",
)


def create_version_1(db: sqlite_utils.Database) -> None:
    """Trainees, their practice sessions, and every turn of every session."""
    for statement in _VERSION_1:
        db.execute(statement)


MIGRATIONS: tuple[Migration, ...] = (create_version_1,)
SCHEMA_VERSION = len(MIGRATIONS)
