"""The window's voice thread: saying lines, recording and transcribing replies, and loading the
recogniser, all off the GUI thread (an implementation of app.calls.voice_jobs.VoiceJobs).

One long-lived thread runs the jobs in turn, as the call alternates between them; each result
comes back to the GUI thread as a signal typed by its event. Interrupting is done from the GUI
thread through the engines' own thread-safe `stop()`. Nothing starts before `start()`, and
`stop()` ends the thread before the window closes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, QThread, Signal, Slot

from app.audio.barge_in_watch import BargeInWatch, PlayingSpeaker
from app.calls.voice_jobs import record_reply, speak_line, transcribe_recording
from app.core.call_events import (
    Event,
    HearingFailed,
    Interruption,
    LineSpoken,
    Listen,
    ReplyHeard,
    ReplyRecorded,
    Speak,
    SpeechFailed,
    SpeechStarted,
    Transcribe,
)
from app.core.ports import Hearer, Speaker, Transcriber
from app.errors import one_line
from app.gui.backends import TranscriberLoader


@dataclass(frozen=True)
class TranscriberLoaded:
    """The recogniser once loaded (None when none could), and a warning for the user."""

    transcriber: Transcriber | None
    message: str | None


class _VoiceWorker(QObject):
    """Lives on the voice thread; runs one job per request."""

    line_spoken = Signal(LineSpoken)
    speech_failed = Signal(SpeechFailed)
    speech_started = Signal(SpeechStarted)
    reply_recorded = Signal(ReplyRecorded)
    reply_heard = Signal(ReplyHeard)
    hearing_failed = Signal(HearingFailed)
    interrupted = Signal(Interruption)
    level = Signal(float)

    # While set (hands-free calls), the trainee talking over the customer stops the line and
    # becomes an Interruption (app.audio.barge_in_watch).
    barge_in: BargeInWatch | None = None

    @Slot(object, Speak)
    def speak(self, speaker: Speaker, command: Speak) -> None:
        watch = self.barge_in
        if watch is None or command.closing or not isinstance(speaker, PlayingSpeaker):
            self._emit(speak_line(speaker, command))
            return
        with watch.watching(speaker, lambda: self._emit(Interruption(command.turn_id))):
            spoken = speak_line(speaker, command)
        self._emit(spoken)

    @Slot(object, Listen, object)
    def record(self, hearer: Hearer, command: Listen, cancel: threading.Event) -> None:
        self._emit(record_reply(hearer, command, cancel, self.level.emit, self._emit))

    @Slot(object, Transcribe)
    def transcribe(self, hearer: Hearer, command: Transcribe) -> None:
        self._emit(transcribe_recording(hearer, command))

    def _emit(self, event: Event) -> None:
        signal = {
            LineSpoken: self.line_spoken,
            SpeechFailed: self.speech_failed,
            SpeechStarted: self.speech_started,
            ReplyRecorded: self.reply_recorded,
            ReplyHeard: self.reply_heard,
            HearingFailed: self.hearing_failed,
            Interruption: self.interrupted,
        }[type(event)]
        signal.emit(event)


class VoiceService(QObject):
    """Owns the voice thread and the model loader; results reach `post` on the GUI thread."""

    speak_requested = Signal(object, Speak)
    record_requested = Signal(object, Listen, object)
    transcribe_requested = Signal(object, Transcribe)
    transcriber_loaded = Signal(TranscriberLoaded)

    def __init__(self, load_transcriber: TranscriberLoader) -> None:
        super().__init__()
        self._load = load_transcriber
        self._transcriber: Transcriber | None = None
        self._transcriber_ready = threading.Event()
        self._post: Callable[[Event], None] = lambda _event: None
        self._thread = QThread()
        self._thread.setObjectName("voice")
        self.worker = _VoiceWorker()
        self.worker.moveToThread(self._thread)
        self.speak_requested.connect(self.worker.speak)
        self.record_requested.connect(self.worker.record)
        self.transcribe_requested.connect(self.worker.transcribe)
        for signal in (
            self.worker.line_spoken,
            self.worker.speech_failed,
            self.worker.speech_started,
            self.worker.reply_recorded,
            self.worker.reply_heard,
            self.worker.hearing_failed,
            self.worker.interrupted,
        ):
            signal.connect(self._deliver)
        self.transcriber_loaded.connect(self._on_loaded)

    def start(self, post: Callable[[Event], None]) -> None:
        """Starts the thread and, in the background, the recogniser's loading."""
        self._post = post
        self._thread.start()
        threading.Thread(target=self._load_transcriber, name="model-loader", daemon=True).start()

    def stop(self) -> None:
        """Unblocks a job waiting for the model, then ends the thread (waits up to 5 s)."""
        if not self._transcriber_ready.is_set():
            self._transcriber_ready.set()
        self._thread.quit()
        self._thread.wait(5000)

    def thread_running(self) -> bool:
        return self._thread.isRunning()

    def wait_for_transcriber(self) -> Transcriber | None:
        """The loaded recogniser (None if none could load); waits while it is loading."""
        self._transcriber_ready.wait()
        return self._transcriber

    # VoiceJobs ---------------------------------------------------------------------------

    def speak(self, speaker: Speaker, command: Speak) -> None:
        self.speak_requested.emit(speaker, command)

    def record(self, hearer: Hearer, command: Listen, cancel: threading.Event) -> None:
        self.record_requested.emit(hearer, command, cancel)

    def transcribe(self, hearer: Hearer, command: Transcribe) -> None:
        self.transcribe_requested.emit(hearer, command)

    def _deliver(self, event: Event) -> None:
        self._post(event)

    def _load_transcriber(self) -> None:
        try:
            transcriber, warning = self._load()
        except Exception as error:  # any engine failure: replies are typed instead
            self.transcriber_loaded.emit(
                TranscriberLoaded(None, f"No speech recogniser: {one_line(error)}")
            )
            return
        self.transcriber_loaded.emit(TranscriberLoaded(transcriber, warning))

    def _on_loaded(self, loaded: TranscriberLoaded) -> None:
        self._transcriber = loaded.transcriber
        self._transcriber_ready.set()
