"""Timed turns of a call: a recorded reply heard, scored and answered by the customer's voice.

`FastPipeline` is the product's way (streaming transcription, lines prepared ahead);
`StraightforwardPipeline` is the obvious build it is compared with: SpeechRecognition's
`listen` with a 0.8 s pause, then `recognize_faster_whisper`, which loads the model per call.
Both hear the reply through `MicrophoneListener`, the code the microphone uses.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import speech_recognition as sr

from app.audio.microphone import MicrophoneListener, ReplayedSource
from app.audio.next_lines import likely_next_lines
from app.audio.playback import Playback
from app.audio.reply import HeardReply
from app.audio.speaker import CustomerVoice
from app.audio.transcribers import whisper_model_folder
from app.bench.replies import BenchReply
from app.core.dialogue import CustomerLine
from app.core.ports import SAMPLE_RATE, Samples
from app.core.scenario import Scenario
from app.core.session import PracticeSession
from app.core.transcript import Transcript
from app.core.wer import word_error_rate

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
    cut_short: bool  # the reply was taken as finished before its last word


class UnplayedOutput(Playback):
    """Stands in for the speakers when the machine has no output device: the line counts as
    heard the moment its samples are ready, so playback start-up is not in the figures."""

    def play(
        self,
        samples: Samples,
        sample_rate: int,
        on_first_audio: Callable[[float], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> bool:
        if on_first_audio is not None:
            on_first_audio(time.perf_counter())
        return True


class _Call:
    """A practice call that starts again whenever the customer ends it."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self._new()

    def _new(self) -> None:
        self.session = PracticeSession(self.scenario, seed=7)
        self.session.opening()

    @property
    def line(self) -> CustomerLine:
        if self.session.finished or self.session.current_line is None:
            self._new()
        assert self.session.current_line is not None
        return self.session.current_line


def _first_audio(voice: CustomerVoice, line: CustomerLine, persona_voice: str) -> float:
    """Says the line until its first sample plays; returns that `perf_counter` moment."""
    heard = threading.Event()
    moments: list[float] = []

    def first(moment: float) -> None:
        moments.append(moment)
        heard.set()

    voice.on_first_audio = first
    failure: list[BaseException] = []

    def say() -> None:
        try:
            voice.say(line.text, persona_voice, line.mood)
        except BaseException as error:  # reported on the bench's thread
            failure.append(error)
        finally:
            heard.set()

    speaking = threading.Thread(target=say, name="bench-say", daemon=True)
    speaking.start()
    heard.wait()
    voice.stop()  # the rest of the line does not matter to the measurement
    speaking.join()
    voice.on_first_audio = None
    if failure:
        raise failure[0]
    return moments[0]


def _next_line(turn_line: CustomerLine | None, ending: str | None) -> CustomerLine:
    if turn_line is not None:
        return turn_line
    return CustomerLine(ending or "Goodbye.", "calm", "ending")


def _finish_turn(
    call: _Call,
    voice: CustomerVoice,
    reply: BenchReply,
    heard: HeardReply,
    last_voice_at: float,
    decided_at: float,
    transcribed_at: float,
) -> TurnFigures:
    transcript = heard.transcript
    scoring_started = time.perf_counter()
    if transcript.text.strip():
        turn = call.session.submit(transcript, heard.voice, heard.timings)
        outcome = turn.outcome
        line = _next_line(outcome.next_line, outcome.ending.line if outcome.ending else None)
    else:  # heard nothing: the customer asks again
        line = call.line
    scored_at = time.perf_counter()
    first_audio = _first_audio(voice, line, call.scenario.persona.voice)
    return TurnFigures(
        reply=reply.name,
        group=reply.group,
        reply_seconds=round(reply.seconds, 2),
        response_gap_ms=(first_audio - last_voice_at) * 1000,
        end_of_speech_wait_ms=(decided_at - last_voice_at) * 1000,
        transcription_ms=(transcribed_at - decided_at) * 1000,
        scoring_ms=(scored_at - scoring_started) * 1000,
        synthesis_to_first_audio_ms=(first_audio - scored_at) * 1000,
        heard=transcript.text,
        word_error_rate=word_error_rate(reply.text, transcript.text),
        cut_short=decided_at < last_voice_at,
    )


def _replayed(reply: BenchReply) -> tuple[MicrophoneListener, ReplayedSource]:
    source = ReplayedSource(
        reply.samples, realtime=True, trailing_silence_seconds=TRAILING_SILENCE_SECONDS
    )
    return MicrophoneListener(source), source


class Hearer(Protocol):
    def hear(self, listener: MicrophoneListener) -> HeardReply: ...


class FastPipeline:
    """The product's pipeline: turn-taking hearing and the next lines prepared ahead."""

    def __init__(self, hearer: Hearer, voice: CustomerVoice, scenario: Scenario) -> None:
        self.hearer = hearer
        self.voice = voice
        self.call = _Call(scenario)

    def turn(self, reply: BenchReply) -> TurnFigures:
        self.call.line  # noqa: B018 - starts a new call when the last one ended
        self.voice.prepare(likely_next_lines(self.call.session.conversation), line_voice(self.call))
        listener, source = _replayed(reply)
        heard = self.hearer.hear(listener)
        transcribed_at = time.perf_counter()
        assert source.started_at is not None
        last_voice_at = source.started_at + reply.last_voice_seconds
        decided_at = transcribed_at - heard.transcribe_after_end_seconds
        return _finish_turn(
            self.call, self.voice, reply, heard, last_voice_at, decided_at, transcribed_at
        )


def line_voice(call: _Call) -> str:
    return call.scenario.persona.voice


class StraightforwardPipeline:
    """Wait for 0.8 s of silence, then load Whisper and transcribe, for every reply."""

    def __init__(self, voice: CustomerVoice, scenario: Scenario) -> None:
        self.voice = voice
        self.call = _Call(scenario)
        self.model_path = str(whisper_model_folder())
        self.recognizer = sr.Recognizer()

    def turn(self, reply: BenchReply) -> TurnFigures:
        self.call.line  # noqa: B018 - starts a new call when the last one ended
        listener, source = _replayed(reply)
        listener = MicrophoneListener(source, pause_seconds=STRAIGHTFORWARD_PAUSE_SECONDS)
        started = time.perf_counter()
        samples = listener.listen()
        decided_at = time.perf_counter()
        pcm = (np.clip(samples, -1.0, 1.0) * 32767).astype(np.int16).tobytes()
        text = self.recognizer.recognize_faster_whisper(
            sr.AudioData(pcm, SAMPLE_RATE, 2),
            model=self.model_path,
            init_options={"device": "cpu", "compute_type": "int8"},
            language="en",
        )
        transcribed_at = time.perf_counter()
        heard = HeardReply(
            Transcript(str(text).strip(), "whisper", 1.0),
            None,
            listen_seconds=samples.size / SAMPLE_RATE,
            transcribe_seconds=transcribed_at - decided_at,
        )
        assert source.started_at is not None
        last_voice_at = source.started_at + reply.last_voice_seconds
        del started
        return _finish_turn(
            self.call, self.voice, reply, heard, last_voice_at, decided_at, transcribed_at
        )
