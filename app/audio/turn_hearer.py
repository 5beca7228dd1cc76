"""Hearing a reply like a phone call: transcribed at each pause, ended when it is finished.

When the trainee falls silent, everything said so far is transcribed in the background: at
`TurnTaking.transcribe_after` (0.15 s) when the recogniser is idle; and at `judge_after`
(0.2 s) Smart Turn judges from the sound whether the reply is finished. When the sound and the
words agree that it is, the reply ends and its words are ready. While the recogniser is still
busy with an earlier pause, a new pass waits for the judgement: it starts at once if the reply
sounds finished, and otherwise once the silence reaches `transcribe_unfinished_after` (1 s),
so that the words are ready if the silence reaches `longest_pause` (2 s), when it ends anyway.
Measured on a busy 2-core machine, a pass started at every pause was still running when the
reply ended, and the finished reply's own pass waited behind it.

Whisper costs about the same for 2 s of audio as for 25 s (it pads every clip to 30 s), so the
whole reply so far is transcribed each time, not just its last piece: the transcript is that of
the whole reply, with all its context, and accuracy does not suffer from cutting. Replies
longer than `piece_seconds` keep a transcribed beginning and carry on from there, with the
beginning's words as Whisper's prompt. Only the latest pause's transcription is worth having:
an older one still queued when a new pause begins is skipped.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np

from app.audio.end_of_turn import TurnTaking, Verdict, verdict
from app.audio.microphone import MicrophoneListener
from app.audio.smart_turn import WINDOW_SECONDS, SmartTurnModel
from app.audio.streaming import FRAME_SAMPLES, SpeechDetector, joined_transcript
from app.audio.voice_features import measure_voice
from app.core.ports import SAMPLE_RATE, Samples, Transcriber
from app.core.reply import HeardReply
from app.core.transcript import Transcript

TranscriberSource = Transcriber | Callable[[], Transcriber | None]
_SPEECH_PROBABILITY = 0.5
_SILENCE_PROBABILITY = 0.35
_LEAD_IN_SECONDS = 0.3  # audio kept before the first voiced frame, for soft first sounds
_JUDGED_SAMPLES = WINDOW_SECONDS * SAMPLE_RATE  # Smart Turn hears the last 8 s
# Without Smart Turn (its model did not load) a reply whose words end a sentence ends here.
FALLBACK_PAUSE_SECONDS = 0.7


@runtime_checkable
class PromptedTranscriber(Protocol):
    """A recogniser that takes a prompt (earlier words, the scenario's vocabulary): Whisper."""

    name: str

    def transcribe(self, samples: Samples) -> Transcript: ...

    def transcribe_with_prompt(self, samples: Samples, prompt: str) -> Transcript: ...


@dataclass
class _Pass:
    """One transcription of the reply from `start` to `end` (sample indices)."""

    start: int
    end: int
    result: Future[Transcript | None]


class TurnTakingHearer:
    """Hears replies through a `MicrophoneListener`; one reply at a time.

    `transcriber` is the recogniser, or a function returning it once loaded (None when none
    could load). `turn_model` judges whether a reply sounds finished; None falls back to the
    words alone after `FALLBACK_PAUSE_SECONDS`. `vocabulary` is a Whisper prompt of the
    scenario's words (app.audio.vocabulary), used when the recogniser takes a prompt.
    """

    def __init__(
        self,
        transcriber: TranscriberSource,
        turn_model: SmartTurnModel | None,
        rules: TurnTaking | None = None,
        detector: SpeechDetector | None = None,
        vocabulary: str = "",
        piece_seconds: float = 20.0,
    ) -> None:
        self._transcriber_source = transcriber
        self.turn_model = turn_model
        self.rules = rules or TurnTaking()
        self.vocabulary = vocabulary
        self.piece_seconds = piece_seconds
        self._detector = detector or SpeechDetector()
        self._whisper = ThreadPoolExecutor(max_workers=1, thread_name_prefix="transcribe-reply")
        self._judge = ThreadPoolExecutor(max_workers=1, thread_name_prefix="judge-turn")
        self._busy_lock = threading.Lock()
        self._passes = 0

    def close(self) -> None:
        self._whisper.shutdown(wait=False, cancel_futures=True)
        self._judge.shutdown(wait=False, cancel_futures=True)

    def record(
        self,
        listener: MicrophoneListener,
        on_level: Callable[[float], None] | None = None,
        on_ready: Callable[[], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> HeardTurn:
        """Hears one reply until it is over (push-to-talk: until `listener.finish()`); its
        words may still be in the recogniser."""
        cancel = cancel if cancel is not None else threading.Event()
        started = time.perf_counter()
        reply = _Reply(self, listener.push_to_talk, listener.wait_seconds)
        chunks = listener.chunks(on_level, on_ready, cancel)
        try:
            for chunk in chunks:
                if reply.add(chunk):
                    break
        finally:
            chunks.close()
        return HeardTurn(reply, time.perf_counter() - started, cancel.is_set())

    def transcribe(self, recorded: HeardTurn) -> HeardReply:
        """The words of a reply `record` heard: usually ready already."""
        if recorded.cancelled:
            return HeardReply(Transcript("", "", 0.0), None, 0.0, 0.0)
        return recorded.reply.finish(recorded.listen_seconds)

    def hear(self, listener: MicrophoneListener) -> HeardReply:
        """One reply, heard and transcribed; empty when nobody spoke within the wait."""
        return self.transcribe(self.record(listener))

    def transcribe_samples(self, samples: Samples, prompt: str) -> Transcript:
        transcriber = self._transcriber()
        full_prompt = " ".join(part for part in (self.vocabulary, prompt) if part).strip()
        if full_prompt and isinstance(transcriber, PromptedTranscriber):
            return transcriber.transcribe_with_prompt(samples, full_prompt)
        return transcriber.transcribe(samples)

    def _transcriber(self) -> Transcriber:
        source = self._transcriber_source
        transcriber = source() if callable(source) else source
        if transcriber is None:
            raise RuntimeError("No speech recogniser could load: type your reply instead.")
        return transcriber

    def submit_transcription(
        self, samples: Samples, prompt: str, wanted: Callable[[], bool]
    ) -> Future[Transcript | None]:
        def run() -> Transcript | None:
            # Skipped when a later pause has asked for a newer transcription meanwhile.
            try:
                return self.transcribe_samples(samples, prompt) if wanted() else None
            finally:
                with self._busy_lock:
                    self._passes -= 1

        with self._busy_lock:
            self._passes += 1
        return self._whisper.submit(run)

    @property
    def busy(self) -> bool:
        """Whether the recogniser is transcribing (or has a pass waiting)."""
        with self._busy_lock:
            return self._passes > 0

    def submit_judgement(self, samples: Samples) -> Future[float] | None:
        model = self.turn_model
        if model is None:
            return None
        return self._judge.submit(model.probability_finished, samples)


@dataclass(frozen=True)
class HeardTurn:
    """A reply heard to its end, whose words may still be in the recogniser."""

    reply: _Reply
    listen_seconds: float
    cancelled: bool


class _Reply:
    """The state of one reply as its 32 ms frames arrive."""

    def __init__(self, hearer: TurnTakingHearer, push_to_talk: bool, wait_seconds: float) -> None:
        self._hearer = hearer
        self._rules = hearer.rules
        self._detector = hearer._detector
        self._detector.reset()
        self._push_to_talk = push_to_talk
        self._max_wait_samples = int(wait_seconds * SAMPLE_RATE)
        self._audio = np.zeros(SAMPLE_RATE * 8, dtype=np.float32)
        self._size = 0
        self._pending = np.zeros(0, dtype=np.float32)
        self._frames = 0
        self._speech_start: int | None = 0 if push_to_talk else None
        self._last_voice_end = 0
        self._last_voice_time: float | None = None
        self._in_silence = False
        self._kept: list[tuple[_Pass, Transcript]] = []  # the transcribed beginning
        self._latest: _Pass | None = None  # the whole reply since the kept part, this pause
        self._generation = 0
        self._judgement: Future[float] | None = None
        self._ended_at: float | None = None
        self.finished_probability: float | None = None
        self.verdict: Verdict | None = None

    def add(self, chunk: Samples) -> bool:
        """Takes a chunk; True once the reply is over."""
        if self._size + chunk.size > self._audio.size:
            bigger = np.zeros(max(self._audio.size * 2, self._size + chunk.size), np.float32)
            bigger[: self._size] = self._audio[: self._size]
            self._audio = bigger
        self._audio[self._size : self._size + chunk.size] = chunk
        self._size += chunk.size
        self._pending = np.concatenate([self._pending, chunk])
        while self._pending.size >= FRAME_SAMPLES:
            frame, self._pending = self._pending[:FRAME_SAMPLES], self._pending[FRAME_SAMPLES:]
            if self._frame(frame):
                self._ended_at = time.perf_counter()
                return True
        return False

    def _frame(self, frame: Samples) -> bool:
        start = self._frames * FRAME_SAMPLES
        end = start + FRAME_SAMPLES
        self._frames += 1
        probability = self._detector.probability(frame)
        if probability >= _SPEECH_PROBABILITY:
            if self._speech_start is None:
                self._speech_start = max(0, start - int(_LEAD_IN_SECONDS * SAMPLE_RATE))
            if self._in_silence:
                self._judgement = None
                self._keep_long_beginning()
            self._in_silence = False
            self._last_voice_end = end
            self._last_voice_time = time.perf_counter()
            return False
        if self._speech_start is None:
            return end >= self._max_wait_samples and not self._push_to_talk
        if probability < _SILENCE_PROBABILITY and self._last_voice_time is not None:
            self._in_silence = True
        if not self._in_silence:
            return False
        silence = (end - self._last_voice_end) / SAMPLE_RATE
        rules = self._rules
        if not self._push_to_talk and silence >= rules.judge_after and self._judgement is None:
            window = max(self._speech_start, end - _JUDGED_SAMPLES)
            self._judgement = self._hearer.submit_judgement(self._audio[window:end].copy())
        sound = self._sound_finished(silence)
        if self._transcription_due(silence, sound) and not self._covers_last_voice(self._latest):
            self._transcribe_so_far(end)
        if self._push_to_talk:
            return False
        self.verdict = verdict(rules, silence, sound, self._words())
        return self.verdict is not Verdict.WAIT

    def _transcription_due(self, silence: float, sound: float | None) -> bool:
        rules = self._rules
        if silence < rules.transcribe_after:
            return False
        if self._push_to_talk or self._hearer.turn_model is None:
            return True
        if silence >= rules.transcribe_unfinished_after or not self._hearer.busy:
            # Early while the recogniser is idle: the words are then ready with the judgement.
            return True
        return sound is not None and sound >= rules.finished_probability

    def _sound_finished(self, silence: float) -> float | None:
        if self._hearer.turn_model is None:
            return 1.0 if silence >= FALLBACK_PAUSE_SECONDS else None
        if self._judgement is None or not self._judgement.done():
            return None
        self.finished_probability = self._judgement.result()
        return self.finished_probability

    def _words(self) -> str | None:
        latest = self._latest
        if latest is None or not latest.result.done():
            return None
        transcript = latest.result.result()
        if transcript is None:
            return None
        return " ".join([*(part.text for _piece, part in self._kept), transcript.text]).strip()

    def _covers_last_voice(self, latest: _Pass | None) -> bool:
        return latest is not None and latest.end >= self._last_voice_end

    def _cut(self) -> int:
        assert self._speech_start is not None
        return self._kept[-1][0].end if self._kept else self._speech_start

    def _transcribe_so_far(self, end: int) -> None:
        self._generation += 1
        generation = self._generation
        start = self._cut()
        prompt = " ".join(part.text for _piece, part in self._kept)[-400:]
        future = self._hearer.submit_transcription(
            self._audio[start:end].copy(), prompt, lambda: self._generation == generation
        )
        self._latest = _Pass(start, end, future)

    def _keep_long_beginning(self) -> None:
        """At a pause that ended, keeps a long transcribed beginning so later passes stay short."""
        latest = self._latest
        if latest is None or not latest.result.done():
            return
        if (latest.end - latest.start) / SAMPLE_RATE < self._hearer.piece_seconds:
            return
        transcript = latest.result.result()
        if transcript is not None and transcript.text.strip():
            self._kept.append((latest, transcript))
            self._latest = None

    def finish(self, listen_seconds: float) -> HeardReply:
        ended_at = self._ended_at or time.perf_counter()
        if self._speech_start is None or self._size == 0:
            return HeardReply(Transcript("", "", 0.0), None, listen_seconds, 0.0)
        stop = self._size
        if not self._push_to_talk:
            stop = min(stop, self._last_voice_end + int(self._rules.transcribe_after * SAMPLE_RATE))
        latest = self._latest
        tail = latest.result.result() if self._covers_last_voice(latest) and latest else None
        if latest is None or tail is None:
            start = self._cut()
            prompt = " ".join(part.text for _piece, part in self._kept)[-400:]
            latest = _Pass(start, stop, Future())
            tail = self._hearer.transcribe_samples(self._audio[start:stop].copy(), prompt)
        done_at = time.perf_counter()
        reply_start = self._speech_start
        parts = [*self._kept, (latest, tail)]
        transcript = joined_transcript(
            [((piece.start - reply_start) / SAMPLE_RATE, part) for piece, part in parts],
            tail.engine,
        )
        samples = self._audio[reply_start : max(stop, latest.end)].copy()
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
            pieces=len(parts),
            samples=samples,
            finished_probability=self.finished_probability,
            verdict=self.verdict.value if self.verdict else "",
        )
