"""The one turn loop: every call, in the window, the terminal, selftest and the bench.

`SessionMachine` takes events (app.core.call_events) and returns the commands that follow from
them; it never waits, plays, records or stores anything itself, so it runs and is tested in
milliseconds. What a turn does, in order: Speak -> Listen -> Transcribe -> (AskToConfirm) ->
Score -> Save -> ShowFeedback -> Speak the customer's answer ... -> Finish. A turn is saved
before the customer's next line is asked for, so a crash loses at most the reply in progress.
"""

from __future__ import annotations

import itertools
from dataclasses import replace

from app.core.call_events import (
    ACTIVE_PHASES,
    ANSWERING_PHASES,
    HEARING_PHASES,
    AnswerMode,
    AskToConfirm,
    Command,
    EndRequested,
    Event,
    Finish,
    FinishRecording,
    HearingFailed,
    HintRequested,
    Interruption,
    LineSpoken,
    Listen,
    PauseRequested,
    Phase,
    PrepareLines,
    ReopenCall,
    RepeatRequested,
    ReplyHeard,
    ReplyRecorded,
    ReplyScored,
    ReplyTyped,
    ResumeRequested,
    RetryRequested,
    Save,
    SaveResponseGap,
    Score,
    ShowFeedback,
    ShowHint,
    ShowNote,
    Speak,
    SpeechFailed,
    SpeechStarted,
    StopListening,
    StopSpeaking,
    TalkPressed,
    TalkReleased,
    Transcribe,
    TranscriptConfirmed,
)
from app.core.dialogue import CustomerLine
from app.core.evaluation.result import Evaluation
from app.core.next_lines import likely_next_lines
from app.core.reply import HeardReply
from app.core.scenario import Scenario
from app.core.session import PracticeSession
from app.core.voice import VoiceFeatures

# A whole listening turn below this input level (0..1) means a muted or dead microphone.
SILENT_INPUT_LEVEL = 0.05
MUTED = "No sound reaches the microphone: check that it is not muted, or type your reply."
NOT_CAUGHT = "I didn't catch that: say it again, or type it."
RETRYING = "Trying that answer again: the customer is back where they were."
# Unique across every machine in the process, so a late result of an earlier call is stale too.
_TURN_IDS = itertools.count(1)


