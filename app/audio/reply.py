"""From the trainee's voice to a scored-ready reply: listen, transcribe, measure."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

from app.audio.voice_features import measure_voice
from app.core.ports import SAMPLE_RATE, Listener, Samples, Transcriber
from app.core.reply import HeardReply
from app.core.transcript import Transcript

__all__ = ["HeardReply", "hear_reply", "transcribe_reply"]


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


def hear_reply(
    listener: Listener,
    transcriber: Transcriber,
    on_level: Callable[[float], None] | None = None,
) -> HeardReply:
    """Record one reply and transcribe it."""
    started = time.perf_counter()
    samples = listener.listen(on_level)
    listen_seconds = time.perf_counter() - started
    return replace(transcribe_reply(samples, transcriber), listen_seconds=listen_seconds)
