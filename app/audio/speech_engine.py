"""The speech engine's side of the speech process: pyttsx3, driven from the child's only
thread, one WAV file per request; and the choice of engine voice for a persona's preset."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

# espeak-ng voice variants that give its (male) base voices a gender and an age.
ESPEAK_VARIANTS = {
    ("female", "young"): "f5",
    ("female", "middle"): "f3",
    ("female", "older"): "f1",
    ("male", "young"): "m2",
    ("male", "middle"): "m3",
    ("male", "older"): "m1",
}


@dataclass(frozen=True)
class EngineVoice:
    """One voice the speech engine offers."""

    id: str
    name: str
    languages: tuple[str, ...]
    gender: str | None


@dataclass(frozen=True)
class SpeechRequest:
    text: str
    wav_path: str
    language: str
    gender: str
    age: str
    rate: int
    pitch: int
    volume: float


def choose_voice(
    voices: Sequence[EngineVoice],
    default_voice: str,
    language: str,
    gender: str,
    age: str,
    espeak_variants: bool,
) -> tuple[str, list[str]]:
    """The engine voice id closest to the wanted language, gender and age, and what was missing.

    An exact language match wins over a related one ("en-AU" may fall back to "en-GB"), which
    wins over the engine's default voice. On espeak-ng a variant ("+f3") supplies gender and age,
    since its own voices are all male.
    """
    # mbrola voices are listed by espeak-ng but speak only when the separate mbrola program is
    # installed; without it they produce silence.
    speaking = [voice for voice in voices if not voice.id.startswith(("!v/", "mb/"))]
    wanted = _normalise(language)
    primary = wanted.split("-")[0]
    exact = [voice for voice in speaking if wanted in _tags(voice)]
    related = [
        voice for voice in speaking if any(tag.split("-")[0] == primary for tag in _tags(voice))
    ]
    warnings: list[str] = []
    candidates = exact or related
    if not candidates:
        chosen_id = default_voice
        warnings.append(f"no voice for language {language!r}: using the default voice")
    else:
        same_gender = [voice for voice in candidates if (voice.gender or "").lower() == gender]
        chosen = (same_gender or candidates)[0]
        chosen_id = chosen.id
        if not exact:
            spoken = ", ".join(chosen.languages) or "another language"
            warnings.append(f"no voice for language {language!r}: using {spoken} instead")
        if not same_gender and not espeak_variants:
            warnings.append(f"no {gender} voice for language {language!r}: using {chosen.name}")
    variant = ESPEAK_VARIANTS.get((gender, age))
    if espeak_variants and variant:
        chosen_id = f"{chosen_id}+{variant}"
    return chosen_id, [f"{warning} ({chosen_id})" for warning in warnings]


def _normalise(tag: str) -> str:
    return tag.strip().lower().replace("_", "-")


def _tags(voice: EngineVoice) -> list[str]:
    return [_normalise(tag) for tag in voice.languages]


def serve(connection: Connection, folder: str, kind: str = "espeak") -> None:
    """Answer requests until told to quit or the parent goes away.

    `kind` is "espeak" (pyttsx3) or "neural" (Piper, see piper_engine.py).
    """
    # pyttsx3 prints a line for every file it saves.
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115
    engine: Any
    try:
        if kind == "neural":
            from app.audio.piper_engine import NeuralEngine

            engine = NeuralEngine()
        else:
            engine = _Engine(Path(folder))
    except ImportError:
        connection.send(("failed", 0, "the neural voice is not installed (pip install piper-tts)"))
        return
    except Exception as error:
        connection.send(("failed", 0, _explain_start_failure(error)))
        return
    connection.send(("ready", 0, os.getpid()))
    while True:
        try:
            message = connection.recv()
        except (EOFError, OSError):
            return
        message_kind, request_id = message[0], message[1]
        if message_kind == "quit":
            return
        if message_kind == "voices":
            connection.send(("voices", request_id, getattr(engine, "voices", [])))
            continue
        if message_kind == "load":
            try:
                engine.warm_up(*message[2])
            except Exception as error:
                connection.send(("failed", request_id, f"the voice could not load: {error}"))
            else:
                connection.send(("loaded", request_id))
            continue
        try:
            warnings = engine.speak_to_file(message[2])
        except Exception as error:
            connection.send(("failed", request_id, f"speech synthesis failed: {error}"))
        else:
            connection.send(("done", request_id, warnings))


class _Engine:
    """pyttsx3, driven from this process's only thread, one file per request."""

    def __init__(self, folder: Path) -> None:
        import pyttsx3
        import pyttsx3.engine

        driver = pyttsx3.engine.default_engine_by_sys_platform()
        self._engine = pyttsx3.init(driver)
        self._espeak = driver == "espeak"
        # pyttsx3 swallows exceptions from queued commands and only announces them.
        self._errors: list[str] = []
        self._engine.connect("error", self._on_error)
        self.voices = [
            EngineVoice(
                id=str(voice.id),
                name=str(voice.name),
                languages=tuple(str(language) for language in voice.languages or ()),
                gender=str(voice.gender) if voice.gender else None,
            )
            for voice in self._engine.getProperty("voices")
        ]
        self.default_voice = str(self._engine.getProperty("voice"))
        self._current_voice = self.default_voice
        # One word at start-up proves the engine can speak, and leaves pyttsx3 idle so that
        # later settings apply at once instead of waiting in its queue.
        warm_up = folder / "warm-up.wav"
        self._engine.save_to_file("Ready.", str(warm_up))
        self._engine.runAndWait()
        errors = self._take_errors()
        if not warm_up.is_file() or warm_up.stat().st_size <= 44:
            raise RuntimeError("; ".join(errors) or "it produced no audio")
        warm_up.unlink()

    def speak_to_file(self, request: SpeechRequest) -> list[str]:
        """Write the line to the request's WAV file; returns what could not be honoured."""
        voice_id, warnings = choose_voice(
            self.voices,
            self.default_voice,
            request.language,
            request.gender,
            request.age,
            espeak_variants=self._espeak,
        )
        if voice_id != self._current_voice:
            self._engine.setProperty("voice", voice_id)
            if str(self._engine.getProperty("voice")).lower() != voice_id.lower():
                self._take_errors()
                warnings.append(f"the engine refused voice {voice_id!r}: using the default voice")
                self._engine.setProperty("voice", self.default_voice)
                voice_id = self.default_voice
            self._current_voice = voice_id
        self._engine.setProperty("rate", request.rate)
        self._engine.setProperty("volume", request.volume)
        self._engine.setProperty("pitch", request.pitch)
        if self._espeak:
            # espeak-ng applies settings on its own thread, and pyttsx3's runAndWait() cancels
            # whatever is still pending there: without waiting, about one line in three came out
            # at the previous line's rate.
            from pyttsx3.drivers import _espeak

            _espeak.Synchronize()
        warnings.extend(f"a voice setting was refused: {error}" for error in self._take_errors())
        self._engine.save_to_file(request.text, request.wav_path)
        self._engine.runAndWait()
        errors = self._take_errors()
        if errors:
            raise RuntimeError("; ".join(errors))
        return warnings

    def _on_error(self, exception: BaseException | None = None, **_: object) -> None:
        self._errors.append(str(exception))

    def _take_errors(self) -> list[str]:
        taken, self._errors = self._errors, []
        return taken


def _explain_start_failure(error: Exception) -> str:
    message = str(error).splitlines()[0] if str(error) else type(error).__name__
    if sys.platform.startswith("linux") and (
        "espeak" in message.lower() or isinstance(error, OSError)
    ):
        return "espeak-ng is not installed: sudo apt-get install espeak-ng"
    return f"the speech engine could not start: {message}"