class SessionMachine:
    """One call. `start()` and `handle()` return the commands to run, in order."""

    def __init__(
        self,
        scenario: Scenario,
        *,
        mode: AnswerMode = AnswerMode.HANDS_FREE,
        seed: int | None = None,
        voice_baseline: VoiceFeatures | None = None,
    ) -> None:
        self.session = PracticeSession(scenario, seed=seed, voice_baseline=voice_baseline)
        self.mode = mode
        self.phase = Phase.IDLE
        self.turn_id = 0
        self._closing = False  # the line being said is the customer's last
        self._hints_shown = 0
        self._unsure: HeardReply | None = None  # awaiting the trainee's check
        self._paused_while_speaking = False
        self._peak_level = 1.0
        # (turn number, when the trainee's voice stopped), until the customer's answer starts.
        # The reply's number, when its speech ended, and whether it waited for the trainee's check.
        self._gap_after: tuple[int, float, bool] | None = None
        self._voice_warned = False
        # "No sound" is a state: said once when the microphone falls silent, not again for every
        # silent wait after it, until sound is heard again.
        self._muted_noted = False

    @property
    def scenario(self) -> Scenario:
        return self.session.scenario

    @property
    def active(self) -> bool:
        return self.phase in ACTIVE_PHASES

    @property
    def can_retry(self) -> bool:
        """After any answer during the call, and after the answer that ended it."""
        if not self.session.can_retry:
            return False
        if self.phase is Phase.FINISHED:
            ending = self.session.ending
            return ending is not None and ending.kind != "ended_early"
        return self.phase in ANSWERING_PHASES or self.phase is Phase.SPEAKING

    def evaluate(self, reply: HeardReply) -> Evaluation:
        """What `Score` asks the executor to run: pure, so it may run off the GUI thread."""
        return self.session.evaluate(reply.transcript, reply.voice)

    def start(self) -> list[Command]:
        if self.phase is not Phase.IDLE:
            return []
        return self._say(self.session.opening())

    def handle(self, event: Event) -> list[Command]:
        """The commands that follow from the event; none for a stale or out-of-place one."""
        stale = getattr(event, "turn_id", self.turn_id) != self.turn_id
        if stale or not (self.active or isinstance(event, RetryRequested)):
            return []
        match event:
            case LineSpoken(first_sound_at=first_sound_at) if self.phase is Phase.SPEAKING:
                return self._line_spoken(first_sound_at)
            case SpeechFailed(message=message) if self.phase is Phase.SPEAKING:
                notes: list[Command] = []
                if not self._voice_warned:  # once per call, not for every line
                    self._voice_warned = True
                    text = f"The customer's voice is unavailable ({message}): read the captions."
                    notes.append(ShowNote(text, problem=True))
                return notes + self._line_spoken(None)
            case SpeechStarted() if self.phase is Phase.OPENING_MICROPHONE:
                self.phase = Phase.LISTENING
            case ReplyRecorded(recording=recording, peak_level=peak) if self._hearing:
                self.phase = Phase.TRANSCRIBING
                self._peak_level = peak
                return [Transcribe(self.turn_id, recording)]
            case ReplyHeard(reply=reply) if self.phase is Phase.TRANSCRIBING:
                return self._heard(reply)
            case HearingFailed(message=message) if self._hearing or self._transcribing:
                # The microphone may have gone: typing for the rest of the call.
                self.mode = AnswerMode.TYPED
                self.phase = Phase.TYPING
                return [ShowNote(with_typing_advice(message), problem=True), *self._listen()]
            case ReplyTyped(text=text) | TranscriptConfirmed(text=text):
                return self._typed(text, confirming=isinstance(event, TranscriptConfirmed))
            case ReplyScored(reply=reply, evaluation=evaluation, score_seconds=seconds) if (
                self.phase is Phase.SCORING
            ):
                return self._scored(reply, evaluation, seconds)
            case TalkPressed() if self.phase is Phase.WAITING_TO_TALK:
                return self._listen()
            case TalkReleased() if self.phase is Phase.RECORDING:
                return [FinishRecording()]
            case RepeatRequested() if self.phase in ANSWERING_PHASES:
                line = self.session.current_line
                if line is not None:
                    return self._interrupt_answering() + self._say(line, again=True)
            case HintRequested():
                return [self._hint()]
            case RetryRequested() if self.can_retry:
                return self._retry()
            case PauseRequested() if self.phase in ANSWERING_PHASES | {Phase.SPEAKING}:
                self._paused_while_speaking = self.phase is Phase.SPEAKING
                self.turn_id = next(_TURN_IDS)  # what was being said or heard is now stale
                commands = [StopSpeaking(), *self._interrupt_answering()]
                self.phase = Phase.PAUSED
                return commands
            case ResumeRequested() if self.phase is Phase.PAUSED:
                line = self.session.current_line
                if self._paused_while_speaking and line is not None:
                    return self._say(line, again=True)
                return self._await_reply()
            case EndRequested():
                self.turn_id = next(_TURN_IDS)
                commands = [StopSpeaking(), *self._interrupt_answering()]
                if not self.session.finished:
                    self.session.end_early()
                return commands + self._finish()
            case Interruption() if self.phase is Phase.SPEAKING and not self._closing:
                if self.mode is AnswerMode.HANDS_FREE:
                    return [StopSpeaking(), *self._await_reply()]
        return []

    # Steps -------------------------------------------------------------------------------

    @property
    def _hearing(self) -> bool:
        return self.phase in HEARING_PHASES

    @property
    def _transcribing(self) -> bool:
        return self.phase is Phase.TRANSCRIBING

    def _say(self, line: CustomerLine, again: bool = False) -> list[Command]:
        self.turn_id = next(_TURN_IDS)
        self.phase = Phase.SPEAKING
        if not again:
            self._hints_shown = 0
        voice = self.scenario.persona.voice
        return [Speak(self.turn_id, line, voice, again=again, closing=self._closing)]

    def _line_spoken(self, first_sound_at: float | None) -> list[Command]:
        commands: list[Command] = []
        waiting, self._gap_after = self._gap_after, None
        if waiting is not None and first_sound_at:
            number, speech_ended_at, checked = waiting
            gap_ms = max(0.0, (first_sound_at - speech_ended_at) * 1000)
            commands.append(SaveResponseGap(number, gap_ms))
            commands.append(ShowNote(answer_gap_note(gap_ms, checked)))
        if self._closing or self.session.finished:
            return commands + self._finish()
        return commands + self._await_reply()

    def _await_reply(self) -> list[Command]:
        # While the trainee answers, the customer's likely next lines are made ready to say.
        lines = tuple(likely_next_lines(self.session.conversation))
        commands: list[Command] = [PrepareLines(lines, self.scenario.persona.voice)]
        if self.mode is AnswerMode.PUSH_TO_TALK:
            self.phase = Phase.WAITING_TO_TALK
            return commands
        return commands + self._listen()

    def _listen(self) -> list[Command]:
        self.phase = {
            AnswerMode.HANDS_FREE: Phase.OPENING_MICROPHONE,
            AnswerMode.PUSH_TO_TALK: Phase.RECORDING,
            AnswerMode.TYPED: Phase.TYPING,
        }[self.mode]
        return [Listen(self.turn_id, self.mode)]

    def _heard(self, reply: HeardReply) -> list[Command]:
        muted = reply.is_empty and self._peak_level < SILENT_INPUT_LEVEL
        already_noted, self._muted_noted = self._muted_noted, muted
        if reply.is_empty:
            if muted and already_noted:
                return self._await_reply()
            note = ShowNote(MUTED, problem=True) if muted else ShowNote(NOT_CAUGHT)
            return [note, *self._await_reply()]
        if reply.transcript.is_uncertain:
            # The trainee fixes the words before they are scored, so a misheard word is never
            # graded as the trainee's mistake.
            self._unsure = reply
            self.phase = Phase.CONFIRMING
            return [AskToConfirm(self.turn_id, reply)]
        return self._score(reply)

    def _typed(self, text: str, confirming: bool) -> list[Command]:
        text = text.strip()
        unsure = self._unsure if self.phase is Phase.CONFIRMING else None
        if confirming and unsure is None:
            return []
        if unsure is not None:
            heard_text = text or unsure.transcript.text
            reply = replace(unsure, transcript=unsure.transcript.corrected(heard_text))
        elif not text:
            return []
        elif self.phase not in ANSWERING_PHASES:
            return [ShowNote("Wait for the customer to finish, then reply.")]
        else:
            reply = HeardReply.typed(text)
        commands = self._interrupt_answering()
        self.turn_id = next(_TURN_IDS)  # whatever the microphone was hearing is now stale
        return commands + self._score(reply)

    def _score(self, reply: HeardReply) -> list[Command]:
        self.phase = Phase.SCORING
        return [Score(self.turn_id, reply)]

    def _scored(self, reply: HeardReply, evaluation: Evaluation, seconds: float) -> list[Command]:
        turn = self.session.record(
            reply.transcript, evaluation, reply.voice, reply.timings, seconds
        )
        if reply.speech_ended_at is not None:
            checked = reply.transcript.original_text is not None
            self._gap_after = (turn.number, reply.speech_ended_at, checked)
        commands: list[Command] = [Save(turn, reply.samples), ShowFeedback(turn)]
        line = turn.outcome.line_to_say
        self._closing = turn.outcome.ending is not None
        if line is None:
            return commands + self._finish()
        return commands + self._say(line)

    def _interrupt_answering(self) -> list[Command]:
        """Stops listening or checking, so that the customer can speak again."""
        self._unsure = None
        return [StopListening()] if self._hearing else []

    def _hint(self) -> ShowHint:
        """First the stage's hint; asked again, an example of a good reply."""
        conversation = self.session.conversation
        self._hints_shown += 1
        if self._hints_shown == 1:
            return ShowHint("Hint", conversation.hint())
        return ShowHint("One way to say it", conversation.model_reply())

    def _retry(self) -> list[Command]:
        commands: list[Command] = [ReopenCall()] if self.phase is Phase.FINISHED else []
        commands += [StopSpeaking(), *self._interrupt_answering()]
        self._closing = False
        line = self.session.retry_last()
        note = ShowNote(RETRYING, in_conversation=True)
        return [*commands, note, *self._say(line, again=True)]

    def _finish(self) -> list[Command]:
        self.phase = Phase.FINISHED
        self._closing = False
        return [Finish(self.session.summary(), can_retry=self.can_retry)]


def with_typing_advice(problem: str) -> str:
    """A microphone problem, ending with what to do instead (unless it already says so)."""
    text = problem.rstrip(". ")
    if "type" not in text.lower():
        text += "; type your replies instead"
    return text + "."


def answer_gap_note(gap_ms: float, checked: bool) -> str:
    """How long the customer took to answer, in words a trainee reads at a glance."""
    seconds = gap_ms / 1000
    said = f"{seconds:.1f} s" if seconds < 10 else f"{seconds:.0f} s"
    note = f"The customer answered {said} after you stopped speaking"
    # A checked reply waited for the trainee: that time is theirs, not the customer's.
    return note + (", including your check of what was heard" if checked else "")
