"""Hearing a spoken reply quickly: transcribed while it is spoken, ended as soon as it is complete.

Whisper costs about a quarter of a second per piece of audio however short, so waiting for the
end of a reply and then transcribing all of it makes the customer pause for seconds. Instead,
a voice-activity detector (Silero, shipped with faster-whisper) follows the reply frame by frame:
at every pause the words since the last cut are transcribed in the background; a pause long
enough to be a natural break keeps that piece, so only the last words are left when the trainee
stops. The reply ends after a short silence when what was said so far ends a sentence, and
after a longer one otherwise.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from app.audio.microphone import MicrophoneListener
from app.audio.reply import HeardReply
from app.audio.voice_features import measure_voice
from app.core.ports import SAMPLE_RATE, Samples, Transcriber
from app.core.transcript import Transcript, Word

FRAME_SAMPLES = 512  # Silero's frame at 16 kHz (32 ms)
_CONTEXT_SAMPLES = 64
# Words a finished sentence rarely ends on: a pause after them is a hesitation, not an end.
_CONTINUATION_WORDS = frozenset(
    {
        *("and", "but", "or", "so", "because", "if", "when", "that", "which", "who"),
        *("the", "a", "an", "to", "of", "for", "with", "at", "in", "on", "by", "from"),
        *("my", "your", "our", "their", "his", "her", "its", "as", "than", "then", "um", "uh"),
    }
)

TranscriberSource = Transcriber | Callable[[], Transcriber | None]


@dataclass(frozen=True)
class Endpointing:
    """When a hands-free reply is over, and where it is cut to be transcribed while spoken.

    Seconds of silence are counted from the end of the last voiced frame.
    """

    # 0.35 s answered fastest, but cut trainees off between two sentences (people pause
    # 0.4-0.8 s there); 0.7 s lets them go on and still ends well before a plain 1.2 s wait.
    complete_pause: float = 0.7  # ends a reply whose words so far end a sentence
    incomplete_pause: float = 1.2  # ends any other reply
    speculate_after: float = 0.1  # silence after which the words so far are transcribed
    natural_break: float = 0.2  # a pause at least this long is a place to cut the reply
    min_piece_seconds: float = 1.0  # shorter pieces are kept together: Whisper needs context
    lead_in: float = 0.3  # audio kept before the first voiced frame, for soft first sounds
    min_sentence_words: int = 3
    speech_probability: float = 0.5
    silence_probability: float = 0.35


class SpeechDetector:
    """Silero voice-activity detection, one 32 ms frame at a time, keeping its state between."""

    def __init__(self) -> None:
        from faster_whisper.vad import get_vad_model

        self._session = get_vad_model().session
        self.reset()

    def reset(self) -> None:
        """Forget the previous recording."""
        self._h = np.zeros((1, 1, 128), dtype=np.float32)
        self._c = np.zeros((1, 1, 128), dtype=np.float32)
        self._context = np.zeros(_CONTEXT_SAMPLES, dtype=np.float32)

    def probability(self, frame: Samples) -> float:
        """How likely the frame (FRAME_SAMPLES samples) holds speech, 0 to 1."""
        batch = np.concatenate([self._context, frame])[None, :].astype(np.float32)
        output, self._h, self._c = self._session.run(
            None, {"input": batch, "h": self._h, "c": self._c}
        )
        self._context = frame[-_CONTEXT_SAMPLES:]
        return float(np.asarray(output).reshape(-1)[0])


def ends_a_sentence(text: str, min_words: int = 3) -> bool:
    """True when the words end like a finished sentence rather than a hesitation."""
    words = text.split()
    if len(words) < min_words or not text.rstrip().endswith((".", "?", "!")):
        return False
    return words[-1].rstrip(".?!,").lower() not in _CONTINUATION_WORDS


def joined_transcript(pieces: list[tuple[float, Transcript]], engine: str) -> Transcript:
    """One transcript from pieces transcribed separately; each comes with its start in seconds."""
    words = tuple(
        Word(word.text, word.start + offset, word.end + offset, word.probability)
        for offset, piece in pieces
        for word in piece.words
    )
    text = " ".join(piece.text.strip() for _offset, piece in pieces if piece.text.strip())
    confidence = float(np.mean([word.probability for word in words])) if words else 0.0
    return Transcript(
        text=text,
        engine=engine,
        confidence=confidence,
        words=words,
        audio_seconds=sum(piece.audio_seconds for _offset, piece in pieces),
        seconds_taken=sum(piece.seconds_taken for _offset, piece in pieces),
    )


class _GrowingAudio:
    """The reply's samples so far, without copying everything at every chunk."""

    def __init__(self) -> None:
        self._buffer = np.zeros(SAMPLE_RATE * 8, dtype=np.float32)
        self.size = 0

    def append(self, chunk: Samples) -> None:
        if self.size + chunk.size > self._buffer.size:
            bigger = np.zeros(max(self._buffer.size * 2, self.size + chunk.size), np.float32)
            bigger[: self.size] = self._buffer[: self.size]
            self._buffer = bigger
        self._buffer[self.size : self.size + chunk.size] = chunk
        self.size += chunk.size

    def slice(self, start: int, end: int) -> Samples:
        return self._buffer[start:end].copy()


