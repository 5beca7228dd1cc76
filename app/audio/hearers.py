"""The ways a reply is heard (implementations of ports.Hearer).

`TurnTakingHearing` is the hands-free default: the reply ends when the trainee has finished,
judged by Smart Turn and the words, and is transcribed at its pauses (app.audio.turn_hearer).
`StreamingHearing` transcribes in pieces and ends on silence alone (app.audio.streaming).
`RecordThenTranscribe` records the whole reply, then transcribes
it: push-to-talk, test doubles and any listener that only gives whole recordings.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from app.audio.microphone import MicrophoneListener
from app.audio.reply import transcribe_reply
from app.audio.smart_turn import load_turn_model
from app.audio.streaming import FRAME_SAMPLES, SpeechDetector, StreamedReply, StreamingHearer
from app.audio.turn_hearer import HeardTurn, TurnTakingHearer
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


class TurnTakingHearing:
    """A microphone heard like a phone call: ended when the trainee has finished
    (app.audio.turn_hearer)."""

    def __init__(self, listener: MicrophoneListener, hearer: TurnTakingHearer) -> None:
        self.listener = listener
        self._hearer = hearer

    def use_vocabulary(self, vocabulary: str) -> None:
        """The call's words, as Whisper's prompt (app.audio.vocabulary)."""
        self._hearer.vocabulary = vocabulary

    def record(
        self,
        on_level: Callable[[float], None] | None = None,
        on_ready: Callable[[], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> HeardTurn:
        return self._hearer.record(self.listener, on_level, on_ready, cancel)

    def transcribe(self, recording: object) -> HeardReply:
        assert isinstance(recording, HeardTurn)
        return self._hearer.transcribe(recording)

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
    """Builds the product's hearer for a way of answering: turn-taking hands-free, whole
    recordings push-to-talk. Shared by the window and the terminal; `close()` at the end."""

    def __init__(self) -> None:
        self._turn_taking: TurnTakingHearer | None = None
        self._lock = threading.Lock()
        self.warning: str | None = None  # why replies end on their words alone, if they do

    def warm_up(self, transcriber: TranscriberSource) -> None:
        """Loads Silero and Smart Turn and runs each once, so that the first reply is as quick
        as the others; safe to call from a background thread at start-up."""
        self._hearer_for(transcriber)

    def hearer(
        self, push_to_talk: bool, device: str | None, transcriber: TranscriberSource
    ) -> Hearer:
        listener = MicrophoneListener(device, push_to_talk=push_to_talk)
        listener.calibrate()
        if push_to_talk:
            return RecordThenTranscribe(listener, transcriber)
        # Hands-free replies end when the trainee has finished, not after a fixed silence, and
        # are transcribed at the pauses (see docs/performance.md).
        return TurnTakingHearing(listener, self._hearer_for(transcriber))

    def _hearer_for(self, transcriber: TranscriberSource) -> TurnTakingHearer:
        with self._lock:
            if self._turn_taking is None:
                model, self.warning = load_turn_model()
                detector = SpeechDetector()
                detector.probability(np.zeros(FRAME_SAMPLES, dtype=np.float32))
                self._turn_taking = TurnTakingHearer(transcriber, model, detector=detector)
            return self._turn_taking

    def close(self) -> None:
        if self._turn_taking is not None:
            self._turn_taking.close()
