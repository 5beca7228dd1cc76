"""Test doubles for the engines, for the window's tests. Never used by the product."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterable

import numpy as np

from app.core.dialogue import CustomerLine
from app.core.ports import SAMPLE_RATE, Samples
from app.core.reply import HeardReply
from app.core.transcript import Transcript, Word
from app.gui.backends import Backends

# Queued as a reply: the microphone heard nothing at all, as when it is muted.
SILENCE = "<silence>"


class RecordingSpeaker:
    """Says nothing; remembers every line it was asked to say."""

    def __init__(self) -> None:
        self.lines: list[tuple[str, str, str]] = []
        self.prepared: list[str] = []
        self.stops = 0
        self.last_first_audio_time: float | None = None

    def say(self, text: str, voice: str, mood: str) -> None:
        self.last_first_audio_time = time.perf_counter()
        self.lines.append((text, voice, mood))

    def prepare(self, lines: Iterable[CustomerLine], voice: str) -> None:
        self.prepared.extend(line.text for line in lines)

    def stop(self) -> None:
        self.stops += 1


class QueuedListener:
    """Hands back the replies a test queues, one per listen(), like a trainee answering.

    A reply is a text: the matching transcriber double turns the "audio" back into it.
    """

    def __init__(self, transcriber: TextTranscriber, fail_with: Exception | None = None) -> None:
        self._replies: queue.Queue[str] = queue.Queue()
        self.stops = 0
        self._transcriber = transcriber
        self.fail_with = fail_with
        self.finished = threading.Event()
        self.listening = threading.Event()

    def say(self, text: str) -> None:
        self._replies.put(text)

    def listen(
        self,
        on_level: Callable[[float], None] | None = None,
        on_ready: Callable[[], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> Samples:
        if cancel is not None and cancel.is_set():
            return np.zeros(0, dtype=np.float32)
        self.listening.set()
        if self.fail_with is not None:
            raise self.fail_with
        if on_ready is not None:
            on_ready()
        reply = self._next_reply(cancel)
        self.listening.clear()
        if reply is None or reply == SILENCE:
            return np.zeros(0, dtype=np.float32)
        if on_level is not None:
            on_level(0.5)
        self._transcriber.expect(reply)
        return np.full(SAMPLE_RATE, 0.1, dtype=np.float32)

    def _next_reply(self, cancel: threading.Event | None) -> str | None:
        """The queued reply, or None once the request is cancelled (polled, as a device is)."""
        while True:
            if cancel is not None and cancel.is_set():
                return None
            try:
                return self._replies.get(timeout=0.02)
            except queue.Empty:
                continue

    def finish(self) -> None:
        self.finished.set()

    def stop(self) -> None:
        self.stops += 1


class TextTranscriber:
    """Returns the words the listener double was given, with plausible timings."""

    name = "whisper"

    def __init__(self) -> None:
        self._expected: queue.Queue[str] = queue.Queue()

    def expect(self, text: str) -> None:
        self._expected.put(text)

    def transcribe(self, samples: Samples) -> Transcript:
        return heard_as(self._expected.get(timeout=5), samples.size / SAMPLE_RATE)


def heard_as(said: str, audio_seconds: float) -> Transcript:
    """What the recogniser double hears; a word written "~like~this" is one it was unsure of."""
    words = tuple(
        Word(word.strip("~"), 0.4 * index, 0.4 * index + 0.3, 0.2 if "~" in word else 0.9)
        for index, word in enumerate(said.split())
    )
    text = " ".join(word.text for word in words)
    return Transcript(text, "whisper", 0.9, words, audio_seconds, 0.01)


class ScriptedHearer:
    """A trainee who says the scripted replies in turn (a ports.Hearer); once the script is
    over, the microphone goes away, as when it is unplugged."""

    def __init__(self, replies: list[str]) -> None:
        self.replies = list(replies)

    def record(
        self,
        on_level: Callable[[float], None] | None = None,
        on_ready: Callable[[], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> object:
        if cancel is not None and cancel.is_set():
            return ""
        if on_ready is not None:
            on_ready()
        if not self.replies:
            raise OSError("The microphone went away.")
        if on_level is not None:
            on_level(0.5)
        return self.replies.pop(0)

    def transcribe(self, recording: object) -> HeardReply:
        transcript = heard_as(str(recording), 2.0)
        return HeardReply(transcript, None, 2.0, 0.01)

    def finish(self) -> None:
        return None

    def stop(self) -> None:
        return None


def fake_backends(
    microphone: bool = True,
    fail_with: Exception | None = None,
    recogniser_warning: str | None = None,
) -> tuple[Backends, RecordingSpeaker, QueuedListener]:
    speaker = RecordingSpeaker()
    transcriber = TextTranscriber()
    listener = QueuedListener(transcriber, fail_with)

    def make_listener(mode: str, device: str | None) -> QueuedListener:
        if not microphone:
            raise OSError("No microphone found: connect one or type your reply.")
        return listener

    backends = Backends(
        speaker=speaker,
        make_listener=make_listener,
        load_transcriber=lambda: (transcriber, recogniser_warning),
    )
    return backends, speaker, listener
