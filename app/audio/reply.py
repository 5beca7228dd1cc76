"""From a recorded reply to one ready to score: its words and its voice figures."""

from __future__ import annotations

import time

from app.audio.voice_features import measure_voice
from app.core.ports import SAMPLE_RATE, Samples, Transcriber
from app.core.reply import HeardReply
from app.core.transcript import Transcript

__all__ = ["HeardReply", "transcribe_reply"]


def transcribe_reply(samples: Samples, transcriber: Transcriber) -> HeardReply:
    """Words and voice figures of recorded samples; an empty recording gives an empty reply."""
    if samples.size < SAMPLE_RATE // 10:
        return HeardReply(Transcript("", transcriber.name, 0.0), None, 0.0, 0.0)
    started = time.perf_counter()
    transcript = transcriber.transcribe(samples)
    transcribe_seconds = time.perf_counter() - started
    voice = measure_voice(samples, transcript.words) if transcript.words else None
    return HeardReply(
        transcript, voice, samples.size / SAMPLE_RATE, transcribe_seconds, samples=samples
    )
