"""The database schema, one step per version.

Append-only: a released step is never edited or removed, because users' files were built by it.
A change to the schema is a new function appended to MIGRATIONS. Step n (counting from 1) turns
a version n-1 file into a version n file; the version is kept in `PRAGMA user_version`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import sqlite_utils

Migration = Callable[[sqlite_utils.Database], None]

# Marks the file as Skeptic's (`PRAGMA application_id`), so that another program's SQLite
# database is recognised and left alone. The bytes spell "Skep".
APPLICATION_ID = 0x536B6570

# The endings version 1 allowed; "interrupted" (version 6) is a call whose program stopped
# mid-call (a crash, a kill, a power cut), closed when Skeptic next opens the database.
_ENDINGS_V1 = ("resolved", "walked_out", "turn_limit", "ended_early")
ENDINGS = (*_ENDINGS_V1, "interrupted")
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
        ending TEXT CHECK (ending IN ({_quoted(_ENDINGS_V1)})),
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


def add_attempts_and_corrections(db: sqlite_utils.Database) -> None:
    """Answers tried again and transcripts corrected by the trainee.

    A turn number may now hold several attempts (`attempt` 1, 2, ...); all but the last are
    `superseded` and left out of the session's averages. `transcript_heard` keeps what the
    recogniser heard when the trainee corrected it. SQLite cannot change a table's UNIQUE
    constraint in place, so the table is rebuilt with the same rows.
    """
    columns = [row[1] for row in db.execute("PRAGMA table_info(turns)").fetchall()]
    create = db.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'turns'"
    ).fetchone()[0]
    rebuilt = create.replace("CREATE TABLE turns", "CREATE TABLE turns_rebuilt", 1).replace(
        "UNIQUE (session_id, number)",
        "attempt INTEGER NOT NULL DEFAULT 1,\n"
        "        superseded INTEGER NOT NULL DEFAULT 0 CHECK (superseded IN (0, 1)),\n"
        "        transcript_heard TEXT,\n"
        "        UNIQUE (session_id, number, attempt)",
    )
    db.execute(rebuilt)
    listed = ", ".join(columns)
    db.execute(f"INSERT INTO turns_rebuilt ({listed}) SELECT {listed} FROM turns")
    db.execute("DROP TABLE turns")
    db.execute("ALTER TABLE turns_rebuilt RENAME TO turns")


_VERSION_3 = (
    "ALTER TABLE trainees ADD COLUMN team TEXT",
    "ALTER TABLE trainees ADD COLUMN branch TEXT",
    "ALTER TABLE trainees ADD COLUMN records_replies INTEGER NOT NULL DEFAULT 0 "
    "CHECK (records_replies IN (0, 1))",
    "ALTER TABLE trainees ADD COLUMN records_replies_since TEXT",
    "ALTER TABLE turns ADD COLUMN words_per_minute REAL",
    "ALTER TABLE turns ADD COLUMN recording TEXT",
    "CREATE INDEX turns_with_recordings ON turns (session_id) WHERE recording IS NOT NULL",
)

# How the composure scorer quotes a measured speaking rate, e.g. "142 words a minute (calm ...".
_SPEAKING_RATE_QUOTE = re.compile(r"^(\d+(?:\.\d+)?) words a minute")


def add_profiles_and_recordings(db: sqlite_utils.Database) -> None:
    """Trainee profiles (team, branch, whether their replies are recorded), the speaking rate
    of each spoken reply, and the recorded reply's audio file.

    The speaking rate of turns saved before this version is recovered from the pace the
    composure score quoted, so progress charts reach back to the first call.
    """
    for statement in _VERSION_3:
        db.execute(statement)
    paced = db.execute(
        "SELECT id, components ->> '$.steady_pace.evidence[0]' FROM turns "
        "WHERE components ->> '$.steady_pace.evidence[0]' IS NOT NULL"
    ).fetchall()
    for turn_id, quote in paced:
        match = _SPEAKING_RATE_QUOTE.match(str(quote))
        if match:
            db.execute(
                "UPDATE turns SET words_per_minute = ? WHERE id = ?",
                [float(match.group(1)), turn_id],
            )


# A call's averages over its kept turns of each component of the scores (a JSON object of
# name: average) and of the speaking rate, kept on the call so progress charts need not read
# every turn. Used in `UPDATE sessions SET ...`; the repository runs it after every saved turn.
CALL_AVERAGES = """
    components = coalesce((SELECT json_group_object(name, score) FROM (
        SELECT part.key AS name, avg(part.value ->> '$.score') AS score
        FROM turns CROSS JOIN json_each(turns.components) AS part
        WHERE turns.session_id = sessions.id AND turns.superseded = 0
        GROUP BY part.key)), '{}'),
    words_per_minute = (SELECT avg(turns.words_per_minute) FROM turns
        WHERE turns.session_id = sessions.id AND turns.superseded = 0)
"""


def add_call_averages(db: sqlite_utils.Database) -> None:
    """Each call's average component scores and speaking rate, filled in for past calls."""
    db.execute("ALTER TABLE sessions ADD COLUMN components TEXT NOT NULL DEFAULT '{}'")
    db.execute("ALTER TABLE sessions ADD COLUMN words_per_minute REAL")
    db.execute(f"UPDATE sessions SET {CALL_AVERAGES}")


