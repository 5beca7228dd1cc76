"""A stand-in microphone that replays a recording: how the self-test, the bench and the tests
push recorded replies through the very listening code the microphone uses."""

from __future__ import annotations

import time
from types import TracebackType
from typing import Any

import numpy as np
import speech_recognition as sr

from app.audio.input_devices import CHUNKS_PER_SECOND
from app.core.ports import SAMPLE_RATE, Samples

SAMPLE_WIDTH = 2  # 16-bit samples


class _ReplayStream:
    def __init__(self, pcm: bytes, realtime: bool, trailing_silence_seconds: float) -> None:
        self._pcm = pcm
        self._position = 0
        self._realtime = realtime
        self._end = len(pcm) + int(trailing_silence_seconds * SAMPLE_RATE) * SAMPLE_WIDTH
        self.started_at: float | None = None

    def read(self, size: int) -> bytes:
        wanted = min(size * SAMPLE_WIDTH, self._end - self._position)
        if wanted <= 0:
            return b""
        if self.started_at is None:
            self.started_at = time.perf_counter()
        chunk = self._pcm[self._position : self._position + wanted]
        chunk += bytes(wanted - len(chunk))  # the silence a microphone hears after the reply
        self._position += wanted
        if self._realtime:
            # Like a microphone, a chunk is available only once all of it has been "spoken".
            due = self.started_at + self._position / SAMPLE_WIDTH / SAMPLE_RATE
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
        return chunk

    def close(self) -> None:
        self._position = self._end


class ReplayedSource(sr.AudioSource):  # type: ignore[misc]
    """An audio source that plays back recorded samples in chunks.

    Lets the self-test and the bench push recorded replies through the same listening code as
    the microphone. By default chunks come as fast as they are read; with `realtime=True` they
    come at the pace of speech, followed by `trailing_silence_seconds` of silence, as from a
    microphone in a quiet room. Each recording starts again from the beginning of the samples;
    `started_at` is the `time.perf_counter()` moment the latest one began.
    """

    def __init__(
        self, samples: Samples, *, realtime: bool = False, trailing_silence_seconds: float = 0.0
    ) -> None:
        audio = np.clip(np.asarray(samples, dtype=np.float32), -1.0, 1.0)
        self._pcm = (audio * 32767).astype(np.int16).tobytes()
        self._realtime = realtime
        self._trailing_silence_seconds = trailing_silence_seconds
        self.SAMPLE_RATE = SAMPLE_RATE
        self.SAMPLE_WIDTH = SAMPLE_WIDTH
        self.CHUNK = SAMPLE_RATE // CHUNKS_PER_SECOND
        self.stream: Any = None
        self._replay: _ReplayStream | None = None

    @property
    def started_at(self) -> float | None:
        return self._replay.started_at if self._replay is not None else None

    def __enter__(self) -> ReplayedSource:
        self._replay = _ReplayStream(self._pcm, self._realtime, self._trailing_silence_seconds)
        self.stream = self._replay
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stream = None
