"""Answers tried again and corrected transcripts in the database (schema version 2)."""

from __future__ import annotations

from pathlib import Path

from app.storage import SessionStore
from app.storage.database import open_database
from app.storage.migrations import MIGRATIONS
from tests.storage.helpers import make_turn


def test_a_new_attempt_replaces_the_old_one_in_the_totals_and_both_are_kept(
    tmp_path: Path,
) -> None:
    with SessionStore.open(tmp_path / "skeptic.db") as store:
        session_id = store.start_session("Dana", "unrecognised-charge", "Charge", "standard", 25)
        store.save_turn(session_id, make_turn(1, empathy=20))
        store.save_turn(session_id, make_turn(1, empathy=80, attempt=2))
        store.save_turn(session_id, make_turn(2, empathy=60, transcript_heard="I'll lock it"))
        kept = store.turns(session_id)
        everything = store.turns(session_id, with_superseded=True)
        session = store.session(session_id)
    assert [(t.number, t.attempt) for t in kept] == [(1, 2), (2, 1)]
    assert [(t.number, t.attempt, t.superseded) for t in everything] == [
        (1, 1, True),
        (1, 2, False),
        (2, 1, False),
    ]
    assert kept[1].transcript_heard == "I'll lock it"
    assert session.turn_count == 2 and session.empathy == 70


def test_a_call_ended_by_an_answer_can_be_reopened_to_try_it_again(tmp_path: Path) -> None:
    with SessionStore.open(tmp_path / "skeptic.db") as store:
        session_id = store.start_session("Dana", "unrecognised-charge", "Charge", "standard", 25)
        store.save_turn(session_id, make_turn(1, empathy=5))
        store.finish_session(session_id, "walked_out", 0)
        store.reopen_session(session_id)
        store.save_turn(session_id, make_turn(1, empathy=75, attempt=2))
        store.finish_session(session_id, "resolved", 80)
        assert store.session(session_id).ending == "resolved"


def test_a_version_1_file_is_upgraded_with_its_turns_intact(tmp_path: Path) -> None:
    path = tmp_path / "skeptic.db"
    old = open_database(path, migrations=MIGRATIONS[:1])
    store_v1 = SessionStore(old)
    session_id = store_v1.start_session("Dana", "unrecognised-charge", "Charge", "standard", 25)
    old.execute(
        "INSERT INTO turns (session_id, number, customer_line, customer_mood, transcript, "
        "recogniser, confidence, empathy, composure, trust_before, trust_after, reaction) "
        "VALUES (?, 1, 'Who is this?', 'wary', 'Hello', 'typed', 1.0, 50, 90, 25, 30, 'warmer')",
        [session_id],
    )
    old.conn.commit()
    old.close()

    with SessionStore.open(path) as store:
        (turn,) = store.turns(session_id)
        assert (turn.transcript, turn.attempt, turn.superseded) == ("Hello", 1, False)
        store.save_turn(session_id, make_turn(1, attempt=2))
        assert [t.attempt for t in store.turns(session_id)] == [2]
    assert (tmp_path / "skeptic.db.bak-v1").exists()
