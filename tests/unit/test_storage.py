"""The practice history on real SQLite files: one fresh file per test."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils

from app.paths import PROJECT_ROOT, database_path
from app.storage import (
    MIGRATIONS,
    SCHEMA_VERSION,
    SessionStore,
    StorageError,
    open_database,
)
from tests.storage.helpers import make_turn

QUICK_TIMEOUT = 0.3


@pytest.fixture
def db_path(private_data_dir: Path) -> Path:
    private_data_dir.mkdir(parents=True, exist_ok=True)
    return database_path(private_data_dir)


@pytest.fixture
def store(db_path: Path) -> Iterator[SessionStore]:
    with SessionStore.open(db_path) as opened:
        yield opened


def start(store: SessionStore, trainee: str = "Ana") -> int:
    return store.start_session(trainee, "refund-delay", "The late refund", "hard", 30)


def assert_one_line_about(error: StorageError, path: Path) -> None:
    message = str(error)
    assert "\n" not in message
    assert str(path) in message


def read(path: Path, sql: str) -> list[tuple[object, ...]]:
    """Rows from a separate connection, closed again at once (as another program would)."""
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute(sql).fetchall()


def write(path: Path, sql: str) -> None:
    with closing(sqlite3.connect(path, isolation_level=None)) as connection:
        connection.execute(sql)


def pragma(path: Path, name: str) -> object:
    return read(path, f"PRAGMA {name}")[0][0]


def add_note_column(db: sqlite_utils.Database) -> None:
    db.execute("ALTER TABLE sessions ADD COLUMN note TEXT")


# Opening -------------------------------------------------------------------------------------


def test_every_connection_uses_wal_foreign_keys_and_a_busy_timeout(db_path: Path) -> None:
    db = open_database(db_path, busy_timeout=2.5)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] == 2500
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        db.execute(
            "INSERT INTO sessions (trainee_id, scenario_id, scenario_title, difficulty, "
            "started_at, starting_trust) VALUES (999, 's', 'S', 'easy', '2024-01-01', 30)"
        )
    db.close()


def test_a_new_file_is_created_at_the_current_version_and_reopening_changes_nothing(
    db_path: Path,
) -> None:
    db_path.touch()  # an empty file is a blank database
    open_database(db_path).close()
    assert pragma(db_path, "user_version") == SCHEMA_VERSION
    schema = read(db_path, "SELECT sql FROM sqlite_master ORDER BY name")

    with SessionStore.open(db_path) as store:
        start(store)
    with SessionStore.open(db_path) as store:
        assert len(store.sessions()) == 1

    assert read(db_path, "SELECT sql FROM sqlite_master ORDER BY name") == schema
    assert pragma(db_path, "user_version") == SCHEMA_VERSION
    assert not list(db_path.parent.glob("*.bak-v*"))


def test_a_file_that_is_not_sqlite_is_refused_untouched(db_path: Path) -> None:
    garbage = b"These are my meeting notes, not a database.\n" * 40
    db_path.write_bytes(garbage)
    with pytest.raises(StorageError, match="not an SQLite file") as refused:
        open_database(db_path)
    assert_one_line_about(refused.value, db_path)
    assert db_path.read_bytes() == garbage


def test_another_programs_sqlite_database_is_refused_untouched(db_path: Path) -> None:
    write(db_path, "CREATE TABLE notes (body TEXT)")
    write(db_path, "INSERT INTO notes VALUES ('keep me')")
    before = db_path.read_bytes()
    with pytest.raises(StorageError, match="another program") as refused:
        open_database(db_path)
    assert_one_line_about(refused.value, db_path)
    assert db_path.read_bytes() == before


def test_a_database_from_a_newer_version_is_refused_untouched(db_path: Path) -> None:
    with SessionStore.open(db_path) as store:
        start(store)
    write(db_path, f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    before = db_path.read_bytes()
    with pytest.raises(StorageError, match="newer version of Skeptic") as refused:
        open_database(db_path)
    assert_one_line_about(refused.value, db_path)
    assert db_path.read_bytes() == before
    assert not list(db_path.parent.glob("*.bak-v*"))


def test_the_file_is_backed_up_before_an_upgrade(db_path: Path) -> None:
    with SessionStore.open(db_path) as store:
        session_id = start(store)
        store.save_turn(session_id, make_turn(1))

    upgraded = open_database(db_path, migrations=[*MIGRATIONS, add_note_column])
    assert upgraded.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
    assert "note" in upgraded.table("sessions").columns_dict
    upgraded.close()

    backup = db_path.with_name(f"{db_path.name}.bak-v{SCHEMA_VERSION}")
    assert pragma(backup, "user_version") == SCHEMA_VERSION
    assert read(backup, "SELECT count(*) FROM turns") == [(1,)]
    assert "note" not in [row[1] for row in read(backup, "PRAGMA table_info(sessions)")]


def test_a_failed_upgrade_step_leaves_the_file_at_its_old_version(db_path: Path) -> None:
    with SessionStore.open(db_path) as store:
        start(store)

    def half_broken(db: sqlite_utils.Database) -> None:
        add_note_column(db)
        db.execute("ALTER TABLE sessions ADD COLUMN note TEXT")  # duplicate column

    with pytest.raises(StorageError, match="duplicate column") as refused:
        open_database(db_path, migrations=[*MIGRATIONS, half_broken])
    assert_one_line_about(refused.value, db_path)

    assert pragma(db_path, "user_version") == SCHEMA_VERSION
    with SessionStore.open(db_path) as store:
        assert "note" not in store.db.table("sessions").columns_dict
        assert len(store.sessions()) == 1


def test_a_missing_folder_is_reported_clearly(tmp_path: Path) -> None:
    path = tmp_path / "no such folder" / "skeptic.db"
    with pytest.raises(StorageError, match="folder exists") as refused:
        open_database(path)
    assert_one_line_about(refused.value, path)


# Locks ---------------------------------------------------------------------------------------


def hold_write_lock(path: Path) -> sqlite3.Connection:
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    return other


def test_a_locked_database_fails_a_save_with_a_clear_message(db_path: Path) -> None:
    with SessionStore.open(db_path, busy_timeout=QUICK_TIMEOUT) as store:
        session_id = start(store)
        other = hold_write_lock(db_path)
        began = time.monotonic()
        with pytest.raises(StorageError, match="in use by another program") as refused:
            store.save_turn(session_id, make_turn(1))
        waited = time.monotonic() - began
        assert QUICK_TIMEOUT * 0.9 <= waited < QUICK_TIMEOUT + 2
        assert_one_line_about(refused.value, db_path)
        assert f"{QUICK_TIMEOUT:g} s" in str(refused.value)

        other.rollback()
        other.close()
        store.save_turn(session_id, make_turn(1))  # the same turn, once the lock is gone
        assert [turn.number for turn in store.turns(session_id)] == [1]


def test_a_locked_database_that_needs_an_upgrade_is_refused_clearly(db_path: Path) -> None:
    open_database(db_path).close()
    other = hold_write_lock(db_path)
    try:
        with pytest.raises(StorageError, match="in use by another program") as refused:
            open_database(
                db_path, migrations=[*MIGRATIONS, add_note_column], busy_timeout=QUICK_TIMEOUT
            )
        assert_one_line_about(refused.value, db_path)
    finally:
        other.close()
    assert pragma(db_path, "user_version") == SCHEMA_VERSION


# Reads and writes ----------------------------------------------------------------------------


def test_a_saved_turn_is_committed_and_reads_back_whole(store: SessionStore, db_path: Path) -> None:
    session_id = start(store)
    turn = make_turn(1)
    store.save_turn(session_id, turn)

    seen_elsewhere = read(db_path, f"SELECT transcript FROM turns WHERE session_id = {session_id}")
    assert seen_elsewhere == [(turn.transcript,)]
    assert store.turns(session_id) == [turn]


def test_a_typed_turn_without_timings_round_trips(store: SessionStore) -> None:
    session_id = start(store)
    typed = make_turn(
        1, recogniser="typed", response_gap_ms=None, started_at="", ended_at="", components={}
    )
    store.save_turn(session_id, typed)
    assert store.turns(session_id) == [typed]


def test_finishing_a_session_computes_its_averages_and_turn_count(store: SessionStore) -> None:
    session_id = start(store)
    store.save_turn(session_id, make_turn(1, empathy=60, composure=90))
    in_progress = store.session(session_id)
    assert (in_progress.turn_count, in_progress.empathy, in_progress.ending) == (1, 60.0, None)

    store.save_turn(session_id, make_turn(2, empathy=81, composure=70))
    store.finish_session(session_id, "resolved", 72)

    finished = store.session(session_id)
    assert finished.empathy == pytest.approx(70.5)
    assert finished.composure == pytest.approx(80.0)
    assert finished.turn_count == 2
    assert (finished.ending, finished.final_trust, finished.starting_trust) == ("resolved", 72, 30)
    assert finished.ended_at is not None and finished.ended_at >= finished.started_at
    assert finished.trainee == "Ana"
    assert finished.scenario_title == "The late refund"


def test_a_session_without_turns_finishes_with_no_averages(store: SessionStore) -> None:
    session_id = start(store)
    store.finish_session(session_id, "ended_early", 30)
    finished = store.session(session_id)
    assert (finished.turn_count, finished.empathy, finished.composure) == (0, None, None)


def test_sessions_are_listed_newest_first_and_filter_by_trainee(store: SessionStore) -> None:
    ana_first = start(store, "Ana")
    ben = start(store, "Ben")
    ana_second = start(store, "  ana ")
    assert [s.id for s in store.sessions()] == [ana_second, ben, ana_first]
    assert [s.id for s in store.sessions("Ana")] == [ana_second, ana_first]
    assert [s.id for s in store.sessions("Ben")] == [ben]
    assert store.sessions("Nobody") == []


def test_trainees_are_found_by_name_whatever_the_case_and_spacing(store: SessionStore) -> None:
    ana = store.trainee_id("Ana")
    assert store.trainee_id("  ana  ") == ana
    assert store.trainee_id("Ben") != ana
    with pytest.raises(ValueError, match="name is empty"):
        store.trainee_id("   ")


def test_deleting_a_session_deletes_its_turns(store: SessionStore) -> None:
    session_id = start(store)
    store.save_turn(session_id, make_turn(1))
    store.db.execute("DELETE FROM sessions WHERE id = ?", [session_id])
    assert store.turns(session_id) == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"recogniser": "google"}, "unknown recogniser"),
        ({"started_at": "yesterday"}, "not an ISO-8601 time"),
        ({"ended_at": "2024-05-01T12:00:00+02:00"}, "not in UTC"),
        ({"ended_at": "2024-05-01T12:00:00"}, "not in UTC"),
    ],
)
def test_a_malformed_turn_is_refused_with_a_reason(
    store: SessionStore, change: dict[str, Any], message: str
) -> None:
    session_id = start(store)
    with pytest.raises(ValueError, match=message):
        store.save_turn(session_id, make_turn(1, **change))
    assert store.turns(session_id) == []


def test_misuse_is_refused_with_a_reason(store: SessionStore) -> None:
    session_id = start(store)
    store.save_turn(session_id, make_turn(1))
    with pytest.raises(ValueError, match="already has attempt 1 of turn 1"):
        store.save_turn(session_id, make_turn(1))
    with pytest.raises(LookupError, match="no session 999"):
        store.save_turn(999, make_turn(1))
    with pytest.raises(LookupError, match="no session 999"):
        store.session(999)
    with pytest.raises(ValueError, match="unknown ending"):
        store.finish_session(session_id, "hung_up", 10)
    store.finish_session(session_id, "walked_out", 5)
    with pytest.raises(ValueError, match="already ended"):
        store.save_turn(session_id, make_turn(2))
    with pytest.raises(ValueError, match="already ended"):
        store.finish_session(session_id, "resolved", 90)
    assert store.session(session_id).turn_count == 1


def test_storage_loads_without_qt() -> None:
    code = "import sys, app.storage; print('PySide6' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
