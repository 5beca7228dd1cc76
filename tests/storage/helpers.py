"""Turns and calls to store in the storage tests."""

from __future__ import annotations

from typing import Any

from app.storage import SessionStore, TurnRecord

SPOKEN_COMPONENTS: dict[str, dict[str, object]] = {
    "acknowledges_feeling": {"score": 80, "evidence": ["I understand"]},
    "next_step": {"score": 40, "evidence": ["no next step offered"]},
    "steady_pace": {"score": 100, "evidence": ["140 words a minute (calm range 100-165)"]},
}


def make_turn(number: int, empathy: int = 70, composure: int = 80, **changes: Any) -> TurnRecord:
    values: dict[str, Any] = {
        "number": number,
        "customer_line": "Why should I believe a word you say?",
        "customer_mood": "suspicious",
        "transcript": "I understand why you'd doubt me. Let me show you what I can see.",
        "recogniser": "whisper",
        "confidence": 0.87,
        "empathy": empathy,
        "composure": composure,
        "evidence": ("I understand why you'd doubt me",),
        "tips": ("Offer a next step.",),
        "components": SPOKEN_COMPONENTS,
        "signals": ("acknowledged",),
        "concerns_addressed": ("refund_status",),
        "trust_before": 30,
        "trust_after": 38,
        "reaction": "softened",
        "audio_seconds": 4.2,
        "words_per_minute": 140.0,
        "started_at": "2024-05-01T10:00:00.000+00:00",
        "ended_at": "2024-05-01T10:00:06.000+00:00",
    }
    values.update(changes)
    return TurnRecord(**values)


def add_call(
    store: SessionStore,
    trainee: str,
    scores: list[tuple[int, int]],
    *,
    started_at: str | None = None,
    ending: str | None = "resolved",
    scenario: str = "unrecognised-charge",
    difficulty: str = "standard",
) -> int:
    """A call with one turn per (empathy, composure); `started_at` backdates it."""
    session_id = store.start_session(trainee, scenario, scenario.title(), difficulty, 30)
    for number, (empathy, composure) in enumerate(scores, 1):
        store.save_turn(session_id, make_turn(number, empathy, composure))
    if ending is not None:
        store.finish_session(session_id, ending, 60)
    if started_at is not None:
        store.db.execute(
            "UPDATE sessions SET started_at = ?, "
            "ended_at = CASE WHEN ended_at IS NULL THEN NULL ELSE "
            "strftime('%Y-%m-%dT%H:%M:%f+00:00', ?, '+90 seconds') END WHERE id = ?",
            [started_at, started_at, session_id],
        )
        store.db.conn.commit()
    return session_id
