"""Timed turns of a call: a recorded reply heard, scored, saved and answered by the customer.

Both builds run the window's own turn loop, `SessionMachine` and `CallExecutor`, saving in a
real SQLite file; they differ only in their hearer. `FastPipeline` is the product's way
(streaming transcription, lines prepared ahead); `StraightforwardPipeline` is the obvious build
it is compared with: SpeechRecognition's `listen` with a 0.8 s pause, then
`recognize_faster_whisper`, which loads the model per call. Both hear the reply through
`MicrophoneListener`, the code the microphone uses.
"""

from __future__ import annotations

import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import speech_recognition as sr

from app.audio.hearers import TurnTakingHearing
from app.audio.microphone import MicrophoneListener, ReplayedSource
from app.audio.speaker import CustomerVoice
from app.audio.transcribers import whisper_model_folder
from app.audio.turn_hearer import TurnTakingHearer
from app.bench.replies import BenchReply
from app.calls.executor import CallExecutor
from app.calls.presenter import QuietPresenter
from app.calls.voice_jobs import InlineVoice, record_reply
from app.core.call_events import Event, Listen, TranscriptConfirmed
from app.core.dialogue import CustomerLine
from app.core.ports import SAMPLE_RATE, Hearer
from app.core.reply import HeardReply
from app.core.scenario import Scenario
from app.core.session import CompletedTurn
from app.core.session_machine import SessionMachine
from app.core.transcript import Transcript
from app.core.wer import word_error_rate
from app.paths import database_path
from app.storage import SessionStore
from app.storage.call_record import CallRecord

# Longer than either build's longest wait, so that silence, not the end of input, ends a reply.
TRAILING_SILENCE_SECONDS = 3.0
STRAIGHTFORWARD_PAUSE_SECONDS = 0.8


@dataclass(frozen=True)
class TurnFigures:
    """One turn's timings in milliseconds, and what was heard."""

    reply: str
    group: str
    reply_seconds: float
    response_gap_ms: float
    end_of_speech_wait_ms: float
    transcription_ms: float  # still to do once the end of speech was decided
    scoring_ms: float
    synthesis_to_first_audio_ms: float
    heard: str
    word_error_rate: float
    cut_short: bool  # the reply was taken as finished before its last word (or not heard)


class FirstAudioOnly:
    """The customer's voice, said until its first sample plays (a ports.Speaker): the rest of
    the line does not matter to the measurement, and the bench need not wait for it."""

    def __init__(self, voice: CustomerVoice) -> None:
        self.voice = voice
        self.last_first_audio_time: float | None = None

    def say(self, text: str, voice: str, mood: str) -> None:
        heard = threading.Event()
        failure: list[BaseException] = []
        self.voice.on_first_audio = lambda _moment: heard.set()

        def say() -> None:
            try:
                self.voice.say(text, voice, mood)
            except BaseException as error:  # reported on the bench's thread
                failure.append(error)
            finally:
                heard.set()

        speaking = threading.Thread(target=say, name="bench-say", daemon=True)
        speaking.start()
        heard.wait()
        self.last_first_audio_time = self.voice.last_first_audio_time
        self.voice.stop()
        speaking.join()
        self.voice.on_first_audio = None
        if failure:
            raise failure[0]

    def prepare(self, lines: Iterable[CustomerLine], voice: str) -> None:
        self.voice.prepare(lines, voice)

    def stop(self) -> None:
        self.voice.stop()


