"""A finished turn of a practice call, as the row the repository stores."""

from __future__ import annotations

from dataclasses import asdict

from app.core.session import CompletedTurn
from app.storage.repository import TurnRecord


def turn_record(turn: CompletedTurn) -> TurnRecord:
    evaluation = turn.evaluation
    return TurnRecord(
        number=turn.number,
        customer_line=turn.customer_line.text,
        customer_mood=turn.customer_line.mood,
        transcript=turn.transcript.text,
        recogniser=turn.transcript.engine,
        confidence=turn.transcript.confidence,
        empathy=evaluation.empathy,
        composure=evaluation.composure,
        evidence=evaluation.evidence,
        tips=evaluation.tips,
        components=evaluation.components_json(),
        signals=tuple(sorted(evaluation.signals)),
        concerns_addressed=tuple(sorted(evaluation.concerns_addressed)),
        trust_before=turn.outcome.trust_before,
        trust_after=turn.outcome.trust_after,
        reaction=turn.outcome.reaction,
        audio_seconds=turn.transcript.audio_seconds,
        listen_seconds=turn.timings.listen_seconds,
        transcribe_seconds=turn.timings.transcribe_seconds,
        score_seconds=turn.timings.score_seconds,
        response_gap_ms=turn.timings.response_gap_ms,
        started_at=turn.started_at,
        ended_at=turn.ended_at,
        attempt=turn.attempt,
        transcript_heard=turn.transcript.original_text,
        words_per_minute=turn.voice.words_per_minute if turn.voice else None,
        voice=asdict(turn.voice) if turn.voice else None,
    )
