"""Long-running audio work off the GUI thread: saying the customer's lines and hearing replies.

One long-lived thread does both, in turn, as the call alternates between them. Every request
carries a turn id; the controller drops results whose id is stale. Interrupting is done from the
GUI thread by the adapters' own thread-safe `stop()`.
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace

from PySide6.QtCore import QObject, Signal, Slot

from app.audio.microphone import MicrophoneListener
from app.audio.reply import HeardReply, transcribe_reply
from app.audio.streaming import StreamingHearer
from app.core.ports import Listener, Speaker, Transcriber
from app.errors import one_line


class VoiceWorker(QObject):
    line_spoken = Signal(int, float)  # turn id, perf_counter() moment its first sound played
    speech_failed = Signal(int, str)
    reply_heard = Signal(int, object)  # turn id, HeardReply
    hearing_failed = Signal(int, str)
    listening_started = Signal(int)  # sound is arriving: the trainee can speak
    recording_finished = Signal(int)  # the microphone is closed; transcription starts
    level = Signal(float)

    def __init__(self, speaker: Speaker) -> None:
        super().__init__()
        self._speaker = speaker
        self._transcriber: Transcriber | None = None
        self._transcriber_ready = threading.Event()
        # Transcribes a hands-free reply in pieces while it is spoken, so that only the tail
        # is left when the trainee stops (see docs/performance.md).
        self._streaming = StreamingHearer(self.wait_for_transcriber)

    def set_transcriber(self, transcriber: Transcriber | None) -> None:
        """Called from the GUI thread once loading ended; None when no recogniser could load."""
        self._transcriber = transcriber
        self._transcriber_ready.set()

    def wait_for_transcriber(self) -> Transcriber | None:
        """The loaded recogniser (None if none could load); waits while it is loading."""
        self._transcriber_ready.wait()
        return self._transcriber

    def release(self) -> None:
        """Unblocks a transcription still waiting for the model, so the thread can end."""
        if not self._transcriber_ready.is_set():
            self.set_transcriber(None)
        self._streaming.close()

    @Slot(int, str, str, str)
    def speak(self, turn_id: int, text: str, voice: str, mood: str) -> None:
        try:
            self._speaker.say(text, voice, mood)
        except Exception as error:
            self.speech_failed.emit(turn_id, one_line(error))
            return
        self.line_spoken.emit(turn_id, self._speaker.last_first_audio_time or 0.0)

    @Slot(int, object, object)
    def hear(self, turn_id: int, listener: Listener, cancel: threading.Event) -> None:
        try:
            heard = self._hear(turn_id, listener, cancel)
        except Exception as error:
            self.hearing_failed.emit(turn_id, one_line(error))
            return
        self.reply_heard.emit(turn_id, heard)

    def _hear(self, turn_id: int, listener: Listener, cancel: threading.Event) -> HeardReply:
        started = time.perf_counter()
        ready = lambda: self.listening_started.emit(turn_id)  # noqa: E731
        if isinstance(listener, MicrophoneListener) and not listener.push_to_talk:
            heard = self._streaming.hear(listener, self.level.emit, ready, cancel)
            self.recording_finished.emit(turn_id)
            return heard
        samples = listener.listen(self.level.emit, ready, cancel)
        listen_seconds = time.perf_counter() - started
        self.recording_finished.emit(turn_id)
        # Recording needs no model, so the trainee can answer while Whisper is still loading.
        transcriber = self.wait_for_transcriber()
        if transcriber is None:
            raise RuntimeError("No speech recogniser could load: type your reply instead.")
        heard = transcribe_reply(samples, transcriber)
        return replace(heard, listen_seconds=listen_seconds)
