"""Between a practice call and its rows: a finished turn as the row the repository stores, and
the stored voice figures back as the trainee's baseline."""

from __future__ import annotations

from dataclasses import asdict

from app.core.session import CompletedTurn
from app.core.voice import VoiceFeatures, baseline_from, voice_from_figures
from app.storage.repository import SessionStore, TurnRecord

# Spoken replies needed before the trainee's own baseline replaces the reference ranges.
BASELINE_REPLIES = 5


def voice_baseline(store: SessionStore, trainee: str) -> VoiceFeatures | None:
    """The trainee's usual voice from their recent spoken replies; None until there are enough."""
    voices = [v for v in map(voice_from_figures, store.recent_voices(trainee)) if v is not None]
    return baseline_from(voices) if len(voices) >= BASELINE_REPLIES else None


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
