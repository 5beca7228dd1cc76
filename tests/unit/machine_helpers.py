"""Building blocks for the SessionMachine's tests: replies as a recogniser would give them, and
the answer a faithful executor would post for each command."""

from __future__ import annotations

from pathlib import Path

from app.core.call_events import (
    AskToConfirm,
    Command,
    Event,
    LineSpoken,
    Listen,
    ReplyHeard,
    ReplyRecorded,
    ReplyScored,
    ReplyTyped,
    Score,
    Speak,
    Transcribe,
    TranscriptConfirmed,
)
from app.core.reply import HeardReply
from app.core.scenario import Scenario
from app.core.session_machine import SessionMachine
from app.core.transcript import Transcript, Word
from app.scenario_library import scenario_by_id

GOOD = "I can hear how worrying this is, and you're right to be careful. I'll block the card now."
CURT = "Calm down, it's just policy. Give me your card number and your PIN."


def scenario(tmp_path: Path) -> Scenario:
    return scenario_by_id(tmp_path, "unrecognised-charge")


def spoken(text: str, unsure: bool = False, ended_at: float | None = 100.0) -> HeardReply:
    """A reply as the recogniser heard it; `unsure` makes its words doubtful."""
    words = tuple(
        Word(word, 0.4 * index, 0.4 * index + 0.3, 0.2 if unsure else 0.9)
        for index, word in enumerate(text.split())
    )
    transcript = Transcript(text, "whisper", 0.9 if text else 0.0, words, 2.0, 0.1)
    return HeardReply(transcript, None, 2.0, 0.1, speech_ended_at=ended_at if text else None)


def answer(machine: SessionMachine, command: Command, text: str) -> Event | None:
    """What a faithful executor posts after running the command (None: nothing to post)."""
    match command:
        case Speak(turn_id=turn_id):
            return LineSpoken(turn_id, 101.0)
        case Listen(turn_id=turn_id, mode=mode) if mode != "typed":
            return ReplyRecorded(turn_id, text, 0.5)
        case Listen():
            return ReplyTyped(text)
        case Transcribe(turn_id=turn_id, recording=recording):
            return ReplyHeard(turn_id, spoken(str(recording), unsure="~" in str(recording)))
        case AskToConfirm(reply=reply):
            return TranscriptConfirmed(reply.transcript.text.replace("~", ""))
        case Score(turn_id=turn_id, reply=reply):
            return ReplyScored(turn_id, reply, machine.evaluate(reply))
    return None


def run_until_quiet(machine: SessionMachine, commands: list[Command], replies: list[str]) -> None:
    """Answers every command as an executor would, replying with `replies` in turn; stops
    when the trainee has nothing more to say or the call is over."""
    pending = list(commands)
    while pending:
        command = pending.pop(0)
        text = ""
        if isinstance(command, Listen):
            if not replies:
                continue  # the trainee stays silent: the machine waits
            text = replies.pop(0)
        event = answer(machine, command, text)
        if event is not None:
            pending.extend(machine.handle(event))