def add_voice_figures(db: sqlite_utils.Database) -> None:
    """Every voice figure of a spoken reply (a JSON object), so that later replies can be
    judged against the trainee's own usual voice."""
    db.execute("ALTER TABLE turns ADD COLUMN voice TEXT")


def add_interrupted_ending(db: sqlite_utils.Database) -> None:
    """Calls may end "interrupted". Widening a CHECK list changes no stored row, so the table's
    definition is edited in place (SQLite's documented route for such changes) rather than the
    table rebuilt, which would cascade-delete every turn through the foreign key."""
    old = f"CHECK (ending IN ({_quoted(_ENDINGS_V1)}))"
    new = f"CHECK (ending IN ({_quoted(ENDINGS)}))"
    schema_version = int(db.execute("PRAGMA schema_version").fetchone()[0])
    db.execute("PRAGMA writable_schema = ON")
    try:
        db.execute(
            "UPDATE sqlite_master SET sql = replace(sql, ?, ?) WHERE type = 'table' AND name = ?",
            [old, new, "sessions"],
        )
        db.execute(f"PRAGMA schema_version = {schema_version + 1}")
    finally:
        db.execute("PRAGMA writable_schema = OFF")


def add_identities(db: sqlite_utils.Database) -> None:
    """A UUID and the making workstation's id on every trainee, call and turn, an outbox of
    changes numbered in order, and tombstones for deleted trainees, so that histories from
    several workstations can be merged (app/storage/identity_schema.py)."""
    from app.storage.identity_schema import create_identities

    create_identities(db)


# The rubric's levels (docs/evaluation.md) that observers and the facilitator rate by.
RUBRIC_LEVELS = range(0, 5)
# The longest reason a facilitator may give for changing a turn's scores: one line.
OVERRIDE_REASON_LIMIT = 200

_VERSION_8 = (
    """
    CREATE TABLE rooms (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        opened_at TEXT NOT NULL,
        closed_at TEXT,
        replies_per_seat INTEGER CHECK (replies_per_seat IS NULL OR replies_per_seat > 0)
    )
    """,
    """
    CREATE TABLE room_members (
        room_id INTEGER NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
        trainee_id INTEGER NOT NULL REFERENCES trainees(id) ON DELETE CASCADE,
        seat_order INTEGER NOT NULL,
        on_leaderboard INTEGER NOT NULL DEFAULT 0 CHECK (on_leaderboard IN (0, 1)),
        alias TEXT,
        PRIMARY KEY (room_id, trainee_id)
    )
    """,
    """
    CREATE TABLE room_calls (
        room_id INTEGER NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
        session_id INTEGER NOT NULL UNIQUE REFERENCES sessions(id) ON DELETE CASCADE,
        PRIMARY KEY (room_id, session_id)
    )
    """,
    f"""
    CREATE TABLE observer_ratings (
        id INTEGER PRIMARY KEY,
        room_id INTEGER NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
        turn_id INTEGER NOT NULL REFERENCES turns(id) ON DELETE CASCADE,
        observer INTEGER NOT NULL,
        empathy INTEGER NOT NULL CHECK (empathy BETWEEN {RUBRIC_LEVELS[0]} AND {RUBRIC_LEVELS[-1]}),
        composure INTEGER NOT NULL
            CHECK (composure BETWEEN {RUBRIC_LEVELS[0]} AND {RUBRIC_LEVELS[-1]}),
        techniques TEXT NOT NULL DEFAULT '[]',
        rated_at TEXT NOT NULL,
        UNIQUE (turn_id, observer)
    )
    """,
    "CREATE INDEX observer_ratings_by_room ON observer_ratings (room_id, turn_id)",
    f"""
    CREATE TABLE turn_overrides (
        id INTEGER PRIMARY KEY,
        turn_id INTEGER NOT NULL REFERENCES turns(id) ON DELETE CASCADE,
        room_id INTEGER REFERENCES rooms(id) ON DELETE SET NULL,
        empathy INTEGER NOT NULL CHECK (empathy BETWEEN {RUBRIC_LEVELS[0]} AND {RUBRIC_LEVELS[-1]}),
        composure INTEGER NOT NULL
            CHECK (composure BETWEEN {RUBRIC_LEVELS[0]} AND {RUBRIC_LEVELS[-1]}),
        reason TEXT NOT NULL
            CHECK (length(trim(reason)) > 0 AND length(reason) <= {OVERRIDE_REASON_LIMIT}
                   AND instr(reason, char(10)) = 0),
        made_at TEXT NOT NULL
    )
    """,
    "CREATE INDEX turn_overrides_by_turn ON turn_overrides (turn_id, made_at)",
)


def add_training_rooms(db: sqlite_utils.Database) -> None:
    """Training rooms: who sat in them, their calls, the observers' ratings of each reply and
    the facilitator's changes to a turn's scores.

    Ratings and changes sit beside the machine's scores in tables of their own, so the turns
    table keeps what the machine said; a later change is a new row, and the newest counts.
    Observers are numbered within their room, never named.
    """
    for statement in _VERSION_8:
        db.execute(statement)


MIGRATIONS: tuple[Migration, ...] = (
    create_version_1,
    add_attempts_and_corrections,
    add_profiles_and_recordings,
    add_call_averages,
    add_voice_figures,
    add_interrupted_ending,
    add_identities,
    add_training_rooms,
)
SCHEMA_VERSION = len(MIGRATIONS)
