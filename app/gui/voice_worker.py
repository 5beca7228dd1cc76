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

from app.audio.reply import HeardReply, transcribe_reply
from app.core.ports import Listener, Speaker, Transcriber
from app.errors import one_line


class VoiceWorker(QObject):
    line_spoken = Signal(int, float)  # turn id, seconds from request to the end of speech
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

    @Slot(int, str, str, str)
    def speak(self, turn_id: int, text: str, voice: str, mood: str) -> None:
        started = time.perf_counter()
        try:
            self._speaker.say(text, voice, mood)
        except Exception as error:
            self.speech_failed.emit(turn_id, one_line(error))
            return
        self.line_spoken.emit(turn_id, time.perf_counter() - started)

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
        samples = listener.listen(
            self.level.emit, lambda: self.listening_started.emit(turn_id), cancel
        )
        listen_seconds = time.perf_counter() - started
        self.recording_finished.emit(turn_id)
        # Recording needs no model, so the trainee can answer while Whisper is still loading.
        self._transcriber_ready.wait()
        if self._transcriber is None:
            raise RuntimeError("No speech recogniser could load: type your reply instead.")
        heard = transcribe_reply(samples, self._transcriber)
        return replace(heard, listen_seconds=listen_seconds)
