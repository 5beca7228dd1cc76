"""What goes into the `SessionMachine` (events) and what comes out of it (commands).

Every value is frozen. Events that answer a command carry the command's `turn_id`; the machine
ignores any whose id is no longer current, which is how a typed reply safely overtakes a
recording, and how a pause, a retry or the end of the call make late results harmless.
Executors (the window, `practice`, `selftest`, `bench`) run the commands and post the events.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.core.dialogue import CustomerLine
from app.core.evaluation.result import Evaluation
from app.core.ports import Samples
from app.core.reply import HeardReply
from app.core.session import CallSummary, CompletedTurn


class AnswerMode(StrEnum):
    """How the trainee answers. The values are the settings file's spellings."""

    HANDS_FREE = "hands-free"
    PUSH_TO_TALK = "push-to-talk"
    TYPED = "typed"

    @property
    def label(self) -> str:
        return {"hands-free": "Hands-free", "push-to-talk": "Push-to-talk", "typed": "Typed"}[
            self.value
        ]


class Phase(StrEnum):
    """Where the call is. A string enum, so a phase compares equal to its name."""

    IDLE = "idle"
    SPEAKING = "speaking"  # the customer's line is being said
    OPENING_MICROPHONE = "opening_microphone"  # hands-free: waiting for sound to arrive
    LISTENING = "listening"  # hands-free: the trainee may speak
    WAITING_TO_TALK = "waiting_to_talk"  # push-to-talk: until the talk key is pressed
    RECORDING = "recording"  # push-to-talk: while the talk key is held
    TYPING = "typing"  # no microphone: the trainee types
    TRANSCRIBING = "transcribing"
    CONFIRMING = "confirming"  # the trainee checks words the recogniser was unsure of
    SCORING = "scoring"
    PAUSED = "paused"
    FINISHED = "finished"


HEARING_PHASES = frozenset({Phase.OPENING_MICROPHONE, Phase.LISTENING, Phase.RECORDING})
# The trainee's turn: the moments a reply, a repeat, a hint or a pause make sense.
ANSWERING_PHASES = HEARING_PHASES | {Phase.WAITING_TO_TALK, Phase.TYPING, Phase.CONFIRMING}
ACTIVE_PHASES = frozenset(Phase) - {Phase.IDLE, Phase.FINISHED}


# Events --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineSpoken:
    """The customer's line was said (or stopped); `first_sound_at` is the perf_counter moment
    its first sound played, when known."""

    turn_id: int
    first_sound_at: float | None = None


@dataclass(frozen=True)
class SpeechFailed:
    """The line could not be said aloud; the caption stands in for it."""

    turn_id: int
    message: str


@dataclass(frozen=True)
class SpeechStarted:
    """Sound is arriving from the microphone: the trainee can speak now."""

    turn_id: int


@dataclass(frozen=True)
class ReplyRecorded:
    """The microphone closed. `recording` is the hearer's own value, handed back to it by
    `Transcribe`; `peak_level` (0..1) tells a muted microphone from an unclear reply."""

    turn_id: int
    recording: object
    peak_level: float = 1.0


@dataclass(frozen=True)
class ReplyHeard:
    """The recorded reply as words (empty when nothing was understood)."""

    turn_id: int
    reply: HeardReply
    peak_level: float = 1.0


@dataclass(frozen=True)
class HearingFailed:
    """The microphone or the recogniser failed: the trainee types from now on."""

    turn_id: int
    message: str


@dataclass(frozen=True)
class ReplyTyped:
    """A typed reply. While the trainee is checking an unsure transcript, it is the correction."""

    text: str


@dataclass(frozen=True)
class TranscriptConfirmed:
    """The trainee checked an unsure transcript: `text` is what they said (maybe corrected)."""

    text: str


@dataclass(frozen=True)
class ReplyScored:
    """The evaluator's verdict on the reply `Score` asked about."""

    turn_id: int
    reply: HeardReply
    evaluation: Evaluation
    score_seconds: float = 0.0


@dataclass(frozen=True)
class TalkPressed:
    pass


