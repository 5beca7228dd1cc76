"""Listening for the trainee while the customer speaks, to stop the customer when they do.

While a line plays, a thread reads the microphone and feeds `BargeInDetector`, which knows the
line's samples and when they started. When the trainee talks over the customer, the customer
is stopped from that thread at once (a round trip through the window's event loop would cost
more of the 200 ms a person allows) and `on_interrupt` is called, from which the turn loop
learns it was an interruption and starts listening.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterator
from typing import Protocol, runtime_checkable

from app.audio.barge_in import BargeInDetector
from app.audio.microphone import MicrophoneListener, NoMicrophoneError
from app.core.ports import Samples

logger = logging.getLogger(__name__)


@runtime_checkable
class PlayingSpeaker(Protocol):
    """A speaker that says which samples it starts playing, and when (CustomerVoice)."""

    on_playing: Callable[[Samples, int, float], None] | None

    def stop(self) -> None: ...


class BargeInWatch:
    """Watches one microphone; `watching()` around each line the customer says."""

    def __init__(self, device: str | None = None) -> None:
        self.device = device
        self._detector: BargeInDetector | None = None  # made on first use: it loads Silero

    @contextlib.contextmanager
    def watching(self, speaker: PlayingSpeaker, on_interrupt: Callable[[], None]) -> Iterator[None]:
        if self._detector is None:
            self._detector = BargeInDetector()
        detector = self._detector
        playing = threading.Event()
        done = threading.Event()

        def started(samples: Samples, sample_rate: int, at: float) -> None:
            detector.playing(samples, sample_rate, at)
            playing.set()

        def listen() -> None:
            try:
                listener = MicrophoneListener(self.device, max_reply_seconds=120)
                chunks = listener.chunks(cancel=done)
                try:
                    for chunk in chunks:
                        if done.is_set():
                            return
                        if playing.is_set() and detector.hear(chunk, time.perf_counter()):
                            speaker.stop()
                            on_interrupt()
                            return
                finally:
                    chunks.close()
            except NoMicrophoneError as error:  # the reply's own hearing reports it
                logger.info("no barge-in while the customer speaks: %s", error)

        speaker.on_playing = started
        thread = threading.Thread(target=listen, name="barge-in", daemon=True)
        thread.start()
        try:
            yield
        finally:
            done.set()
            speaker.on_playing = None
            thread.join(timeout=2)
