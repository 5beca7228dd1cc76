"""The customer's voice: a line is synthesised sentence by sentence and played as it comes.

Each persona speaks with the first neural voice pack its preset names that is installed, and with
espeak-ng otherwise; which one is said once per persona in `notices`. The first sentence plays
as soon as it is ready while the next ones are synthesised, so a long line starts as quickly as
a short one.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from app.audio.playback import Playback
from app.audio.speech_process import SpeechCancelled, SpeechError, SpeechProcess
from app.audio.voice_packs import VoicePack
from app.core.dialogue import CustomerLine
from app.core.ports import Samples
from app.core.sentences import sentences
from app.core.voice_preset import VoicePreset, VoicePresetError, load_voice_preset
from app.paths import VOICES_DIR

logger = logging.getLogger(__name__)
# How often a line waiting for its next sentence checks for a stop.
_POLL_SECONDS = 0.02


def choose_pack(preset: VoicePreset, packs: Sequence[VoicePack]) -> VoicePack | None:
    """The first neural voice the preset names that is installed, or None."""
    by_name = {pack.name: pack for pack in packs}
    return next((by_name[name] for name in preset.neural_voices if name in by_name), None)


class CustomerVoice:
    """Says the customer's lines with a persona's voice preset (implements ports.Speaker).

    `last_first_audio_time` is the `time.perf_counter()` moment the last line's first sample
    was played (None until one was), the start of the trainee's response time.
    """

    def __init__(
        self,
        speech: SpeechProcess,
        playback: Playback,
        voices_dir: Path = VOICES_DIR,
        neural: SpeechProcess | None = None,
        packs: Sequence[VoicePack] = (),
    ) -> None:
        self.speech = speech
        self.neural = neural
        self.packs = list(packs)
        self.playback = playback
        self.voices_dir = voices_dir
        self.last_first_audio_time: float | None = None
        # Called with that moment as soon as it is known, from the thread saying the line.
        self.on_first_audio: Callable[[float], None] | None = None
        # Called with the line's samples, their rate and that moment, for barge-in detection.
        self.on_playing: Callable[[Samples, int, float], None] | None = None
        self._playing: tuple[Samples, int] | None = None
        # One line per persona saying which engine speaks for it, and any fallback.
        self.notices: list[str] = []
        self._presets: dict[str, VoicePreset] = {}
        self._lock = threading.Lock()
        self._current_stop: threading.Event | None = None
        self._neural_failed = False

    def engine_for(self, voice: str) -> tuple[SpeechProcess, VoicePack | None]:
        """The engine (and neural voice pack) that speaks for the preset named `voice`."""
        preset = self._preset(voice)
        pack = choose_pack(preset, self.packs) if self.neural and not self._neural_failed else None
        self._notice(self.describe(voice, pack))
        if pack is not None and self.neural is not None:
            return self.neural, pack
        return self.speech, None

    def describe(self, voice: str, pack: VoicePack | None = None) -> str:
        """Which engine speaks for the preset named `voice`, in one line."""
        if pack is None and self.neural is not None and not self._neural_failed:
            pack = choose_pack(self._preset(voice), self.packs)
        if pack is not None and self.neural is not None and not self._neural_failed:
            return f"The customer ({voice}) speaks with the natural voice {pack.name}."
        if self.neural is None or self._neural_failed:
            reason = "the neural voice engine is not installed"
        else:
            reason = "no installed neural voice suits this persona"
        return f"The customer ({voice}) speaks with espeak-ng: {reason}."

    def say(self, text: str, voice: str, mood: str) -> None:
        """Say `text` with the preset named `voice` in `mood`; returns when said or stopped.

        Raises VoicePresetError for an unknown voice or mood, SpeechError when the customer
        cannot be heard.
        """
        preset = self._preset(voice)
        for engine in (self.speech, self.neural):
            if engine is not None:
                engine.drop_pending()  # its next sentences come before any other guess
        stop = threading.Event()
        with self._lock:
            self._current_stop = stop
            self.last_first_audio_time = None
        try:
            self._say(sentences(text) or [text], preset, voice, mood, stop)
        finally:
            with self._lock:
                if self._current_stop is stop:
                    self._current_stop = None

    def _say(
        self, parts: list[str], preset: VoicePreset, voice: str, mood: str, stop: threading.Event
    ) -> None:
        ready: queue.Queue[tuple[Samples, int] | BaseException] = queue.Queue()

        def synthesise_in_order() -> None:
            for part in parts:
                if stop.is_set():
                    return
                try:
                    ready.put(self._synthesise(part, preset, voice, mood, stop))
                except BaseException as error:  # handed to the speaking thread
                    ready.put(error)
                    return

        threading.Thread(target=synthesise_in_order, name="speech-ahead", daemon=True).start()
        for index in range(len(parts)):
            item = self._next(ready, stop)
            if item is None or isinstance(item, SpeechCancelled):
                return
            if isinstance(item, BaseException):
                stop.set()
                raise item
            samples, sample_rate = item
            self._playing = (samples, sample_rate)
            heard = self._heard if index == 0 else self._playing_heard
            if not self.playback.play(samples, sample_rate, heard, cancel=stop):
                return

    def _synthesise(
        self, text: str, preset: VoicePreset, voice: str, mood: str, stop: threading.Event
    ) -> tuple[Samples, int]:
        speech, pack = self.engine_for(voice)
        try:
            return speech.synthesise(text, preset, mood, cancel=stop, pack=pack)
        except SpeechCancelled:
            raise
        except SpeechError as error:
            if pack is None:
                raise
            # A neural voice that fails is not retried for the rest of the session.
            self._neural_failed = True
            self._notice(f"The natural voice failed ({error}); espeak-ng speaks instead.")
            return self.speech.synthesise(text, preset, mood, cancel=stop)

    @staticmethod
    def _next(
        ready: queue.Queue[tuple[Samples, int] | BaseException], stop: threading.Event
    ) -> tuple[Samples, int] | BaseException | None:
        while not stop.is_set():
            try:
                return ready.get(timeout=_POLL_SECONDS)
            except queue.Empty:
                continue
        return None

    def prepare(self, lines: Iterable[CustomerLine], voice: str) -> None:
        """Synthesise lines the customer may say next, in the background, so they start at once.

        Every line's first sentence is prepared before any line's later ones: that is what
        decides how soon the customer starts speaking. Call it while the trainee is answering
        (see app.core.next_lines); returns immediately.
        """
        try:
            preset = self._preset(voice)
            speech, pack = self.engine_for(voice)
        except VoicePresetError as error:
            logger.info("no lines prepared ahead: %s", error)  # say() will report it
            return
        split = [(sentences(line.text) or [line.text], line.mood) for line in lines]
        for parts, mood in split:
            speech.prepare(parts[0], preset, mood, pack)
        for parts, mood in split:
            for part in parts[1:]:
                speech.prepare(part, preset, mood, pack)

    def play_pack(self, pack: VoicePack, text: str, voice: str = "middle-aged-man") -> None:
        """Say `text` with one neural voice pack, for trying it in Settings."""
        if self.neural is None:
            raise SpeechError("the neural voice engine is not installed (the neural-voice extra)")
        samples, sample_rate = self.neural.synthesise(
            text, self._preset(voice), "calm", timeout=60, pack=pack
        )
        self.playback.play(samples, sample_rate)

    def stop(self) -> None:
        """Interrupt the line being prepared or spoken, from any thread."""
        with self._lock:
            if self._current_stop is not None:
                self._current_stop.set()

    def _heard(self, moment: float) -> None:
        self.last_first_audio_time = moment
        if self.on_first_audio is not None:
            self.on_first_audio(moment)
        self._playing_heard(moment)

    def _playing_heard(self, moment: float) -> None:
        # Every sentence of a line is played on its own: each is announced for barge-in.
        on_playing, playing = self.on_playing, self._playing
        if on_playing is not None and playing is not None:
            on_playing(playing[0], playing[1], moment)

    def _notice(self, notice: str) -> None:
        if notice not in self.notices:
            self.notices.append(notice)
            logger.info("customer voice: %s", notice)

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
