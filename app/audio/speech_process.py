"""The customer's speech engine in a child process of its own: espeak-ng or a neural voice.

pyttsx3 must be driven from one thread, hangs when its loop is re-entered and cannot be stopped
reliably; Piper (the neural voice) is GPL-3.0 and loads a 60 MB model. Each lives in a long-lived
"spawn" child that writes one WAV file per request (espeak_engine.py, piper_engine.py). The app
reads the file and plays the samples itself (see playback.py). A child that dies or stops
answering is killed and started again on the next request, so one bad moment never silences
the customer for the rest of the session.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import multiprocessing
import queue
import shutil
import tempfile
import threading
import time
from collections import OrderedDict
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any, Literal

import numpy as np
import soundfile

from app.audio.piper_engine import NeuralRequest
from app.audio.speech_engine import (
    ESPEAK_VARIANTS,
    EngineVoice,
    SpeechRequest,
    choose_voice,
    serve,
)
from app.audio.voice_packs import VoicePack
from app.core.ports import Samples
from app.core.voice_preset import VoicePreset

__all__ = [
    "ESPEAK_VARIANTS",
    "EngineVoice",
    "SpeechCancelled",
    "SpeechError",
    "SpeechProcess",
    "choose_voice",
]
EngineKind = Literal["espeak", "neural"]

logger = logging.getLogger(__name__)

# How often a waiting request checks for a stop or a dead engine.
_POLL_SECONDS = 0.02
# Lines kept ready to play: the customer's likely next lines and the lines just said (repeats).
CACHE_LINES = 48

_CacheKey = tuple[str, str, str, str, str, int, int, float]


class SpeechError(Exception):
    """The customer cannot be heard; the message says why in one line."""


class SpeechCancelled(SpeechError):
    """Speech was stopped before it finished."""


class _EngineDied(Exception):
    pass


class SpeechProcess:
    """Turns a line into samples with the customer's voice, in a warm child process.

    Safe to call from any thread; requests are served one at a time. `warnings` collects, once
    each, what the engine could not honour (a missing language or gender).
    """

    def __init__(
        self,
        start_timeout: float = 30.0,
        cache_lines: int = CACHE_LINES,
        engine: EngineKind = "espeak",
    ) -> None:
        self.engine = engine
        self.start_timeout = start_timeout
        self.cache_lines = cache_lines
        self.warnings: list[str] = []
        self._context = multiprocessing.get_context("spawn")
        self._process: BaseProcess | None = None
        self._connection: Connection | None = None
        self._folder: Path | None = None
        self._request_ids = itertools.count(1)
        self._lock = threading.RLock()
        self._cache: OrderedDict[_CacheKey, tuple[Samples, int]] = OrderedDict()
        self._cache_lock = threading.Lock()
        self._prepare_queue: queue.Queue[tuple[int, str, VoicePreset, str, VoicePack | None]] = (
            queue.Queue()
        )
        self._preparer: threading.Thread | None = None
        self._generation = 0  # lines queued before close() are not prepared after it

    @property
    def pid(self) -> int | None:
        """The child's process id while it runs."""
        process = self._process
        return process.pid if process is not None and process.is_alive() else None

    def start(self) -> None:
        """Start the engine now (it otherwise starts on the first request) and wait until ready."""
        with self._lock:
            if self._process is not None and self._process.is_alive():
                return
            self._discard_process()
            if self._folder is None:
                self._folder = Path(tempfile.mkdtemp(prefix="skeptic-speech-"))
            parent_end, child_end = self._context.Pipe()
            process = self._context.Process(
                target=serve,
                args=(child_end, str(self._folder), self.engine),
                name=f"skeptic-speech-{self.engine}",
                daemon=True,
            )
            process.start()
            child_end.close()
            self._process, self._connection = process, parent_end
            try:
                self._receive(0, self.start_timeout, None)
            except _EngineDied:
                code = self._exit_code()
                self._discard_process()
                raise SpeechError(
                    f"the speech engine stopped while starting (exit code {code})"
                ) from None

    def synthesise(
        self,
        text: str,
        preset: VoicePreset,
        mood: str,
        timeout: float = 15.0,
        cancel: threading.Event | None = None,
        pack: VoicePack | None = None,
    ) -> tuple[Samples, int]:
        """Mono float32 samples of `text` spoken with the preset in this mood, and their rate.

        A neural engine speaks with `pack`, which it needs. Raises SpeechCancelled when
        `cancel` is set while waiting, SpeechError on failure.
        """
        if not text.strip():
            raise SpeechError("nothing to say: the customer's line is empty")
        if self.engine == "neural" and pack is None:
            raise SpeechError("the neural voice needs a voice pack")
        key = self._key(text, preset, mood, pack)
        cached = self._cached(key)
        if cached is not None:
            return cached
        with self._lock:
            cached = self._cached(key)  # prepared while this request waited for the engine
            if cached is not None:
                return cached
            request_id = next(self._request_ids)
            wav_path = self._wav_path(request_id)
            request = self._request(text, str(wav_path), preset, mood, pack)
            reply = self._ask(("synthesise", request_id, request), timeout, cancel)
            self._report(reply)
            try:
                samples, sample_rate = soundfile.read(wav_path, dtype="float32", always_2d=True)
            except (OSError, RuntimeError) as error:
                raise SpeechError(f"the speech engine's audio could not be read: {error}") from None
            finally:
                wav_path.unlink(missing_ok=True)
        if len(samples) == 0:
            raise SpeechError(f"the speech engine produced no audio for {text[:40]!r}")
        result = np.ascontiguousarray(samples[:, 0]), int(sample_rate)
        result[0].flags.writeable = False  # shared by every later request for the same line
        with self._cache_lock:
            self._cache[key] = result
            while len(self._cache) > self.cache_lines:
                self._cache.popitem(last=False)
        return result

    def _key(self, text: str, preset: VoicePreset, mood: str, pack: VoicePack | None) -> _CacheKey:
        rate, pitch, volume = preset.effective(mood)
        if self.engine == "neural":
            # A neural voice takes the mood's pitch multiplier, not espeak-ng's pitch figure.
            pitch = round(preset.modulation(mood).pitch * 1000)
        voice = str(pack.model) if pack is not None else ""
        return (text, voice, preset.language, preset.gender, preset.age, rate, pitch, volume)

    def _request(
        self, text: str, wav_path: str, preset: VoicePreset, mood: str, pack: VoicePack | None
    ) -> SpeechRequest | NeuralRequest:
        rate, pitch, volume = preset.effective(mood)
        if self.engine == "neural":
            assert pack is not None
            return NeuralRequest(
                text=text,
                wav_path=wav_path,
                model=str(pack.model),
                config=str(pack.config),
                words_per_minute=rate,
                pitch_multiplier=preset.modulation(mood).pitch,
                volume=volume,
            )
        return SpeechRequest(
            text=text,
            wav_path=wav_path,
            language=preset.language,
            gender=preset.gender,
            age=preset.age,
            rate=rate,
            pitch=pitch,
            volume=volume,
        )

    def prepare(
        self, text: str, preset: VoicePreset, mood: str, pack: VoicePack | None = None
    ) -> None:
        """Synthesise a line in the background so that saying it later starts at once.

        Returns immediately; lines are prepared in order, one at a time, and failures are
        left for the request that really needs the line to report.
        """
        if not text.strip():
            return
        self._prepare_queue.put((self._generation, text, preset, mood, pack))
        with self._cache_lock:
            if self._preparer is None or not self._preparer.is_alive():
                self._preparer = threading.Thread(
                    target=self._prepare_lines, name="speech-prepare", daemon=True
                )
                self._preparer.start()

    def drop_pending(self) -> None:
        """Forget lines waiting to be prepared: once a line is chosen the guesses are stale."""
        while True:
            try:
                self._prepare_queue.get_nowait()
            except queue.Empty:
                return

    def is_prepared(
        self, text: str, preset: VoicePreset, mood: str, pack: VoicePack | None = None
    ) -> bool:
        """True when the line in this voice and mood is ready to play without synthesis."""
        return self._cached(self._key(text, preset, mood, pack)) is not None

    def _cached(self, key: _CacheKey) -> tuple[Samples, int] | None:
        with self._cache_lock:
            found = self._cache.get(key)
            if found is not None:
                self._cache.move_to_end(key)
            return found

    def _prepare_lines(self) -> None:
        while True:
            try:
                generation, text, preset, mood, pack = self._prepare_queue.get(timeout=5.0)
            except queue.Empty:
                return
            if generation != self._generation:
                continue
            try:
                self.synthesise(text, preset, mood, pack=pack)
            except Exception as error:  # the line's real request will report it
                logger.info("could not prepare a line ahead: %s", error)

    def warm_up(self, pack: VoicePack, timeout: float = 60.0) -> None:
        """Load a neural voice pack now and say one word with it, so the first line is quick."""
        with self._lock:
            message = ("load", next(self._request_ids), (str(pack.model), str(pack.config)))
            self._ask(message, timeout, None)

    def list_voices(self, timeout: float = 15.0) -> list[EngineVoice]:
        """Every voice the engine offers, for choosing a fallback."""
        with self._lock:
            reply = self._ask(("voices", next(self._request_ids)), timeout, None)
        voices: list[EngineVoice] = reply[2]
        return voices

    def close(self) -> None:
        """Stop the child and remove its files. The object may be started again afterwards."""
        self._generation += 1
        with self._lock:
            if self._connection is not None:
                with contextlib.suppress(OSError):
                    self._connection.send(("quit", 0))
            if self._process is not None:
                self._process.join(timeout=2)
            self._discard_process()
            if self._folder is not None:
                shutil.rmtree(self._folder, ignore_errors=True)
                self._folder = None

    def __enter__(self) -> SpeechProcess:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _wav_path(self, request_id: int) -> Path:
        if self._folder is None:
            self._folder = Path(tempfile.mkdtemp(prefix="skeptic-speech-"))
        return self._folder / f"{request_id}.wav"

    def _ask(
        self, message: tuple[Any, ...], timeout: float, cancel: threading.Event | None
    ) -> tuple[Any, ...]:
        """Send one request and wait for its answer, restarting a dead engine once."""
        for attempt in (1, 2):
            self.start()
            connection = self._connection
            assert connection is not None
            try:
                connection.send(message)
                return self._receive(message[1], timeout, cancel)
            except (_EngineDied, OSError):
                code = self._exit_code()
                self._discard_process()
                if attempt == 2:
                    raise SpeechError(
                        f"the speech engine stopped unexpectedly (exit code {code})"
                    ) from None
                logger.warning("speech engine stopped (exit code %s); restarting it", code)
        raise AssertionError("unreachable")

    def _receive(
        self, request_id: int, timeout: float, cancel: threading.Event | None
    ) -> tuple[Any, ...]:
        connection, process = self._connection, self._process
        assert connection is not None and process is not None
        deadline = time.monotonic() + timeout
        while True:
            if cancel is not None and cancel.is_set():
                raise SpeechCancelled("speech was stopped")
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self._discard_process()
                raise SpeechError(
                    f"the speech engine did not answer within {timeout:g} s; "
                    "it will be restarted for the next line"
                )
            try:
                if not connection.poll(min(remaining, _POLL_SECONDS)):
                    if not process.is_alive():
                        raise _EngineDied
                    continue
                reply: tuple[Any, ...] = connection.recv()
            except (EOFError, OSError):
                raise _EngineDied from None
            kind, reply_id = reply[0], reply[1]
            if reply_id != request_id:
                # The answer to a request given up on (stopped or timed out): its file is unwanted.
                self._wav_path(reply_id).unlink(missing_ok=True)
                continue
            if kind == "failed":
                if request_id == 0:
                    self._discard_process()
                raise SpeechError(reply[2])
            return reply

    def _report(self, reply: tuple[Any, ...]) -> None:
        for warning in reply[2]:
            if warning not in self.warnings:
                self.warnings.append(warning)
                logger.warning("customer voice: %s", warning)

    def _exit_code(self) -> int | None:
        # The pipe closes a moment before the process is reaped.
        if self._process is None:
            return None
        self._process.join(timeout=1)
        return self._process.exitcode

    def _discard_process(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        if self._process is not None:
            if self._process.is_alive():
                self._process.kill()
            self._process.join(timeout=2)
            self._process = None