@dataclass(frozen=True)
class TalkReleased:
    pass


@dataclass(frozen=True)
class RepeatRequested:
    pass


@dataclass(frozen=True)
class HintRequested:
    pass


@dataclass(frozen=True)
class RetryRequested:
    """Take back the last answer: the customer returns to where they were before it."""


@dataclass(frozen=True)
class PauseRequested:
    pass


@dataclass(frozen=True)
class ResumeRequested:
    pass


@dataclass(frozen=True)
class EndRequested:
    pass


@dataclass(frozen=True)
class Interruption:
    """The trainee started speaking while the customer was talking (barge-in): the line stops
    and the trainee is heard. `turn_id` is the line's."""

    turn_id: int


Event = (
    LineSpoken
    | SpeechFailed
    | SpeechStarted
    | ReplyRecorded
    | ReplyHeard
    | HearingFailed
    | ReplyTyped
    | TranscriptConfirmed
    | ReplyScored
    | TalkPressed
    | TalkReleased
    | RepeatRequested
    | HintRequested
    | RetryRequested
    | PauseRequested
    | ResumeRequested
    | EndRequested
    | Interruption
)


# Commands ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Speak:
    """Say the line (and show it as a caption); answer with LineSpoken or SpeechFailed.

    `again` is a repeat of a line already shown; `closing` is the customer's last words.
    """

    turn_id: int
    line: CustomerLine
    voice: str
    again: bool = False
    closing: bool = False


@dataclass(frozen=True)
class StopSpeaking:
    pass


@dataclass(frozen=True)
class PrepareLines:
    """Lines the customer may say next, to synthesise while the trainee answers."""

    lines: tuple[CustomerLine, ...]
    voice: str


@dataclass(frozen=True)
class Listen:
    """Hear the trainee: ReplyRecorded (or HearingFailed) follows. With `mode` TYPED there is
    no microphone: show the typing box and wait for ReplyTyped."""

    turn_id: int
    mode: AnswerMode


@dataclass(frozen=True)
class StopListening:
    """Abandon the recording under way (its result will be stale)."""


@dataclass(frozen=True)
class FinishRecording:
    """Push-to-talk released: end the recording and keep it."""


@dataclass(frozen=True)
class Transcribe:
    """Turn the recording into words: ReplyHeard follows."""

    turn_id: int
    recording: object


@dataclass(frozen=True)
class AskToConfirm:
    """Show the unsure transcript and wait for TranscriptConfirmed (or ReplyTyped)."""

    turn_id: int
    reply: HeardReply


@dataclass(frozen=True)
class Score:
    """Evaluate the reply (`SessionMachine.evaluate`) and post ReplyScored."""

    turn_id: int
    reply: HeardReply


@dataclass(frozen=True)
class Save:
    """Store the turn, before the customer answers it; `samples` is the reply's audio."""

    turn: CompletedTurn
    samples: Samples | None = None


@dataclass(frozen=True)
class SaveResponseGap:
    """How long the customer took to answer turn `number`, known once their line started."""

    number: int
    gap_ms: float


@dataclass(frozen=True)
class ReopenCall:
    """The answer that ended the call was taken back: the stored call is in progress again."""


@dataclass(frozen=True)
class ShowFeedback:
    turn: CompletedTurn


@dataclass(frozen=True)
class ShowHint:
    title: str
    text: str


@dataclass(frozen=True)
class ShowNote:
    """A message for the trainee: a passing status, unless it is to stay in the conversation
    (`in_conversation`) or is a `problem` (both, and marked as one)."""

    text: str
    problem: bool = False
    in_conversation: bool = False


@dataclass(frozen=True)
class Finish:
    """The call is over: store its end and show the debrief."""

    summary: CallSummary
    can_retry: bool


Command = (
    Speak
    | StopSpeaking
    | PrepareLines
    | Listen
    | StopListening
    | FinishRecording
    | Transcribe
    | AskToConfirm
    | Score
    | Save
    | SaveResponseGap
    | ReopenCall
    | ShowFeedback
    | ShowHint
    | ShowNote
    | Finish
)
