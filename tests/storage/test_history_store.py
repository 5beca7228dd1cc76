"""Trainee profiles, recordings, the history list and removing a trainee, on real files."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import soundfile
import sqlite_utils

from app.paths import database_path
from app.storage import CallFilter, SessionStore, StorageError, open_database
from app.storage.migrations import MIGRATIONS
from tests.storage.helpers import add_call, make_turn

QUICK_TIMEOUT = 0.3


@pytest.fixture
def store(private_data_dir: Path) -> Iterator[SessionStore]:
    with SessionStore.open(database_path(private_data_dir)) as opened:
        yield opened


def tone(seconds: float = 1.0, rate: int = 16_000) -> np.ndarray:
    moments = np.arange(int(seconds * rate), dtype=np.float32) / rate
    return (0.3 * np.sin(2 * np.pi * 220 * moments)).astype(np.float32)


def files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


# Profiles ------------------------------------------------------------------------------------


def test_a_profile_keeps_team_and_branch_and_recording_is_off_until_switched_on(
    store: SessionStore,
) -> None:
    saved = store.save_trainee("  Ana ", team="Cards", branch="Leeds")
    assert (saved.name, saved.team, saved.branch) == ("Ana", "Cards", "Leeds")
    assert saved.records_replies is False and store.recording_consent("ana") is False

    store.set_recording_consent("ANA", True)
    assert store.recording_consent("Ana") is True
    since = store.trainee("Ana").records_replies_since
    assert since is not None

    store.set_recording_consent("Ana", True)  # switching on again keeps the first time
    assert store.trainee("Ana").records_replies_since == since
    store.set_recording_consent("Ana", False)
    assert store.trainee("Ana").records_replies_since is None

    assert store.save_trainee("ana", team=" ", branch=None).team is None
    assert [t.name for t in store.trainees()] == ["Ana"]
    assert store.recording_consent("Nobody") is False
    with pytest.raises(LookupError, match="no trainee called 'Nobody'"):
        store.trainee("Nobody")


# Recordings ----------------------------------------------------------------------------------


def test_a_reply_is_recorded_only_with_consent_and_reads_back_as_flac(
    store: SessionStore, private_data_dir: Path
) -> None:
    session_id = add_call(store, "Ana", [(70, 80)], ending=None)
    turn_id = store.call_turns(session_id)[0].id
    with pytest.raises(ValueError, match="recording is switched off for Ana"):
        store.save_recording(turn_id, tone())
    assert not (private_data_dir / "recordings").exists()

    store.set_recording_consent("Ana", True)
    path = store.save_recording(turn_id, tone(1.5))

    trainee_id = store.trainee("Ana").id
    assert path == private_data_dir / f"recordings/{trainee_id}/{session_id}/1.flac"
    audio, rate = soundfile.read(path, dtype="float32")
    assert rate == 16_000 and audio.shape == (24_000,)
    assert np.abs(audio - tone(1.5)).max() < 1e-3
    assert store.recording(turn_id) == path
    assert store.call_turns(session_id)[0].recording == path
    assert store.call(session_id).recordings == 1
    stored = store.db.execute("SELECT recording FROM turns WHERE id = ?", [turn_id]).fetchone()
    assert stored[0] == f"recordings/{trainee_id}/{session_id}/1.flac"  # relative to the folder

    with pytest.raises(LookupError, match="no turn 999"):
        store.save_recording(999, tone())
    with pytest.raises(ValueError, match="mono audio"):
        store.save_recording(turn_id, np.zeros(0, dtype=np.float32))


def test_recordings_are_deleted_per_call_and_per_trainee_with_their_folders(
    store: SessionStore, private_data_dir: Path
) -> None:
    store.set_recording_consent("Ana", True)
    first = add_call(store, "Ana", [(70, 80), (75, 80)])
    second = add_call(store, "Ana", [(60, 70)])
    for session_id in (first, second):
        for saved in store.call_turns(session_id):
            store.save_recording(saved.id, tone(0.2))
    assert len(list(private_data_dir.glob("recordings/*/*/*.flac"))) == 3

    assert store.delete_call_recordings(first) == 2
    assert [t.recording for t in store.call_turns(first)] == [None, None]
    assert store.call(first).recordings == 0
    assert len(list(private_data_dir.glob("recordings/*/*/*.flac"))) == 1

    assert store.delete_trainee_recordings("ana") == 1
    assert not (private_data_dir / "recordings").exists()
    assert store.call(second).turn_count == 1  # the call itself stays


# The history list ----------------------------------------------------------------------------


def test_calls_are_filtered_and_sorted_in_the_database(store: SessionStore) -> None:
    store.save_trainee("Ben", team="Fraud")
    old = add_call(store, "Ana", [(40, 60)], started_at="2024-03-01T09:00:00.000+00:00")
    hard = add_call(
        store,
        "Ben",
        [(90, 90), (80, 70)],
        difficulty="hard",
        started_at="2024-04-01T09:00:00.000+00:00",
    )
    open_call = add_call(store, "Ana", [(60, 50)], ending=None)

    assert [c.id for c in store.calls()] == [open_call, hard, old]
    assert [c.id for c in store.calls(sort="empathy")] == [hard, open_call, old]
    assert [c.id for c in store.calls(sort="empathy", descending=False)] == [old, open_call, hard]
    # A call that never ended has no duration: it sorts last either way.
    assert store.calls(sort="duration")[-1].id == open_call
    assert store.calls(sort="duration", descending=False)[-1].id == open_call
    assert [c.id for c in store.calls(CallFilter(trainee=" ana "))] == [open_call, old]
    assert [c.id for c in store.calls(CallFilter(team="fraud"))] == [hard]
    assert [c.id for c in store.calls(CallFilter(difficulty="hard"))] == [hard]
    assert [c.id for c in store.calls(CallFilter(since="2024-03-15", until="2024-05-01"))] == [hard]
    assert [c.id for c in store.calls(CallFilter(finished_only=True))] == [hard, old]
    assert [c.id for c in store.calls(limit=1, offset=1)] == [hard]
    assert store.count_calls(CallFilter(trainee="Ana")) == 2

    listed = store.call(hard)
    assert (listed.trainee, listed.team, listed.empathy, listed.turn_count) == (
        "Ben",
        "Fraud",
        85.0,
        2,
    )
    assert listed.duration_seconds == pytest.approx(90.0, abs=0.01)
    assert store.call(open_call).duration_seconds is None
    with pytest.raises(ValueError, match="cannot sort by 'mood'"):
        store.calls(sort="mood")
    with pytest.raises(LookupError, match="no call 999"):
        store.call(999)


def test_progress_points_average_each_call_and_its_components(store: SessionStore) -> None:
    first = add_call(store, "Ana", [(40, 60), (60, 80)], started_at="2024-03-01T09:00:00.000+00:00")
    add_call(store, "Ana", [], ending="ended_early")  # no replies: no point on a chart
    typed = store.start_session("Ana", "unrecognised-charge", "Charge", "standard", 30)
    store.save_turn(
        typed,
        make_turn(
            1,
            90,
            90,
            recogniser="typed",
            words_per_minute=None,
            components={"respect": {"score": 50}},
        ),
    )

    points = store.progress_points("ana")
    assert [p.session_id for p in points] == [first, typed]
    assert (points[0].empathy, points[0].composure, points[0].words_per_minute) == (
        50.0,
        70.0,
        140.0,
    )
    assert points[0].components == {
        "acknowledges_feeling": 80.0,
        "next_step": 40.0,
        "steady_pace": 100.0,
    }
    assert points[1].words_per_minute is None
    assert points[1].components == {"respect": 50.0}


# Removing a trainee --------------------------------------------------------------------------


def test_deleting_a_trainee_leaves_no_trace_in_the_database_files_or_backups(
    private_data_dir: Path,
) -> None:
    path = database_path(private_data_dir)
    secret = "my mother's maiden name is Zanzibar-Quokka"
    with SessionStore.open(path) as store:
        store.set_recording_consent("Ana", True)
        ana = add_call(store, "Ana", [(70, 80)])
        store.save_turn(
            store.start_session("Ana", "unrecognised-charge", "Charge", "standard", 30),
            make_turn(1, transcript=secret),
        )
        store.save_recording(store.call_turns(ana)[0].id, tone(0.2))
        ben = add_call(store, "Ben", [(50, 60)])
        store.set_recording_consent("Ben", True)
        store.save_recording(store.call_turns(ben)[0].id, tone(0.2))
    # An upgrade leaves a backup copy holding Ana's calls too.
    open_database(path, migrations=[*MIGRATIONS, lambda db: None]).close()
    backup = path.with_name(f"{path.name}.bak-v{len(MIGRATIONS)}")
    assert secret.encode() in backup.read_bytes()

    with SessionStore(open_database(path, migrations=[*MIGRATIONS, lambda db: None])) as store:
        erased = store.delete_trainee("ANA")
        assert (erased.name, erased.calls, erased.turns, erased.recordings) == ("Ana", 2, 2, 1)
        assert erased.backups_cleaned == 1
        assert [t.name for t in store.trainees()] == ["Ben"]
        assert [c.trainee for c in store.calls()] == ["Ben"]
        assert store.call_turns(ben)[0].recording is not None  # Ben's recording stays
        with pytest.raises(LookupError):
            store.trainee("Ana")

    for leftover in [path, backup, *path.parent.glob(f"{path.name}-*")]:
        assert secret.encode() not in leftover.read_bytes(), leftover
    assert b"Ana" not in path.read_bytes()
    recordings = files_under(private_data_dir / "recordings")
    assert len(recordings) == 3 and all(entry.startswith("2") for entry in recordings)


def test_a_locked_database_refuses_a_deletion_clearly_and_deletes_nothing(
    private_data_dir: Path,
) -> None:
    path = database_path(private_data_dir)
    with SessionStore.open(path, busy_timeout=QUICK_TIMEOUT) as store:
        store.set_recording_consent("Ana", True)
        call = add_call(store, "Ana", [(70, 80)])
        store.save_recording(store.call_turns(call)[0].id, tone(0.2))
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")
        try:
            began = time.monotonic()
            with pytest.raises(StorageError, match="in use by another program") as refused:
                store.delete_trainee("Ana")
            assert time.monotonic() - began < QUICK_TIMEOUT + 2
            assert "\n" not in str(refused.value)
            with pytest.raises(StorageError, match="in use by another program"):
                store.delete_call_recordings(call)
        finally:
            other.rollback()
            other.close()
        assert store.trainee("Ana").records_replies
        assert store.call_turns(call)[0].recording is not None


def test_a_read_only_database_is_reported_in_one_line(private_data_dir: Path) -> None:
    path = database_path(private_data_dir)
    with SessionStore.open(path) as store:
        add_call(store, "Ana", [(70, 80)])
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    with SessionStore(sqlite_utils.Database(connection)) as store:
        assert [c.trainee for c in store.calls()] == ["Ana"]  # reading still works
        with pytest.raises(StorageError, match="cannot be written to") as refused:
            store.set_recording_consent("Ana", True)
        assert "\n" not in str(refused.value)
        assert str(path) in str(refused.value)


def test_the_command_line_offers_exactly_the_sort_keys_the_store_knows() -> None:
    from app.cli import HISTORY_SORT_KEYS
    from app.storage import SORT_KEYS

    assert list(HISTORY_SORT_KEYS) == list(SORT_KEYS)
