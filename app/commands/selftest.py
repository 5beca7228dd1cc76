"""`skeptic selftest`: one scripted call through every real part, one PASS/FAIL line per stage.

The call runs through the same `SessionMachine` and `CallExecutor` as the window. The
customer's lines are synthesised by the real speech process; the trainee's replies are
synthesised with another espeak-ng voice, replayed through the microphone's listener code and
heard by the window's hands-free path (transcribed while spoken), scored, and saved in a
temporary database through the window's save path.
"""

from __future__ import annotations

import argparse
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import soundfile

from app.audio.audio_file import read_audio_file
from app.audio.microphone import MicrophoneListener, ReplayedSource
from app.audio.playback import UnplayedOutput
from app.audio.speaker import CustomerVoice
from app.audio.speech_process import SpeechProcess
from app.audio.streaming import StreamedReply, StreamingHearer
from app.audio.transcribers import load_transcriber
from app.calls.executor import CallExecutor
from app.calls.presenter import QuietPresenter
from app.core.call_events import AnswerMode, EndRequested, Event, TranscriptConfirmed
from app.core.ports import Transcriber
from app.core.reply import HeardReply
from app.core.scenario import Scenario, find_scenario, load_scenarios
from app.core.session import CompletedTurn
from app.core.session_machine import SessionMachine
from app.core.voice_preset import VoicePreset, load_voice_preset
from app.core.wer import word_error_rate
from app.errors import one_line
from app.paths import SHIPPED_SCENARIOS_DIR, database_path
from app.storage import SessionStore
from app.storage.call_record import CallRecord

SCENARIO_ID = "unrecognised-charge"
TRAINEE_VOICE = "middle-aged-man"
# Measured: at the preset's 170 words a minute espeak-ng's words blur enough for Whisper to
# miss one in five in a piece of a streamed reply; at 140 the worst reply misses 15 %.
TRAINEE_RATE = 140
SCRIPTED_REPLIES = (
    "I can hear how worrying this is, and you are right to be careful. I will block the card "
    "now so no more money can be taken.",
    "You do not need to give me your card number or PIN. You can hang up and call the number "
    "on the back of your card to check this call is genuine.",
    "We will treat this charge as fraud and refund it. I will raise the dispute now and you "
    "will get a text to confirm it within the hour.",
    "Your new card will arrive in three to five days, and I will call you back tomorrow by five "
    "to confirm the refund. Does that sound all right?",
)
MAX_WORD_ERROR_RATE = 0.2


class StageFailed(Exception):
    pass


def _stage(name: str, check: Callable[[], str]) -> bool:
    started = time.perf_counter()
    try:
        detail = check()
    except Exception as error:
        print(f"FAIL  {name}: {one_line(error)}", flush=True)
        return False
    print(f"PASS  {name} ({time.perf_counter() - started:.2f} s) {detail}", flush=True)
    return True


def run_selftest(_args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="skeptic-selftest-") as folder:
        return 0 if _run(Path(folder)) else 1


