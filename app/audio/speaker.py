"""The customer's voice: a line is synthesised in the speech process, then played aloud."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from app.audio.playback import Playback
from app.audio.speech_process import SpeechCancelled, SpeechProcess
from app.core.dialogue import CustomerLine
from app.core.ports import Samples
from app.core.voice_preset import VoicePreset, VoicePresetError, load_voice_preset
from app.paths import VOICES_DIR

logger = logging.getLogger(__name__)


class CustomerVoice:
    """Says the customer's lines with a persona's voice preset (implements ports.Speaker).

    `last_first_audio_time` is the `time.perf_counter()` moment the last line's first sample
    was played (None until one was), the start of the trainee's response time.
    """

    def __init__(
        self, speech: SpeechProcess, playback: Playback, voices_dir: Path = VOICES_DIR
    ) -> None:
        self.speech = speech
        self.playback = playback
        self.voices_dir = voices_dir
        self.last_first_audio_time: float | None = None
        # Called with that moment as soon as it is known, from the thread saying the line.
        self.on_first_audio: Callable[[float], None] | None = None
        # Called with the line's samples, their rate and that moment, for barge-in detection.
        self.on_playing: Callable[[Samples, int, float], None] | None = None
        self._playing: tuple[Samples, int] | None = None
        self._presets: dict[str, VoicePreset] = {}
        self._lock = threading.Lock()
        self._current_stop: threading.Event | None = None

    def say(self, text: str, voice: str, mood: str) -> None:
        """Say `text` with the preset named `voice` in `mood`; returns when said or stopped.

        Raises VoicePresetError for an unknown voice or mood, SpeechError when the customer
        cannot be heard.
        """
        preset = self._preset(voice)
        stop = threading.Event()
        with self._lock:
            self._current_stop = stop
            self.last_first_audio_time = None
        try:
            try:
                samples, sample_rate = self.speech.synthesise(text, preset, mood, cancel=stop)
            except SpeechCancelled:
                return
            self._playing = (samples, sample_rate)
            self.playback.play(samples, sample_rate, self._heard, cancel=stop)
        finally:
            with self._lock:
                if self._current_stop is stop:
                    self._current_stop = None

    def prepare(self, lines: Iterable[CustomerLine], voice: str) -> None:
        """Synthesise lines the customer may say next, in the background, so they start at once.

        Call it while the trainee is answering (see app.core.next_lines); returns immediately.
        """
        try:
            preset = self._preset(voice)
        except VoicePresetError as error:
            logger.info("no lines prepared ahead: %s", error)  # say() will report it
            return
        for line in lines:
            self.speech.prepare(line.text, preset, line.mood)

    def stop(self) -> None:
        """Interrupt the line being prepared or spoken, from any thread."""
        with self._lock:
            if self._current_stop is not None:
                self._current_stop.set()

    def _heard(self, moment: float) -> None:
        self.last_first_audio_time = moment
        if self.on_first_audio is not None:
            self.on_first_audio(moment)
        on_playing, playing = self.on_playing, self._playing
        if on_playing is not None and playing is not None:
            on_playing(playing[0], playing[1], moment)

    def _preset(self, name: str) -> VoicePreset:
        if name not in self._presets:
            self._presets[name] = load_voice_preset(name, self.voices_dir)
        return self._presets[name]


class CaptionsOnly:
    """The customer without a voice, when no speech engine could start: lines are only shown
    (implements ports.Speaker)."""

    last_first_audio_time: float | None = None

    def say(self, text: str, voice: str, mood: str) -> None:
        return None

    def prepare(self, lines: Iterable[CustomerLine], voice: str) -> None:
        return None

    def stop(self) -> None:
        return None
