"""The practice session: scoring replies in turn, trying an answer again."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.session import PracticeSession
from app.core.transcript import Transcript
from app.scenario_library import scenario_by_id

GOOD = "I can hear how worrying this is, and you're right to be careful. I'll block the card now."
CURT = "Calm down, it's just policy. Give me your card number."


@pytest.fixture
def session(tmp_path: Path) -> PracticeSession:
    practice = PracticeSession(scenario_by_id(tmp_path, "unrecognised-charge"), seed=5)
    practice.opening()
    return practice


def test_trying_an_answer_again_restores_the_customer_and_keeps_both_attempts(
    session: PracticeSession,
) -> None:
    trust_before = session.trust
    line_before = session.current_line
    first = session.submit(Transcript.typed(CURT))
    assert session.trust < trust_before

    assert session.retry_last() == line_before
    assert not session.finished
    assert session.trust == trust_before and session.current_line == line_before
    assert session.turns == [] and session.retried == [first]

    second = session.submit(Transcript.typed(GOOD))
    assert second.number == 1 and second.attempt == 2
    assert second.evaluation.empathy > first.evaluation.empathy
    assert session.trust > trust_before


def test_nothing_to_retry_before_the_first_answer(session: PracticeSession) -> None:
    assert not session.can_retry
    with pytest.raises(RuntimeError):
        session.retry_last()


def test_an_empty_reply_is_refused_with_a_message(session: PracticeSession) -> None:
    with pytest.raises(ValueError, match="empty"):
        session.submit(Transcript.typed("   "))


def test_the_summary_averages_the_answers_that_count(session: PracticeSession) -> None:
    session.submit(Transcript.typed(CURT))
    session.retry_last()
    kept = session.submit(Transcript.typed(GOOD))
    if not session.finished:
        session.end_early()
    summary = session.summary()
    assert summary.turn_count == 1
    assert summary.empathy == kept.evaluation.empathy
    assert summary.ending.kind in ("ended_early", "resolved")


def test_a_corrected_transcript_keeps_what_was_heard() -> None:
    from app.core.transcript import Word

    heard = Transcript(
        "I'll lock the card",
        "whisper",
        0.8,
        (Word("I'll", 0, 0.2, 0.9), Word("lock", 0.2, 0.4, 0.2)),
    )
    assert heard.is_uncertain
    fixed = heard.corrected("I'll block the card")
    assert (fixed.text, fixed.original_text) == ("I'll block the card", "I'll lock the card")
    assert not fixed.is_uncertain