class _Replayed:
    """Hears the bench reply it is given through a replayed `MicrophoneListener` (a Hearer),
    noting when the end of the reply was decided and when its words were ready."""

    def __init__(self, make: Callable[[MicrophoneListener], Hearer], pause: float = 0.6) -> None:
        self._make = make
        self._pause = pause
        self.reply: BenchReply | None = None
        self.source: ReplayedSource | None = None
        self._hearer: Hearer | None = None
        self.decided_at = self.transcribed_at = 0.0

    def record(
        self,
        on_level: Callable[[float], None] | None = None,
        on_ready: Callable[[], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> object:
        assert self.reply is not None
        self.source = ReplayedSource(
            self.reply.samples, realtime=True, trailing_silence_seconds=TRAILING_SILENCE_SECONDS
        )
        self._hearer = self._make(MicrophoneListener(self.source, pause_seconds=self._pause))
        recording = self._hearer.record(on_level, on_ready, cancel)
        self.decided_at = time.perf_counter()
        return recording

    def transcribe(self, recording: object) -> HeardReply:
        assert self._hearer is not None
        heard = self._hearer.transcribe(recording)
        self.transcribed_at = time.perf_counter()
        return heard

    def finish(self) -> None:
        return None

    def stop(self) -> None:
        if self._hearer is not None:
            self._hearer.stop()


class _OneReplyAtATime(InlineVoice):
    """Inline voice jobs, except that listening waits until the bench hands in a reply."""

    def __init__(self, post: Callable[[Event], None]) -> None:
        super().__init__(post)
        self.waiting: tuple[Hearer, Listen, threading.Event] | None = None

    def record(self, hearer: Hearer, command: Listen, cancel: threading.Event) -> None:
        self.waiting = (hearer, command, cancel)

    def hear_waiting(self) -> None:
        assert self.waiting is not None, "the call is not waiting for a reply"
        hearer, command, cancel = self.waiting
        self.waiting = None
        self._post(record_reply(hearer, command, cancel, lambda _level: None, self._post))


class _Stopwatch(QuietPresenter):
    """Accepts what was heard (as a trainee would) and notes when each step ended."""

    def __init__(self) -> None:
        self.post: Callable[[Event], None] = lambda _event: None
        self.turn: CompletedTurn | None = None
        self.scored_at = 0.0
        self.first_audio: float | None = None

    def ask_to_confirm(self, reply: HeardReply) -> None:
        self.post(TranscriptConfirmed(reply.transcript.text))

    def show_feedback(self, turn: CompletedTurn) -> None:
        self.turn, self.scored_at = turn, time.perf_counter()

    def line_spoken(self, first_sound_at: float | None) -> None:
        self.first_audio = first_sound_at


class _BenchCall:
    """Practice calls one after another, each reply handed in by `turn()`."""

    def __init__(self, hearer: _Replayed, speaker: FirstAudioOnly, scenario: Scenario) -> None:
        self.hearer, self.speaker, self.scenario = hearer, speaker, scenario
        self._folder = tempfile.TemporaryDirectory(prefix="skeptic-bench-")
        self.store = SessionStore.open(database_path(Path(self._folder.name)))
        self.executor: CallExecutor | None = None

    def turn(self, reply: BenchReply) -> TurnFigures:
        if self.executor is None or not self.executor.machine.active:
            self._new_call()
        assert self.executor is not None
        jobs, watch = self.executor.jobs, self.executor.presenter
        assert isinstance(jobs, _OneReplyAtATime) and isinstance(watch, _Stopwatch)
        self.hearer.reply = reply
        watch.turn, watch.first_audio = None, None
        jobs.hear_waiting()
        assert self.hearer.source is not None and self.hearer.source.started_at is not None
        last_voice_at = self.hearer.source.started_at + reply.last_voice_seconds
        heard, first_audio = self.hearer, watch.first_audio
        text = watch.turn.transcript.text if watch.turn is not None else ""
        return TurnFigures(
            reply=reply.name,
            group=reply.group,
            reply_seconds=round(reply.seconds, 2),
            response_gap_ms=((first_audio or last_voice_at) - last_voice_at) * 1000,
            end_of_speech_wait_ms=(heard.decided_at - last_voice_at) * 1000,
            transcription_ms=(heard.transcribed_at - heard.decided_at) * 1000,
            scoring_ms=watch.turn.timings.score_seconds * 1000 if watch.turn else 0.0,
            synthesis_to_first_audio_ms=((first_audio or watch.scored_at) - watch.scored_at) * 1000,
            heard=text,
            word_error_rate=word_error_rate(reply.text, text),
            cut_short=heard.decided_at < last_voice_at or first_audio is None,
        )

    def _new_call(self) -> None:
        machine = SessionMachine(self.scenario, seed=7)
        watch = _Stopwatch()
        executor = CallExecutor(
            machine, CallRecord(self.store, _ignore), self.speaker, self.hearer, watch
        )
        executor.jobs = _OneReplyAtATime(executor.post)
        watch.post = executor.post
        self.executor = executor
        executor.start("bench")

    def close(self) -> None:
        self.store.close()
        self._folder.cleanup()


def _ignore(_problem: str) -> None:
    return None


class FastPipeline(_BenchCall):
    """The product's pipeline: turn-taking hearing and the next lines prepared ahead."""

    def __init__(self, hearer: TurnTakingHearer, voice: CustomerVoice, scenario: Scenario) -> None:
        super().__init__(
            _Replayed(lambda listener: TurnTakingHearing(listener, hearer)),
            FirstAudioOnly(voice),
            scenario,
        )


class _StraightforwardHearing:
    """Waits for 0.8 s of silence, then loads Whisper and transcribes, for every reply."""

    def __init__(self, listener: MicrophoneListener) -> None:
        self.listener = listener
        self.recognizer = sr.Recognizer()

    def record(
        self,
        on_level: Callable[[float], None] | None = None,
        on_ready: Callable[[], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> object:
        return self.listener.listen(on_level, on_ready, cancel)

    def transcribe(self, recording: object) -> HeardReply:
        samples = np.asarray(recording, dtype=np.float32)
        started = time.perf_counter()
        pcm = (np.clip(samples, -1.0, 1.0) * 32767).astype(np.int16).tobytes()
        text = self.recognizer.recognize_faster_whisper(
            sr.AudioData(pcm, SAMPLE_RATE, 2),
            model=str(whisper_model_folder()),
            init_options={"device": "cpu", "compute_type": "int8"},
            language="en",
        )
        return HeardReply(
            Transcript(str(text).strip(), "whisper", 1.0),
            None,
            listen_seconds=samples.size / SAMPLE_RATE,
            transcribe_seconds=time.perf_counter() - started,
        )

    def finish(self) -> None:
        return None

    def stop(self) -> None:
        self.listener.stop()


class StraightforwardPipeline(_BenchCall):
    """The obvious build, through the same loop: only its hearer differs."""

    def __init__(self, voice: CustomerVoice, scenario: Scenario) -> None:
        super().__init__(
            _Replayed(_StraightforwardHearing, pause=STRAIGHTFORWARD_PAUSE_SECONDS),
            FirstAudioOnly(voice),
            scenario,
        )