@dataclass
class _Piece:
    start: int  # sample index in the recording
    end: int
    result: Future[Transcript]


class StreamingHearer:
    """Hears replies through a `MicrophoneListener`, transcribing them while they are spoken.

    `transcriber` is the recogniser, or a function returning it once loaded (None when none
    could load); it is only asked for when the first piece is ready. One reply at a time.
    """

    def __init__(
        self,
        transcriber: TranscriberSource,
        endpointing: Endpointing | None = None,
        detector: SpeechDetector | None = None,
    ) -> None:
        self._transcriber_source = transcriber
        self.endpointing = endpointing or Endpointing()
        self._detector = detector or SpeechDetector()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="transcribe-pieces")

    def close(self) -> None:
        """Let pieces still being transcribed finish, then free the worker thread."""
        self._pool.shutdown(wait=False, cancel_futures=True)

    def hear(
        self,
        listener: MicrophoneListener,
        on_level: Callable[[float], None] | None = None,
        on_ready: Callable[[], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> HeardReply:
        """One reply, transcribed; empty when cancelled or nobody spoke within the wait.

        Push-to-talk replies end on `listener.finish()`; hands-free ones on a silence.
        """
        return self.transcribe(self.record(listener, on_level, on_ready, cancel))

    def record(
        self,
        listener: MicrophoneListener,
        on_level: Callable[[float], None] | None = None,
        on_ready: Callable[[], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> StreamedReply:
        """Hears one reply until it is over; its pieces may still be being transcribed."""
        cancel = cancel if cancel is not None else threading.Event()
        started = time.perf_counter()
        reply = _ReplyInProgress(self, listener.push_to_talk, listener.wait_seconds)
        chunks = listener.chunks(on_level, on_ready, cancel)
        try:
            for chunk in chunks:
                if reply.add(chunk, time.perf_counter()):
                    break
        finally:
            chunks.close()
        return StreamedReply(reply, time.perf_counter() - started, cancel.is_set())

    def transcribe(self, recorded: StreamedReply) -> HeardReply:
        """The words of a reply `record` heard, once its last piece is transcribed."""
        if recorded.cancelled:
            return HeardReply(Transcript("", "", 0.0), None, 0.0, 0.0)
        return recorded.reply.finish(recorded.listen_seconds)

    def _transcribe(self, samples: Samples) -> Transcript:
        # Whisper is not given the earlier pieces as a prompt: measured, it changed no words
        # but left full stops off the ends of sentences, so replies waited the longer pause.
        return self._transcriber().transcribe(samples)

    def _transcriber(self) -> Transcriber:
        source = self._transcriber_source
        transcriber = source() if callable(source) else source
        if transcriber is None:
            raise RuntimeError("No speech recogniser could load: type your reply instead.")
        return transcriber

    def _submit(self, samples: Samples) -> Future[Transcript]:
        return self._pool.submit(self._transcribe, samples)


@dataclass(frozen=True)
class StreamedReply:
    """A reply heard to its end, whose last pieces may still be in the recogniser."""

    reply: _ReplyInProgress
    listen_seconds: float
    cancelled: bool


class _ReplyInProgress:
    """The state of one reply as its frames arrive."""

    def __init__(self, hearer: StreamingHearer, push_to_talk: bool, wait_seconds: float) -> None:
        self._hearer = hearer
        self._rules = hearer.endpointing
        self._detector = hearer._detector
        self._detector.reset()
        self._push_to_talk = push_to_talk
        self._max_wait_samples = int(wait_seconds * SAMPLE_RATE)
        self._audio = _GrowingAudio()
        self._pending = np.zeros(0, dtype=np.float32)  # samples not yet a whole frame
        self._frames_seen = 0
        self._speech_start: int | None = 0 if push_to_talk else None
        self._cut = 0  # where the next piece starts
        self._last_voice_end = 0
        self._last_voice_time: float | None = None
        self._in_silence = False
        self._kept: list[_Piece] = []
        self._speculation: _Piece | None = None  # words since the cut, heard at this pause
        self._ended_at: float | None = None
        self._heard_nothing = False

    def add(self, chunk: Samples, arrived_at: float) -> bool:
        """Takes a chunk; True once the reply is over."""
        self._audio.append(chunk)
        self._pending = np.concatenate([self._pending, chunk])
        while self._pending.size >= FRAME_SAMPLES:
            frame, self._pending = self._pending[:FRAME_SAMPLES], self._pending[FRAME_SAMPLES:]
            if self._frame(frame, arrived_at):
                self._ended_at = time.perf_counter()
                return True
        return False

    def _frame(self, frame: Samples, arrived_at: float) -> bool:
        rules = self._rules
        start = self._frames_seen * FRAME_SAMPLES
        end = start + FRAME_SAMPLES
        self._frames_seen += 1
        probability = self._detector.probability(frame)
        if probability >= rules.speech_probability:
            if self._speech_start is None:
                self._speech_start = max(0, start - int(rules.lead_in * SAMPLE_RATE))
                self._cut = self._speech_start
            elif self._in_silence:
                self._speech_resumed(start)
            self._in_silence = False
            self._last_voice_end = end
            self._last_voice_time = arrived_at
            return False
        if self._speech_start is None:
            self._heard_nothing = end >= self._max_wait_samples and not self._push_to_talk
            return self._heard_nothing
        if probability < rules.silence_probability and self._last_voice_time is not None:
            self._in_silence = True
        if not self._in_silence:
            return False
        silence = (end - self._last_voice_end) / SAMPLE_RATE
        if self._speculation is None and silence >= rules.speculate_after:
            self._speculation = _Piece(
                self._cut, end, self._hearer._submit(self._audio.slice(self._cut, end))
            )
        if self._push_to_talk:
            return False
        if silence >= rules.incomplete_pause:
            return True
        if silence >= rules.complete_pause and self._speculation is not None:
            # Waiting here for the last words is the point: they decide whether to answer now.
            return ends_a_sentence(self._words_so_far(), rules.min_sentence_words)
        return False

    def _speech_resumed(self, at: int) -> None:
        speculation, self._speculation = self._speculation, None
        if speculation is None:
            return
        pause = (at - self._last_voice_end) / SAMPLE_RATE
        long_enough = (speculation.end - speculation.start) / SAMPLE_RATE
        if pause >= self._rules.natural_break and long_enough >= self._rules.min_piece_seconds:
            self._kept.append(speculation)
            self._cut = speculation.end

    def _words_so_far(self) -> str:
        pieces = [*self._kept, self._speculation] if self._speculation else self._kept
        return " ".join(piece.result.result().text.strip() for piece in pieces).strip()

    def finish(self, listen_seconds: float) -> HeardReply:
        ended_at = self._ended_at or time.perf_counter()
        if self._speech_start is None or self._audio.size == 0:
            return HeardReply(Transcript("", "", 0.0), None, listen_seconds, 0.0)
        stop = self._audio.size
        if not self._push_to_talk:
            stop = min(stop, self._last_voice_end + int(self._rules.speculate_after * SAMPLE_RATE))
        tail = self._speculation
        if tail is None or tail.end < self._last_voice_end:
            tail = _Piece(
                self._cut,
                stop,
                self._hearer._submit(self._audio.slice(self._cut, stop)),
            )
        pieces = [*self._kept, tail]
        transcripts = [(piece, piece.result.result()) for piece in pieces]
        done_at = time.perf_counter()
        reply_start = self._speech_start
        samples = self._audio.slice(reply_start, max(stop, tail.end))
        transcript = joined_transcript(
            [((piece.start - reply_start) / SAMPLE_RATE, part) for piece, part in transcripts],
            transcripts[0][1].engine,
        )
        voice = measure_voice(samples, transcript.words) if transcript.words else None
        wait = (
            ended_at - self._last_voice_time
            if self._last_voice_time is not None and not self._push_to_talk
            else 0.0
        )
        return HeardReply(
            transcript,
            voice,
            listen_seconds,
            transcribe_seconds=transcript.seconds_taken,
            speech_ended_at=self._last_voice_time,
            end_of_speech_wait_seconds=max(0.0, wait),
            transcribe_after_end_seconds=done_at - ended_at,
            pieces=len(pieces),
            samples=samples,
        )
