"""Recording the trainee's spoken reply from a microphone (SpeechRecognition on PyAudio).

Hands-free mode ends the reply when the trainee pauses; push-to-talk records until `finish()`.
Every chunk read passes through a meter (for the level display) and a stop check, so `stop()`
from another thread abandons a recording within one chunk (50 ms).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Generator
from typing import Any

import numpy as np
import speech_recognition as sr

from app.audio.input_devices import (
    NO_MICROPHONE,
    NoMicrophoneError,
    list_microphones,
    opened_microphone,
    resolve_device,
)
from app.audio.replayed_source import SAMPLE_WIDTH, ReplayedSource
from app.core.ports import SAMPLE_RATE, Samples

# Kept importable from here: the listener's callers name the devices and the replay double too.
__all__ = [
    "NO_MICROPHONE",
    "MicrophoneListener",
    "NoMicrophoneError",
    "ReplayedSource",
    "level_of",
    "list_microphones",
]
# Streaming reads match the voice-activity detector's frame: 512 samples (32 ms) at 16 kHz.
STREAM_CHUNK_SAMPLES = 512
# The level meter shows -60 dBFS (a quiet room) to 0 dBFS (full scale).
METER_FLOOR_DBFS = -60.0
# Below this the energy threshold would count hiss from a perfectly quiet input as speech.
MIN_ENERGY_THRESHOLD = 50.0


class _Stopped(Exception):
    """Raised inside a chunk read to abandon the recording."""


def level_of(buffer: bytes) -> float:
    """Loudness of a chunk of 16-bit audio for a meter: 0 (silence) to 1 (full scale)."""
    chunk = np.frombuffer(buffer, dtype=np.int16).astype(np.float64)
    if chunk.size == 0:
        return 0.0
    rms = float(np.sqrt(np.mean(chunk**2))) / 32768.0
    if rms <= 0.0:
        return 0.0
    dbfs = 20.0 * np.log10(rms)
    return float(np.clip(1.0 - dbfs / METER_FLOOR_DBFS, 0.0, 1.0))


class _MeteredStream:
    """Wraps a source's stream: meters each chunk, raises on stop, ends input on finish."""

    def __init__(
        self,
        inner: Any,
        stopped: threading.Event,
        finished: threading.Event,
        on_level: Callable[[float], None] | None,
        on_first_chunk: Callable[[], None] | None = None,
    ) -> None:
        self._inner = inner
        self._stopped = stopped
        self._finished = finished
        self._on_level = on_level
        self._on_first_chunk = on_first_chunk

    def read(self, size: int) -> bytes:
        if self._stopped.is_set():
            raise _Stopped
        if self._finished.is_set():
            return b""  # the recogniser treats this as the end of the input
        try:
            buffer: bytes = self._inner.read(size)
        except OSError as error:  # unplugged or taken by another program mid-reply
            raise NoMicrophoneError(
                "The microphone stopped delivering sound: check it or type your reply"
            ) from error
        if self._stopped.is_set():
            raise _Stopped
        if self._on_first_chunk is not None and buffer:
            self._on_first_chunk()
            self._on_first_chunk = None
        if self._on_level is not None and buffer:
            self._on_level(level_of(buffer))
        return buffer

    def close(self) -> None:
        self._inner.close()


def _to_samples(audio: sr.AudioData) -> Samples:
    pcm = audio.get_raw_data(convert_rate=SAMPLE_RATE, convert_width=SAMPLE_WIDTH)
    return np.frombuffer(pcm, dtype=np.int16).astype(np.float32) / 32768.0


def _resampled(chunk: Samples, rate: int) -> Samples:
    # Linear interpolation: enough for speech from a device that refuses 16 kHz.
    count = max(1, round(chunk.size * SAMPLE_RATE / rate))
    positions = np.linspace(0, chunk.size - 1, count)
    return np.interp(positions, np.arange(chunk.size), chunk).astype(np.float32)


def _no_samples() -> Samples:
    return np.zeros(0, dtype=np.float32)


