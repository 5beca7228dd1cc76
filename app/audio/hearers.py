"""The two ways a reply is heard (implementations of ports.Hearer).

`StreamingHearing` is the hands-free default: the reply is transcribed in pieces while it is
spoken (app.audio.streaming). `RecordThenTranscribe` records the whole reply, then transcribes
it: push-to-talk, test doubles and any listener that only gives whole recordings.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from app.audio.microphone import MicrophoneListener
from app.audio.reply import transcribe_reply
from app.audio.streaming import StreamedReply, StreamingHearer
from app.core.ports import Hearer, Listener, Samples, Transcriber
from app.core.reply import HeardReply
from app.core.transcript import Transcript

# The recogniser, or a function giving it once loaded (None when none could load).
TranscriberSource = Transcriber | Callable[[], Transcriber | None]


def _loaded(source: TranscriberSource) -> Transcriber:
    transcriber = source() if callable(source) else source
    if transcriber is None:
        raise RuntimeError("No speech recogniser could load: type your reply instead.")
    return transcriber


class StreamingHearing:
    """A microphone heard through the streaming hearer."""

    def __init__(self, listener: MicrophoneListener, streaming: StreamingHearer) -> None:
        self.listener = listener
        self._streaming = streaming

    def record(
        self,
        on_level: Callable[[float], None] | None = None,
        on_ready: Callable[[], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> StreamedReply:
        return self._streaming.record(self.listener, on_level, on_ready, cancel)

    def transcribe(self, recording: object) -> HeardReply:
        assert isinstance(recording, StreamedReply)
        return self._streaming.transcribe(recording)

    def finish(self) -> None:
        self.listener.finish()

    def stop(self) -> None:
        self.listener.stop()


@dataclass(frozen=True)
class _Recorded:
    samples: Samples
    listen_seconds: float


class RecordThenTranscribe:
    """Any `Listener`: the whole reply is recorded, then transcribed."""

    def __init__(self, listener: Listener, transcriber: TranscriberSource) -> None:
        self.listener = listener
        self._transcriber = transcriber

    def record(
        self,
        on_level: Callable[[float], None] | None = None,
        on_ready: Callable[[], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> _Recorded:
        started = time.perf_counter()
        samples = self.listener.listen(on_level, on_ready, cancel)
        return _Recorded(samples, time.perf_counter() - started)

    def transcribe(self, recording: object) -> HeardReply:
        assert isinstance(recording, _Recorded)
        if recording.samples.size == 0:  # stopped, or nobody spoke
            return HeardReply(Transcript("", "", 0.0), None, recording.listen_seconds, 0.0)
        # Recording needs no model, so the trainee can answer while Whisper is still loading.
        heard = transcribe_reply(recording.samples, _loaded(self._transcriber))
        return replace(heard, listen_seconds=recording.listen_seconds)

    def finish(self) -> None:
        self.listener.finish()

    def stop(self) -> None:
        self.listener.stop()


class MicrophoneHearers:
    """Builds the product's hearer for a way of answering: streaming hands-free, whole
    recordings push-to-talk. Shared by the window and the terminal; `close()` at the end."""

    def __init__(self) -> None:
        self._streaming: StreamingHearer | None = None  # made on first use: it loads Silero

    def hearer(
        self, push_to_talk: bool, device: str | None, transcriber: TranscriberSource
    ) -> Hearer:
        listener = MicrophoneListener(device, push_to_talk=push_to_talk)
        listener.calibrate()
        if push_to_talk:
            return RecordThenTranscribe(listener, transcriber)
        # Hands-free replies are transcribed in pieces while they are spoken, so that only
        # the tail is left when the trainee stops (see docs/performance.md).
        if self._streaming is None:
            self._streaming = StreamingHearer(transcriber)
        return StreamingHearing(listener, self._streaming)

    def close(self) -> None:
        if self._streaming is not None:
            self._streaming.close()
