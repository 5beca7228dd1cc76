"""The drifts of four copies of the turn loop, each shown gone."""

from __future__ import annotations

import re
from pathlib import Path

from app.core.dialogue import Ending, TurnOutcome
from app.core.evaluation.debrief import debrief
from app.core.session import PracticeSession
from app.core.transcript import Transcript
from app.scenario_library import scenario_by_id
from app.storage import SessionStore
from app.storage.call_record import CallRecord
from tests.unit.machine_helpers import CURT, GOOD

APP = Path(__file__).resolve().parents[2] / "app"


def _finished_call(tmp_path: Path) -> PracticeSession:
    session = PracticeSession(scenario_by_id(tmp_path, "unrecognised-charge"), seed=4)
    session.opening()
    for reply in (GOOD, CURT, GOOD):
        if not session.finished:
            session.submit(Transcript.typed(reply))
    if not session.finished:
        session.end_early()
    return session


def test_the_customers_last_words_become_a_line_in_one_place_only() -> None:
    built = [
        str(path.relative_to(APP))
        for path in APP.rglob("*.py")
        if re.search(r"CustomerLine\(", path.read_text(encoding="utf-8"))
    ]
    assert built == ["core/dialogue.py"]
    assert Ending("walked_out", "").closing_line is None
    line = Ending("resolved", "Thank you.").closing_line
    assert line is not None and (line.text, line.mood, line.stage_id) == (
        "Thank you.",
        "calm",
        "ending",
    )
    outcome = TurnOutcome(40, 60, "warmer", None, Ending("resolved", "Thank you."), frozenset())
    assert outcome.line_to_say == line


def test_practise_next_and_the_averages_come_from_the_one_debrief(tmp_path: Path) -> None:
    session = _finished_call(tmp_path)
    summary = session.summary()
    skills = debrief([turn.evaluation for turn in session.turns])
    assert summary.skills == skills
    assert (summary.empathy, summary.composure) == (skills.empathy, skills.composure)
    assert summary.practise_next == skills.practise_next


def test_the_stored_averages_are_the_summarys_unrounded(tmp_path: Path) -> None:
    session = _finished_call(tmp_path)
    problems: list[str] = []
    with SessionStore.open(tmp_path / "skeptic.db") as store:
        record = CallRecord(store, problems.append)
        record.start("Dana", session.scenario, 50)
        for turn in session.turns:
            record.save(turn, None)
        assert record.finish(session.summary())
        stored = store.sessions()[0]
    summary = session.summary()
    assert problems == []
    assert stored.empathy is not None and stored.composure is not None
    assert (round(stored.empathy), round(stored.composure)) == (
        summary.empathy,
        summary.composure,
    )
    assert stored.turn_count == summary.turn_count and stored.ending == summary.ending.kind


def test_selftest_hears_through_the_hands_free_streaming_path() -> None:
    source = (APP / "commands" / "selftest.py").read_text(encoding="utf-8")
    assert "StreamingHearer(" in source and "AnswerMode.HANDS_FREE" in source
    assert "transcribe_reply(" not in source  # the whole-recording path