class MicrophoneListener:
    """Records one reply at a time from a microphone (or a `ReplayedSource`).

    `device` is a device name or PyAudio index from `list_microphones()`; by default the
    PulseAudio device when there is one, else the system default input.
    `ready` is set (and `on_ready` called) once the input delivers its first audio, until the
    recording ends: the moment to tell the trainee to speak.
    """

    def __init__(
        self,
        device: str | int | ReplayedSource | None = None,
        *,
        push_to_talk: bool = False,
        wait_seconds: float = 15.0,
        max_reply_seconds: float = 60.0,
        pause_seconds: float = 0.6,
        on_ready: Callable[[], None] | None = None,
    ) -> None:
        if isinstance(device, ReplayedSource):
            self._replayed: ReplayedSource | None = device
            self._device_index: int | None = None
        else:
            self._replayed = None
            self._device_index = resolve_device(device)
        self.push_to_talk = push_to_talk
        self.wait_seconds = wait_seconds
        self.max_reply_seconds = max_reply_seconds
        self._on_ready = on_ready
        self._on_ready_now: Callable[[], None] | None = None
        self.ready = threading.Event()
        self._stopped = threading.Event()
        self._finished = threading.Event()
        self._recognizer = sr.Recognizer()
        self._recognizer.pause_threshold = pause_seconds
        self._recognizer.non_speaking_duration = min(0.5, pause_seconds)
        # A threshold that keeps adapting during the reply rises to the voice's own level and
        # cuts replies short; it is set once by calibrate() instead.
        self._recognizer.dynamic_energy_threshold = False

    @classmethod
    def from_samples(cls, samples: Samples, **options: Any) -> MicrophoneListener:
        """A listener that hears the given recording instead of a microphone."""
        return cls(ReplayedSource(samples), **options)

    @property
    def energy_threshold(self) -> float:
        """The input energy (16-bit RMS) above which sound counts as speech."""
        return float(self._recognizer.energy_threshold)

    def calibrate(self, seconds: float = 0.5) -> None:
        """Measures the room's background noise so that only speech starts a reply."""
        self._stopped = threading.Event()
        with contextlib.suppress(_Stopped), self._open() as source:
            source.stream = _MeteredStream(source.stream, self._stopped, self._finished, None)
            self._recognizer.adjust_for_ambient_noise(source, duration=seconds)
        self._recognizer.energy_threshold = max(
            self._recognizer.energy_threshold, MIN_ENERGY_THRESHOLD
        )

    def listen(
        self,
        on_level: Callable[[float], None] | None = None,
        on_ready: Callable[[], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> Samples:
        """One reply as 16 kHz mono float32 samples; empty when stopped or nothing was said.

        `cancel` belongs to this one request: set before recording starts, it makes `listen`
        return at once, so a stop is never lost to a request that was still queued.
        """
        self._stopped = cancel if cancel is not None else threading.Event()
        if self._stopped.is_set():
            return _no_samples()
        self._finished.clear()
        self._on_ready_now = on_ready
        try:
            with self._open() as source:
                source.stream = _MeteredStream(
                    source.stream, self._stopped, self._finished, on_level, self._announce_ready
                )
                if self.push_to_talk:
                    return self._record_until_finished(source)
                return self._record_phrase(source)
        except _Stopped:
            return _no_samples()
        finally:
            self.ready.clear()

    def chunks(
        self,
        on_level: Callable[[float], None] | None = None,
        on_ready: Callable[[], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> Generator[Samples, None, None]:
        """The input as it arrives: 16 kHz mono float32 chunks of about 32 ms each.

        For callers that decide for themselves when a reply ends (streaming transcription).
        It ends when `cancel` is set or `stop()` is called, on `finish()`, at the end of a
        replayed recording, or after `max_reply_seconds`. The input is open while it runs;
        close the generator to close the input.
        """
        self._stopped = cancel if cancel is not None else threading.Event()
        if self._stopped.is_set():
            return
        self._finished.clear()
        self._on_ready_now = on_ready
        try:
            with self._open() as source:
                source.stream = _MeteredStream(
                    source.stream, self._stopped, self._finished, on_level, self._announce_ready
                )
                rate = int(source.SAMPLE_RATE)
                frames = max(1, STREAM_CHUNK_SAMPLES * rate // SAMPLE_RATE)
                remaining = int(self.max_reply_seconds * rate)
                while remaining > 0:
                    buffer = source.stream.read(frames)
                    if not buffer:
                        return
                    chunk = np.frombuffer(buffer, dtype=np.int16).astype(np.float32) / 32768.0
                    remaining -= chunk.size
                    yield chunk if rate == SAMPLE_RATE else _resampled(chunk, rate)
        except _Stopped:
            return
        finally:
            self.ready.clear()

    def finish(self) -> None:
        """Ends the reply being recorded and keeps it (push-to-talk released)."""
        self._finished.set()

    def stop(self) -> None:
        """Abandons the reply being recorded; `listen` returns no samples.

        Does nothing when no recording is under way: the next `listen` records normally
        (to cancel a request that may not have started yet, pass it a `cancel` event).
        """
        self._stopped.set()

    def _announce_ready(self) -> None:
        # Only once sound arrives: an input can take a second to deliver its first chunk, and
        # a trainee told to speak before then would lose their first words.
        self.ready.set()
        for callback in (self._on_ready, self._on_ready_now):
            if callback is not None:
                callback()

    def _open(self) -> contextlib.AbstractContextManager[Any]:
        if self._replayed is not None:
            return self._replayed
        return opened_microphone(self._device_index)

    def _record_phrase(self, source: Any) -> Samples:
        try:
            audio = self._recognizer.listen(
                source, timeout=self.wait_seconds, phrase_time_limit=self.max_reply_seconds
            )
        except sr.WaitTimeoutError:
            return _no_samples()
        return _to_samples(audio)

    def _record_until_finished(self, source: Any) -> Samples:
        chunks: list[bytes] = []
        max_chunks = int(self.max_reply_seconds * source.SAMPLE_RATE / source.CHUNK)
        while len(chunks) < max_chunks:
            buffer = source.stream.read(source.CHUNK)
            if not buffer:
                break
            chunks.append(buffer)
        return _to_samples(sr.AudioData(b"".join(chunks), source.SAMPLE_RATE, SAMPLE_WIDTH))
