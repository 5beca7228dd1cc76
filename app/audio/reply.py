"""From the trainee's voice to a scored-ready reply: listen, transcribe, measure."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from app.audio.voice_features import measure_voice
from app.core.ports import SAMPLE_RATE, Listener, Samples, Transcriber
from app.core.session import TurnTimings
from app.core.transcript import Transcript
from app.core.voice import VoiceFeatures


@dataclass(frozen=True)
class HeardReply:
    """A spoken reply: its words, its voice figures and how long each step took."""

    transcript: Transcript
    voice: VoiceFeatures | None
    listen_seconds: float
    transcribe_seconds: float
    # Streaming hearing only (app.audio.streaming): the `time.perf_counter()` moment the last
    # voiced audio arrived, the silence waited before deciding the reply was over, and the
    # transcription still left to do at that moment, in seconds; `pieces` transcribed.
    speech_ended_at: float | None = None
    end_of_speech_wait_seconds: float = 0.0
    transcribe_after_end_seconds: float = 0.0
    pieces: int = 1
    # Turn-taking hearing only (app.audio.turn_hearer): Smart Turn's judgement of the last
    # pause (None when it was not asked) and how the reply ended ("finished", "timed out").
    finished_probability: float | None = None
    verdict: str = ""
    # The reply's audio (16 kHz mono), kept only for recording when the trainee agreed to it.
    samples: Samples | None = field(default=None, repr=False, compare=False)

    @classmethod
    def typed(cls, text: str) -> HeardReply:
        return cls(Transcript.typed(text), None, 0.0, 0.0)

    @property
    def timings(self) -> TurnTimings:
        return TurnTimings(self.listen_seconds, self.transcribe_seconds)

    @property
    def is_empty(self) -> bool:
        return not self.transcript.text.strip()


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