def _run(folder: Path) -> bool:
    state: dict[str, object] = {}
    speech = SpeechProcess()

    def scenario() -> str:
        scenarios, _errors = load_scenarios([SHIPPED_SCENARIOS_DIR])
        state["scenario"] = found = find_scenario(scenarios, SCENARIO_ID)
        return f"'{found.title}'"

    def customer_voice() -> str:
        found: Scenario = state["scenario"]  # type: ignore[assignment]
        line = SessionMachine(found, seed=1).session.opening()
        preset = load_voice_preset(found.persona.voice)
        samples, rate = speech.synthesise(line.text, preset, line.mood)
        if float(np.abs(samples).max(initial=0.0)) < 0.01:
            raise StageFailed("the customer's voice came out silent")
        return f"{len(samples) / rate:.1f} s of speech for {len(line.text.split())} words"

    def recogniser() -> str:
        transcriber, warning = load_transcriber()
        if warning:
            raise StageFailed(warning)
        state["transcriber"] = transcriber
        return f"{transcriber.name} loaded"

    def conversation() -> str:
        found: Scenario = state["scenario"]  # type: ignore[assignment]
        transcriber: Transcriber = state["transcriber"]  # type: ignore[assignment]
        store = SessionStore.open(database_path(folder))
        streaming = StreamingHearer(transcriber)
        problems: list[str] = []
        machine = SessionMachine(found, mode=AnswerMode.HANDS_FREE, seed=1)
        check = _CheckedCall(machine)
        executor = CallExecutor(
            machine,
            CallRecord(store, problems.append),
            CustomerVoice(speech, UnplayedOutput()),
            _SyntheticTrainee(speech, streaming, folder),
            check,
        )
        check.post = executor.post
        try:
            executor.start("selftest")
            if machine.active:
                executor.post(EndRequested())
        finally:
            streaming.close()
            store.close()
        if problems or check.failures:
            raise StageFailed((problems + check.failures)[0])
        summary = machine.session.summary()
        state["turns"] = summary.turn_count
        return (
            f"{summary.turn_count} replies heard (worst word error rate {check.worst:.0%}), "
            f"empathy {summary.empathy}, composure {summary.composure}, trust {summary.final_trust}"
        )

    def storage() -> str:
        store = SessionStore.open(database_path(folder))
        try:
            saved = sum(len(store.turns(s.id)) for s in store.sessions())
        finally:
            store.close()
        if saved != state["turns"]:
            raise StageFailed(f"{saved} turns in the database, {state['turns']} expected")
        return f"{saved} turns read back from a fresh connection"

    try:
        return all(
            _stage(name, check)
            for name, check in (
                ("scenario", scenario),
                ("customer voice", customer_voice),
                ("speech recogniser", recogniser),
                ("conversation", conversation),
                ("storage", storage),
            )
        )
    finally:
        speech.close()


class _SyntheticTrainee:
    """Says the scripted replies in turn (a Hearer): each is synthesised, replayed through the
    microphone's listener code and heard by the hands-free streaming path."""

    def __init__(self, speech: SpeechProcess, streaming: StreamingHearer, folder: Path) -> None:
        self._speech = speech
        self._wav = folder / "reply.wav"
        self._streaming = streaming
        self._script = list(SCRIPTED_REPLIES)
        self._listener: MicrophoneListener | None = None

    def record(
        self,
        on_level: Callable[[float], None] | None = None,
        on_ready: Callable[[], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> object:
        if not self._script:
            raise StageFailed("the customer wanted more replies than the script has")
        samples, rate = self._speech.synthesise(self._script.pop(0), _trainee_voice(), "calm")
        soundfile.write(self._wav, samples, rate)
        # Silence after the reply, as a quiet room gives, so that its end is heard.
        source = ReplayedSource(read_audio_file(self._wav), trailing_silence_seconds=2.0)
        self._listener = MicrophoneListener(source)
        return self._streaming.record(self._listener, on_level, on_ready, cancel)

    def transcribe(self, recording: object) -> HeardReply:
        assert isinstance(recording, StreamedReply)
        return self._streaming.transcribe(recording)

    def finish(self) -> None:
        return None

    def stop(self) -> None:
        if self._listener is not None:
            self._listener.stop()


class _CheckedCall(QuietPresenter):
    """Accepts what was heard, and checks each reply's words, evidence and tips."""

    def __init__(self, machine: SessionMachine) -> None:
        self.machine = machine
        self.post: Callable[[Event], None] = lambda _event: None
        self.worst = 0.0
        self.failures: list[str] = []

    def ask_to_confirm(self, reply: HeardReply) -> None:
        self.post(TranscriptConfirmed(reply.transcript.text))

    def show_feedback(self, turn: CompletedTurn) -> None:
        said = SCRIPTED_REPLIES[turn.number - 1]
        heard = turn.transcript.text
        self.worst = max(self.worst, word_error_rate(said, heard))
        if self.worst > MAX_WORD_ERROR_RATE:
            self.failures.append(f"heard {heard!r} for {said!r}")
        if not turn.evaluation.evidence or not turn.evaluation.tips:
            self.failures.append(f"reply {turn.number} was scored without evidence or tips")
        if self.failures:
            self.post(EndRequested())


def _trainee_voice() -> VoicePreset:
    return load_voice_preset(TRAINEE_VOICE).model_copy(update={"rate": TRAINEE_RATE})
