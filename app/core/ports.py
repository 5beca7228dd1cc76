"""The adapters the turn loop needs. app.audio implements them; tests may use doubles."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Protocol

import numpy as np
from numpy.typing import NDArray

from app.core.dialogue import CustomerLine
from app.core.transcript import Transcript

if TYPE_CHECKING:
    from app.core.reply import HeardReply

# 16 kHz mono float32 samples in [-1, 1]: the format every recogniser here takes.
SAMPLE_RATE = 16_000
Samples = NDArray[np.float32]


class Speaker(Protocol):
    """Says a customer's line aloud; returns when it has been said or was stopped.

    `stop()` interrupts it from any thread. `prepare()` synthesises lines the customer may say
    next, in the background, so that they start at once. `last_first_audio_time` is the
    `time.perf_counter()` moment the last line's first sound reached the speaker.
    """

    last_first_audio_time: float | None

    def say(self, text: str, voice: str, mood: str) -> None: ...

    def prepare(self, lines: Iterable[CustomerLine], voice: str) -> None: ...

    def stop(self) -> None: ...


class Listener(Protocol):
    """Records one reply and returns 16 kHz mono float32 samples (empty when stopped).

    `on_level` receives the input level 0..1 about twenty times a second, for a meter;
    `on_ready` is called once sound is arriving, the moment to tell the trainee to speak.
    Setting `cancel` abandons this request, even before it started; `stop()` abandons the
    recording under way; `finish()` ends a push-to-talk reply and keeps it.
    """

    def listen(
        self,
        on_level: Callable[[float], None] | None = None,
        on_ready: Callable[[], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> Samples: ...

    def finish(self) -> None: ...

    def stop(self) -> None: ...


class Transcriber(Protocol):
    """Turns 16 kHz mono float32 samples into words."""

    name: str

    def transcribe(self, samples: Samples) -> Transcript: ...


class Hearer(Protocol):
    """Hears one reply at a time, in two steps the turn loop can tell apart.

    `record` returns once the reply is over (a silence hands-free, `finish()` push-to-talk, or
    `cancel`/`stop()`), with a value only this hearer understands; `transcribe` turns that value
    into words. A streaming hearer has transcribed most of the reply while it was spoken, so
    its `transcribe` only waits for the tail. The composition root picks the hearer.
    """

    def record(
        self,
        on_level: Callable[[float], None] | None = None,
        on_ready: Callable[[], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> object: ...

    def transcribe(self, recording: object) -> HeardReply: ...

    def finish(self) -> None: ...

    def stop(self) -> None: ...
