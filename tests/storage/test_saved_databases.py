"""Upgrading the saved database file of every schema version, as a user's file would be."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from app.paths import PROJECT_ROOT, database_path
from app.storage import SCHEMA_VERSION, SessionStore, StorageError, open_database
from tests.storage.helpers import make_turn

SAVED = PROJECT_ROOT / "tests" / "data" / "databases"
VERSIONS = range(1, SCHEMA_VERSION + 1)


def saved_copy(version: int, folder: Path) -> Path:
    path = database_path(folder)
    shutil.copyfile(SAVED / f"skeptic-v{version}.db", path)
    return path


def pragma(path: Path, name: str) -> object:
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute(f"PRAGMA {name}").fetchone()[0]


def test_there_is_a_saved_file_for_every_schema_version() -> None:
    saved = sorted(path.name for path in SAVED.glob("skeptic-v*.db"))
    assert saved == [f"skeptic-v{version}.db" for version in VERSIONS]
    for version in VERSIONS:
        assert pragma(SAVED / f"skeptic-v{version}.db", "user_version") == version


@pytest.mark.parametrize("version", VERSIONS)
def test_a_saved_file_upgrades_and_keeps_every_call(version: int, private_data_dir: Path) -> None:
    path = saved_copy(version, private_data_dir)

    with SessionStore.open(path) as store:
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert store.db.execute("PRAGMA foreign_key_check").fetchall() == []
        calls = store.calls(sort="date", descending=False)
        assert [(c.trainee, c.ending, c.turn_count) for c in calls] == [
            ("Ana", "resolved", 2),
            ("Ben", "interrupted", 1),  # its program is gone: closed on opening
        ]
        ana = store.call_turns(calls[0].id)
        assert [t.turn.number for t in ana] == [1, 2]
        # The speaking rate of spoken replies is known whichever version saved them.
        assert [t.turn.words_per_minute for t in ana] == [152.0, 152.0]
        assert store.call_turns(calls[1].id)[0].turn.words_per_minute is None
        points = store.progress_points("Ana")
        assert points[0].components["acknowledges_feeling"] == 100.0
        assert not store.recording_consent("Ben")

        # The upgraded file takes new calls as usual.
        session_id = store.start_session("Ben", "unrecognised-charge", "Charge", "standard", 30)
        store.save_turn(session_id, make_turn(1))
        store.finish_session(session_id, "resolved", 70)
        assert store.call(session_id).turn_count == 1

    assert pragma(path, "user_version") == SCHEMA_VERSION
    backup = path.with_name(f"{path.name}.bak-v{version}")
    if version < SCHEMA_VERSION:
        assert pragma(backup, "user_version") == version
        with closing(sqlite3.connect(backup)) as connection:
            assert connection.execute("SELECT count(*) FROM sessions").fetchone()[0] == 2
    else:
        assert not backup.exists()


def test_corrected_and_retried_answers_survive_the_upgrade(private_data_dir: Path) -> None:
    path = saved_copy(2, private_data_dir)
    with SessionStore.open(path) as store:
        turns = store.call_turns(1, with_superseded=True)
        assert [(t.turn.number, t.turn.attempt, t.turn.superseded) for t in turns] == [
            (1, 1, False),
            (2, 1, True),
            (2, 2, False),
        ]
        assert turns[2].turn.transcript_heard == "I can here how worrying that is."


@pytest.mark.parametrize("version", VERSIONS)
def test_a_file_from_a_newer_version_is_refused_untouched(
    version: int, private_data_dir: Path
) -> None:
    path = saved_copy(version, private_data_dir)
    with closing(sqlite3.connect(path, isolation_level=None)) as connection:
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    before = path.read_bytes()

    with pytest.raises(StorageError, match="newer version of Skeptic"):
        open_database(path)

    assert path.read_bytes() == before
    assert sorted(p.name for p in private_data_dir.iterdir()) == ["skeptic.db"]
