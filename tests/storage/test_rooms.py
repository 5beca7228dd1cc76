"""Rooms in the database: rosters, calls, observer ratings and the facilitator's changes, kept
beside the machine's scores."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from app.paths import database_path
from app.storage import SessionStore
from app.storage.rooms import Member, ObserverRating, RoomRecords
from tests.storage.helpers import make_turn
from tests.storage.test_saved_databases import saved_copy


def room_with_a_call(store: SessionStore) -> tuple[RoomRecords, int, int]:
    rooms = RoomRecords(store.db)
    room_id = rooms.open_room(
        "Thursday group", [Member("Ana", True, "Ace"), Member("Ben")], replies_per_seat=2
    )
    session_id = store.start_session("Ana", "unrecognised-charge", "Charge", "standard", 30)
    turn_id = store.save_turn(session_id, make_turn(1, empathy=70, composure=80))
    rooms.add_call(room_id, session_id)
    return rooms, room_id, turn_id


def test_a_room_keeps_its_roster_calls_and_ratings(private_data_dir: Path) -> None:
    with SessionStore.open(database_path(private_data_dir)) as store:
        rooms, room_id, turn_id = room_with_a_call(store)
        rooms.save_ratings(room_id, turn_id, [ObserverRating(1, 3, 4, ("next_step",))])
        rooms.save_ratings(room_id, turn_id, [ObserverRating(1, 2, 4), ObserverRating(2, 4, 3)])
        rooms.close_room(room_id)

        assert rooms.members(room_id) == [Member("Ana", True, "Ace"), Member("Ben", False, "")]
        assert rooms.ratings(room_id) == {
            turn_id: [ObserverRating(1, 2, 4, ()), ObserverRating(2, 4, 3, ())]
        }
        assert rooms.call_ids(room_id) == [store.sessions("Ana")[0].id]
        record = rooms.room(room_id)
        assert record.replies_per_seat == 2 and record.closed_at is not None
        # Ben is a trainee now, with a history of his own (empty so far).
        assert [t.name for t in store.trainees()] == ["Ana", "Ben"]


def test_an_override_sits_beside_the_machine_score_and_the_newest_counts(
    private_data_dir: Path,
) -> None:
    with SessionStore.open(database_path(private_data_dir)) as store:
        rooms, room_id, turn_id = room_with_a_call(store)
        rooms.override(turn_id, 2, 3, "Said sorry three times", room_id)
        rooms.override(turn_id, 3, 3, "  On a second listen the apology was sincere  ", room_id)
        latest = rooms.overrides([turn_id])[turn_id]
        assert (latest.empathy, latest.composure) == (3, 3)
        assert latest.reason == "On a second listen the apology was sincere"
        saved = store.call_turns(store.sessions("Ana")[0].id)[0].turn
        assert (saved.empathy, saved.composure) == (70, 80)  # the machine's, untouched


@pytest.mark.parametrize(
    ("empathy", "composure", "reason", "message"),
    [
        (5, 3, "ok", "0 to 4"),
        (3, -1, "ok", "0 to 4"),
        (3, 3, "   ", "why"),
        (3, 3, "two\nlines", "one line"),
        (3, 3, "x" * 201, "longer"),
    ],
)
def test_a_bad_override_is_refused(
    private_data_dir: Path, empathy: int, composure: int, reason: str, message: str
) -> None:
    with SessionStore.open(database_path(private_data_dir)) as store:
        rooms, _, turn_id = room_with_a_call(store)
        with pytest.raises(ValueError, match=message):
            rooms.override(turn_id, empathy, composure, reason)
        assert rooms.overrides([turn_id]) == {}
        with pytest.raises(LookupError):
            rooms.override(turn_id + 99, 3, 3, "no such turn")


def test_deleting_a_trainee_removes_what_people_said_of_their_replies(
    private_data_dir: Path,
) -> None:
    with SessionStore.open(database_path(private_data_dir)) as store:
        rooms, room_id, turn_id = room_with_a_call(store)
        rooms.save_ratings(room_id, turn_id, [ObserverRating(1, 3, 4)])
        rooms.override(turn_id, 3, 3, "Ana named the fear", room_id)
        store.delete_trainee("Ana")
        for table in ("observer_ratings", "turn_overrides", "room_calls"):
            assert store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0
        assert rooms.members(room_id) == [Member("Ben")]


def test_the_saved_version_8_file_keeps_its_room(private_data_dir: Path) -> None:
    path = saved_copy(8, private_data_dir)
    with SessionStore.open(path) as store:
        rooms = RoomRecords(store.db)
        [room] = rooms.rooms()
        assert room.name == "Thursday group"
        assert rooms.members(room.id)[0] == Member("Ana", True, "Ace")
        assert [r.empathy for r in rooms.ratings(room.id)[1]] == [3, 4]
        assert rooms.overrides([1])[1].reason == "She named the fear before anything else"


def test_a_backup_of_version_8_loses_the_trainee_rows_too(private_data_dir: Path) -> None:
    backup = saved_copy(8, private_data_dir)
    from app.storage.erasure import erase_from_backup

    assert erase_from_backup(backup, "Ana")
    with closing(sqlite3.connect(backup)) as connection:
        for table in ("observer_ratings", "turn_overrides", "room_calls"):
            assert connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0
        assert connection.execute("SELECT count(*) FROM room_members").fetchone()[0] == 1
