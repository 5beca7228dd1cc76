"""A locked database loses nothing: turns wait in memory and are saved once it allows."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from app.core.session import PracticeSession
from app.core.transcript import Transcript
from app.scenario_library import scenario_by_id
from app.storage import SessionStore
from app.storage.call_record import CallRecord


def test_turns_wait_while_the_database_is_locked_and_are_saved_afterwards(
    tmp_path: Path,
) -> None:
    path = tmp_path / "skeptic.db"
    problems: list[str] = []
    record = CallRecord(SessionStore.open(path, busy_timeout=0.2), problems.append)
    scenario = scenario_by_id(tmp_path, "unrecognised-charge")
    session = PracticeSession(scenario, seed=4)
    session.opening()
    record.start("Dana", scenario, session.trust)

    other = sqlite3.connect(path)
    other.execute("BEGIN EXCLUSIVE")  # another program holds the file
    record.save(session.submit(Transcript.typed(session.conversation.model_reply())), None)
    assert len(record.unsaved_turns) == 1
    assert problems and "kept" in problems[-1] and "\n" not in problems[-1]

    other.rollback()
    other.close()
    record.save(session.submit(Transcript.typed(session.conversation.model_reply())), None)
    assert record.unsaved_turns == []
    record.close()
    with SessionStore.open(path) as store:
        assert [turn.number for turn in store.turns(store.sessions()[0].id)] == [1, 2]
