"""A reply as the turn loop receives it: its words, voice figures and how long each step took.

Spoken replies come from a `Hearer` (app.audio); typed ones from the keyboard. Both reach the
`SessionMachine` as the same value.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.core.ports import Samples
from app.core.session import TurnTimings
from app.core.transcript import Transcript
from app.core.voice import VoiceFeatures


@dataclass(frozen=True)
class HeardReply:
    """A reply: its words, its voice figures and how long each step took."""

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
