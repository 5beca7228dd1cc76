"""Runs a `SessionMachine`'s commands on the engines, and posts their results back to it.

One `CallExecutor` per call. It is the same for every front end: the window, `practice`,
`selftest` and `bench` give it their presenter, and the window runs the voice jobs on its own
thread; the saving path (with its retry buffer) and the order of every step are shared.
"""

from __future__ import annotations

import threading
import time
from collections import deque

from app.calls.presenter import Presenter
from app.calls.voice_jobs import InlineVoice, VoiceJobs
from app.core.call_events import (
    AnswerMode,
    AskToConfirm,
    Command,
    Event,
    Finish,
    FinishRecording,
    LineSpoken,
    Listen,
    PrepareLines,
    ReopenCall,
    ReplyScored,
    Save,
    SaveResponseGap,
    Score,
    ShowFeedback,
    ShowHint,
    ShowNote,
    Speak,
    StopListening,
    StopSpeaking,
    Transcribe,
)
from app.core.debrief import build_debrief
from app.core.ports import Hearer, Speaker
from app.core.session_machine import SessionMachine
from app.storage.call_record import CallRecord


class CallExecutor:
    """Executes the machine's commands; `post()` hands it an event (on its own thread)."""

    def __init__(
        self,
        machine: SessionMachine,
        record: CallRecord,
        speaker: Speaker,
        hearer: Hearer | None,
        presenter: Presenter,
        jobs: VoiceJobs | None = None,
    ) -> None:
        self.machine = machine
        self.record = record
        self.speaker = speaker
        self.hearer = hearer
        self.presenter = presenter
        self.jobs = jobs if jobs is not None else InlineVoice(self.post, presenter.show_level)
        if hearer is None:
            machine.mode = AnswerMode.TYPED
        self._events: deque[Event] = deque()
        self._draining = False
        self._hearing = threading.Event()  # cancels the current recording request when set

    def start(self, trainee: str) -> None:
        """Opens the call's record and says the customer's opening line."""
        self.record.start(trainee, self.machine.scenario, self.machine.session.trust)
        self._run(self.machine.start())

    def post(self, event: Event) -> None:
        """Handles the event and every event that follows from it, in order."""
        self._events.append(event)
        if self._draining:
            return  # posted while a command ran: handled once that command's batch is done
        self._draining = True
        try:
            while self._events:
                event = self._events.popleft()
                if isinstance(event, LineSpoken) and event.turn_id == self.machine.turn_id:
                    self.presenter.line_spoken(event.first_sound_at)
                self._execute_all(self.machine.handle(event))
        finally:
            self._draining = False

    def _run(self, commands: list[Command]) -> None:
        self._draining = True
        try:
            self._execute_all(commands)
        finally:
            self._draining = False
        if self._events:
            self.post(self._events.popleft())

    def _execute_all(self, commands: list[Command]) -> None:
        for command in commands:
            self.execute(command)
        self.presenter.show_phase(self.machine.phase)

    def execute(self, command: Command) -> None:
        match command:
            case Speak():
                self.presenter.show_line(command.line, command.again)
                self.jobs.speak(self.speaker, command)
            case StopSpeaking():
                self.speaker.stop()
            case PrepareLines(lines=lines, voice=voice) if lines:
                self.speaker.prepare(lines, voice)
            case Listen(mode=mode):
                if mode is AnswerMode.TYPED or self.hearer is None:
                    self.presenter.ask_for_typed_reply()
                else:
                    self._hearing = threading.Event()
                    self.jobs.record(self.hearer, command, self._hearing)
            case StopListening():
                self._hearing.set()
                if self.hearer is not None:
                    self.hearer.stop()
            case FinishRecording():
                if self.hearer is not None:
                    self.hearer.finish()
            case Transcribe():
                assert self.hearer is not None
                self.jobs.transcribe(self.hearer, command)
            case AskToConfirm(reply=reply):
                self.presenter.ask_to_confirm(reply)
            case Score(turn_id=turn_id, reply=reply):
                started = time.perf_counter()
                evaluation = self.machine.evaluate(reply)
                seconds = time.perf_counter() - started
                self._events.append(ReplyScored(turn_id, reply, evaluation, seconds))
            case Save(turn=turn, samples=samples):
                self.record.save(turn, samples)
            case SaveResponseGap(number=number, gap_ms=gap_ms):
                self.record.set_response_gap(number, gap_ms)
            case ReopenCall():
                self.record.reopen()
            case ShowFeedback(turn=turn):
                self.presenter.show_feedback(turn)
            case ShowHint(title=title, text=text):
                self.presenter.show_hint(title, text)
            case ShowNote():
                self.presenter.show_note(command)
            case Finish(summary=summary, can_retry=can_retry):
                self.record.finish(summary)
                self.presenter.call_finished(build_debrief(self.machine.session), can_retry)

    def stop(self) -> None:
        """Silences and stops listening at once, from any thread (the window closing)."""
        self._hearing.set()
        self.speaker.stop()
        if self.hearer is not None:
            self.hearer.stop()
