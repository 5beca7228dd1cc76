"""The slow work of a call: saying a line, recording a reply, transcribing it.

Each job is a plain function that returns the event to post. Where it runs is the executor's
choice: the window runs them on its voice thread (app.gui.voice_service), the terminal,
selftest and the bench run them inline (`InlineVoice`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Protocol

from app.core.call_events import (
    Event,
    HearingFailed,
    LineSpoken,
    Listen,
    ReplyHeard,
    ReplyRecorded,
    Speak,
    SpeechFailed,
    SpeechStarted,
    Transcribe,
)
from app.core.ports import Hearer, Speaker
from app.errors import one_line


def speak_line(speaker: Speaker, command: Speak) -> LineSpoken | SpeechFailed:
    try:
        speaker.say(command.line.text, command.voice, command.line.mood)
    except Exception as error:  # any engine failure: the caption stands in for the voice
        return SpeechFailed(command.turn_id, one_line(error))
    return LineSpoken(command.turn_id, speaker.last_first_audio_time)


def record_reply(
    hearer: Hearer,
    command: Listen,
    cancel: threading.Event,
    on_level: Callable[[float], None],
    on_ready: Callable[[SpeechStarted], None],
) -> ReplyRecorded | HearingFailed:
    peak = 0.0

    def level(value: float) -> None:
        nonlocal peak
        peak = max(peak, value)
        on_level(value)

    try:
        recording = hearer.record(level, lambda: on_ready(SpeechStarted(command.turn_id)), cancel)
    except Exception as error:  # the microphone went away: the trainee types instead
        return HearingFailed(command.turn_id, one_line(error))
    return ReplyRecorded(command.turn_id, recording, peak)


def transcribe_recording(hearer: Hearer, command: Transcribe) -> ReplyHeard | HearingFailed:
    try:
        return ReplyHeard(command.turn_id, hearer.transcribe(command.recording))
    except Exception as error:
        return HearingFailed(command.turn_id, one_line(error))


class VoiceJobs(Protocol):
    """Runs the jobs somewhere and posts their events back to the executor's thread."""

    def speak(self, speaker: Speaker, command: Speak) -> None: ...

    def record(self, hearer: Hearer, command: Listen, cancel: threading.Event) -> None: ...

    def transcribe(self, hearer: Hearer, command: Transcribe) -> None: ...


class InlineVoice:
    """Runs each job at once on the calling thread (the terminal, selftest, the bench)."""

    def __init__(
        self, post: Callable[[Event], None], on_level: Callable[[float], None] | None = None
    ) -> None:
        self._post = post
        self._on_level = on_level or (lambda _level: None)

    def speak(self, speaker: Speaker, command: Speak) -> None:
        self._post(speak_line(speaker, command))

    def record(self, hearer: Hearer, command: Listen, cancel: threading.Event) -> None:
        self._post(record_reply(hearer, command, cancel, self._on_level, self._post))

    def transcribe(self, hearer: Hearer, command: Transcribe) -> None:
        self._post(transcribe_recording(hearer, command))
