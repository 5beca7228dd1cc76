"""Every transition of the SessionMachine: events in, commands out, no engines."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.call_events import (
    AnswerMode,
    AskToConfirm,
    Command,
    EndRequested,
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
from app.core.session_machine import MUTED, NOT_CAUGHT, RETRYING, SessionMachine
from tests.unit.machine_helpers import CURT, GOOD, answer, scenario, spoken


def phase(machine: SessionMachine) -> Phase:
    """Read afresh after each event (a plain attribute read would be narrowed by mypy)."""
    return machine.phase


def kinds(commands: list[Command]) -> list[type]:
    return [type(command) for command in commands]


def machine_at(tmp_path: Path, mode: AnswerMode = AnswerMode.HANDS_FREE) -> SessionMachine:
    machine = SessionMachine(scenario(tmp_path), mode=mode, seed=5)
    (speak,) = machine.start()
    assert isinstance(speak, Speak)
    return machine


def listening(tmp_path: Path) -> SessionMachine:
    machine = machine_at(tmp_path)
    machine.handle(LineSpoken(machine.turn_id, 1.0))
    machine.handle(SpeechStarted(machine.turn_id))
    assert phase(machine) is Phase.LISTENING
    return machine


def heard(machine: SessionMachine, text: str, unsure: bool = False) -> list[Command]:
    machine.handle(ReplyRecorded(machine.turn_id, text, 0.5))
    return machine.handle(ReplyHeard(machine.turn_id, spoken(text, unsure)))


def scored(machine: SessionMachine, commands: list[Command]) -> list[Command]:
    (score,) = commands
    assert isinstance(score, Score)
    return machine.handle(answer(machine, score, ""))  # type: ignore[arg-type]


def test_the_call_starts_with_the_customer_speaking(tmp_path: Path) -> None:
    machine = SessionMachine(scenario(tmp_path), seed=5)
    assert phase(machine) is Phase.IDLE and machine.handle(EndRequested()) == []
    (speak,) = machine.start()
    assert isinstance(speak, Speak) and not speak.again and speak.line.text
    assert phase(machine) is Phase.SPEAKING and machine.start() == []


@pytest.mark.parametrize(
    ("mode", "phase"),
    [
        (AnswerMode.HANDS_FREE, Phase.OPENING_MICROPHONE),
        (AnswerMode.PUSH_TO_TALK, Phase.WAITING_TO_TALK),
        (AnswerMode.TYPED, Phase.TYPING),
    ],
)
def test_after_the_line_the_trainee_answers_in_the_chosen_way(
    tmp_path: Path, mode: AnswerMode, phase: Phase
) -> None:
    machine = machine_at(tmp_path, mode)
    commands = machine.handle(LineSpoken(machine.turn_id, 1.0))
    assert machine.phase is phase
    assert isinstance(commands[0], PrepareLines) and commands[0].lines
    listens = [c for c in commands if isinstance(c, Listen)]
    assert listens == ([] if mode is AnswerMode.PUSH_TO_TALK else [Listen(machine.turn_id, mode)])


def test_push_to_talk_records_while_the_key_is_held(tmp_path: Path) -> None:
    machine = machine_at(tmp_path, AnswerMode.PUSH_TO_TALK)
    machine.handle(LineSpoken(machine.turn_id))
    assert machine.handle(TalkReleased()) == []
    assert machine.handle(TalkPressed()) == [Listen(machine.turn_id, AnswerMode.PUSH_TO_TALK)]
    assert phase(machine) is Phase.RECORDING
    assert machine.handle(TalkReleased()) == [FinishRecording()]


def test_a_clear_reply_is_transcribed_scored_saved_then_answered(tmp_path: Path) -> None:
    machine = listening(tmp_path)
    turn_id = machine.turn_id
    assert machine.handle(ReplyRecorded(turn_id, "audio", 0.5)) == [Transcribe(turn_id, "audio")]
    assert phase(machine) is Phase.TRANSCRIBING
    reply = spoken(GOOD)
    assert machine.handle(ReplyHeard(turn_id, reply)) == [Score(turn_id, reply)]
    assert phase(machine) is Phase.SCORING
    commands = machine.handle(ReplyScored(turn_id, reply, machine.evaluate(reply)))
    assert kinds(commands) == [Save, ShowFeedback, Speak]
    (turn,) = machine.session.turns
    assert commands[0] == Save(turn, None) and turn.transcript == reply.transcript
    assert phase(machine) is Phase.SPEAKING and machine.turn_id != turn_id


def test_an_unsure_reply_is_confirmed_and_corrected_before_scoring(tmp_path: Path) -> None:
    machine = listening(tmp_path)
    (ask,) = heard(machine, "I'll lock the card now", unsure=True)
    assert isinstance(ask, AskToConfirm) and phase(machine) is Phase.CONFIRMING
    (score,) = machine.handle(TranscriptConfirmed("I'll block the card now"))
    assert isinstance(score, Score)
    assert score.reply.transcript.text == "I'll block the card now"
    assert score.reply.transcript.original_text == "I'll lock the card now"


def test_a_typed_reply_while_confirming_is_the_correction(tmp_path: Path) -> None:
    machine = listening(tmp_path)
    heard(machine, "I'll lock the card now", unsure=True)
    (score,) = machine.handle(ReplyTyped("I'll block it"))
    assert isinstance(score, Score) and score.reply.transcript.original_text is not None
    assert machine.handle(TranscriptConfirmed("late")) == []  # nothing left to confirm


def test_nothing_heard_asks_again_and_a_silent_microphone_is_pointed_out(tmp_path: Path) -> None:
    machine = listening(tmp_path)
    commands = heard(machine, "")
    assert commands[0] == ShowNote(NOT_CAUGHT) and isinstance(commands[-1], Listen)
    machine.handle(SpeechStarted(machine.turn_id))
    machine.handle(ReplyRecorded(machine.turn_id, "", 0.0))
    commands = machine.handle(ReplyHeard(machine.turn_id, spoken("")))
    assert commands[0] == ShowNote(MUTED, problem=True)


def test_no_sound_is_said_once_and_again_only_after_sound_came_back(tmp_path: Path) -> None:
    machine = listening(tmp_path)

    def silent_wait(peak: float) -> list[object]:
        machine.handle(SpeechStarted(machine.turn_id))
        machine.handle(ReplyRecorded(machine.turn_id, "", peak))
        return list(machine.handle(ReplyHeard(machine.turn_id, spoken(""))))

    assert ShowNote(MUTED, problem=True) in silent_wait(0.0)
    again = silent_wait(0.0)
    assert not any(isinstance(command, ShowNote) for command in again)
    assert isinstance(again[-1], Listen)
    assert ShowNote(NOT_CAUGHT) in silent_wait(0.5)  # sound came back, nothing understood
    assert ShowNote(MUTED, problem=True) in silent_wait(0.0)


def test_a_failing_microphone_turns_the_call_to_typing(tmp_path: Path) -> None:
    machine = listening(tmp_path)
    note, listen = machine.handle(HearingFailed(machine.turn_id, "The microphone went away."))
    assert note == ShowNote("The microphone went away; type your replies instead.", problem=True)
    assert listen == Listen(machine.turn_id, AnswerMode.TYPED)
    assert phase(machine) is Phase.TYPING and machine.mode is AnswerMode.TYPED


def test_a_typed_reply_overtakes_the_recording_which_becomes_stale(tmp_path: Path) -> None:
    machine = listening(tmp_path)
    recording_id = machine.turn_id
    stop, score = machine.handle(ReplyTyped(GOOD))
    assert stop == StopListening() and isinstance(score, Score)
    assert score.reply.transcript.engine == "typed"
    assert machine.handle(ReplyRecorded(recording_id, "late", 0.5)) == []
    assert phase(machine) is Phase.SCORING


def test_typing_while_the_customer_speaks_is_refused(tmp_path: Path) -> None:
    machine = machine_at(tmp_path)
    assert machine.handle(ReplyTyped(GOOD)) == [
        ShowNote("Wait for the customer to finish, then reply.")
    ]
    assert machine.handle(ReplyTyped("   ")) == [] and phase(machine) is Phase.SPEAKING


def test_a_voice_failure_is_reported_once_and_the_call_goes_on(tmp_path: Path) -> None:
    machine = machine_at(tmp_path, AnswerMode.TYPED)
    commands = machine.handle(SpeechFailed(machine.turn_id, "no espeak"))
    assert isinstance(commands[0], ShowNote) and commands[0].problem
    assert phase(machine) is Phase.TYPING
    assert isinstance(scored(machine, machine.handle(ReplyTyped(GOOD)))[-1], Speak)
    again = machine.handle(SpeechFailed(machine.turn_id, "no espeak"))
    assert not any(isinstance(c, ShowNote) for c in again) and phase(machine) is Phase.TYPING


def test_repeat_says_the_line_again(tmp_path: Path) -> None:
    machine = listening(tmp_path)
    line = machine.session.current_line
    stop, speak = machine.handle(RepeatRequested())
    assert stop == StopListening()
    assert isinstance(speak, Speak) and speak.again and speak.line == line
    assert machine.handle(RepeatRequested()) == []  # not while the customer speaks


def test_hint_then_an_example_reply(tmp_path: Path) -> None:
    machine = listening(tmp_path)
    stage = machine.session.conversation.stage
    assert machine.handle(HintRequested()) == [ShowHint("Hint", stage.hint)]
    (example,) = machine.handle(HintRequested())
    assert isinstance(example, ShowHint) and example.text in stage.model_replies


def test_pause_makes_what_was_heard_stale_and_resume_listens_again(tmp_path: Path) -> None:
    machine = listening(tmp_path)
    heard_id = machine.turn_id
    assert machine.handle(PauseRequested()) == [StopSpeaking(), StopListening()]
    assert phase(machine) is Phase.PAUSED
    assert machine.handle(ReplyRecorded(heard_id, "late", 0.5)) == []
    assert machine.handle(PauseRequested()) == []
    commands = machine.handle(ResumeRequested())
    assert isinstance(commands[-1], Listen) and phase(machine) is Phase.OPENING_MICROPHONE


def test_a_pause_while_speaking_says_the_line_again_on_resume(tmp_path: Path) -> None:
    machine = machine_at(tmp_path)
    assert machine.handle(PauseRequested()) == [StopSpeaking()]
    (speak,) = machine.handle(ResumeRequested())
    assert isinstance(speak, Speak) and speak.again


def test_retry_restores_the_customer_and_the_next_answer_is_attempt_two(tmp_path: Path) -> None:
    machine = machine_at(tmp_path, AnswerMode.TYPED)
    trust, line = machine.session.trust, machine.session.current_line
    assert machine.handle(RetryRequested()) == []  # nothing to retry yet
    typed_turn(machine, CURT)
    commands = machine.handle(RetryRequested())
    assert ShowNote(RETRYING, in_conversation=True) in commands
    speak = commands[-1]
    assert isinstance(speak, Speak) and speak.again and speak.line == line
    assert machine.session.trust == trust and machine.session.turns == []
    machine.handle(LineSpoken(machine.turn_id))
    commands = scored(machine, machine.handle(ReplyTyped(GOOD)))
    assert isinstance(commands[0], Save) and commands[0].turn.attempt == 2


def typed_turn(machine: SessionMachine, text: str) -> list[Command]:
    """The customer's line is said, then the trainee's typed reply is scored."""
    commands = machine.handle(LineSpoken(machine.turn_id))
    if phase(machine) is Phase.FINISHED:
        return commands
    return scored(machine, machine.handle(ReplyTyped(text)))


def test_retry_after_the_customer_hung_up_reopens_the_call(tmp_path: Path) -> None:
    machine = machine_at(tmp_path, AnswerMode.TYPED)
    for _ in range(20):
        if phase(machine) is Phase.FINISHED:
            break
        typed_turn(machine, CURT)
    assert machine.session.ending is not None
    assert machine.session.ending.kind != "ended_early" and machine.can_retry
    commands = machine.handle(RetryRequested())
    assert commands[0] == ReopenCall() and isinstance(commands[-1], Speak)
    assert machine.active and machine.session.ending is None


def test_ending_the_call_stops_everything_and_finishes_once(tmp_path: Path) -> None:
    machine = listening(tmp_path)
    commands = machine.handle(EndRequested())
    assert kinds(commands) == [StopSpeaking, StopListening, Finish]
    finish = commands[-1]
    assert isinstance(finish, Finish) and finish.summary.ending.kind == "ended_early"
    assert not finish.can_retry and phase(machine) is Phase.FINISHED
    assert machine.handle(EndRequested()) == [] and machine.handle(RetryRequested()) == []


def test_an_interruption_stops_the_customer_and_listens(tmp_path: Path) -> None:
    machine = machine_at(tmp_path)
    commands = machine.handle(Interruption(machine.turn_id))
    assert commands[0] == StopSpeaking() and isinstance(commands[-1], Listen)
    typed = machine_at(tmp_path, AnswerMode.TYPED)
    assert typed.handle(Interruption(typed.turn_id)) == []


def test_the_response_gap_is_saved_once_the_customer_answers(tmp_path: Path) -> None:
    machine = listening(tmp_path)
    turn_id = machine.turn_id
    machine.handle(ReplyRecorded(turn_id, GOOD, 0.5))
    reply = spoken(GOOD, ended_at=100.0)
    machine.handle(ReplyHeard(turn_id, reply))
    machine.handle(ReplyScored(turn_id, reply, machine.evaluate(reply)))
    commands = machine.handle(LineSpoken(machine.turn_id, 100.25))
    assert commands[0] == SaveResponseGap(1, 250.0)


def test_the_answer_gap_is_told_in_seconds_and_a_check_is_not_blamed_on_the_customer() -> None:
    from app.core.session_machine import answer_gap_note

    assert answer_gap_note(1234.0, checked=False) == (
        "The customer answered 1.2 s after you stopped speaking"
    )
    checked = answer_gap_note(53348.0, checked=True)
    assert "53 s" in checked and "ms" not in checked and "your check" in checked


def test_the_closing_line_is_said_before_the_call_finishes(tmp_path: Path) -> None:
    machine = machine_at(tmp_path, AnswerMode.TYPED)
    speaks: list[Speak] = []
    while machine.session.ending is None:
        machine.handle(LineSpoken(machine.turn_id))
        reply = machine.session.conversation.model_reply()
        commands = scored(machine, machine.handle(ReplyTyped(reply)))
        speaks += [c for c in commands if isinstance(c, Speak)]
        assert not any(isinstance(c, Finish) for c in commands)
    assert machine.session.ending is not None and machine.session.ending.kind == "resolved"
    assert speaks[-1].closing and speaks[-1].line.text == machine.session.ending.line
    (finish,) = machine.handle(LineSpoken(machine.turn_id))
    assert isinstance(finish, Finish) and finish.summary.turn_count == len(machine.session.turns)
