"""Random event sequences never break the turn loop's promises.

Each step either answers one outstanding command as an executor would, or sends an event a
trainee or a late engine could send at any moment (with the current turn id or a stale one).
Whatever the order, every turn is saved exactly once and before the customer's next line,
stale results change nothing, a retry restores the customer, and the call always ends.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.call_events import (
    AnswerMode,
    Command,
    EndRequested,
    Event,
    Finish,
    HearingFailed,
    HintRequested,
    Interruption,
    LineSpoken,
    Listen,
    PauseRequested,
    Phase,
    RepeatRequested,
    ReplyHeard,
    ReplyRecorded,
    ReplyTyped,
    ResumeRequested,
    RetryRequested,
    Save,
    Speak,
    SpeechFailed,
    SpeechStarted,
    TalkPressed,
    TalkReleased,
    TranscriptConfirmed,
)
from app.core.scenario import Scenario
from app.core.session_machine import SessionMachine
from tests.unit.machine_helpers import CURT, GOOD, answer, scenario, spoken

_SCENARIO: list[Scenario] = []


def _scenario() -> Scenario:
    if not _SCENARIO:
        with tempfile.TemporaryDirectory() as folder:
            _SCENARIO.append(scenario(Path(folder)))
    return _SCENARIO[0]


REPLIES = st.sampled_from([GOOD, CURT, "", "I'll ~lock~ the card", "OK.", "model", "model"])
USER_EVENTS: list[Event] = [
    TalkPressed(),
    TalkReleased(),
    RepeatRequested(),
    HintRequested(),
    RetryRequested(),
    PauseRequested(),
    ResumeRequested(),
    EndRequested(),
]


def _engine_event(kind: int, turn_id: int, text: str) -> Event:
    events: list[Event] = [
        LineSpoken(turn_id, 5.0),
        SpeechFailed(turn_id, "no voice"),
        SpeechStarted(turn_id),
        ReplyRecorded(turn_id, text, 0.5),
        ReplyHeard(turn_id, spoken(text)),
        HearingFailed(turn_id, "unplugged"),
        Interruption(turn_id),
    ]
    return events[kind % 7]


class Checked:
    """A machine whose every batch of commands is checked against the promises."""

    def __init__(self, mode: AnswerMode) -> None:
        self.machine = SessionMachine(_scenario(), mode=mode, seed=3)
        self.saved: list[tuple[int, int]] = []
        self.finishes = 0
        self.outstanding: list[Command] = []
        self.take(self.machine.start())

    def send(self, event: Event) -> None:
        machine = self.machine
        stale = getattr(event, "turn_id", machine.turn_id) != machine.turn_id
        before = (machine.phase, len(machine.session.turns), machine.session.trust)
        retried = machine.session.turns[-1] if machine.session.turns else None
        commands = machine.handle(event)
        if stale:
            assert commands == []
            after = (machine.phase, len(machine.session.turns), machine.session.trust)
            assert after == before
        if isinstance(event, RetryRequested) and commands:
            assert retried is not None
            assert machine.session.trust == retried.outcome.trust_before
            assert machine.session.current_line == retried.customer_line
        self.take(commands)

    def take(self, commands: list[Command]) -> None:
        saves = [i for i, command in enumerate(commands) if isinstance(command, Save)]
        new_turn = self.machine.session.turns[-1] if self.machine.session.turns else None
        for index in saves:
            turn = commands[index].turn  # type: ignore[union-attr]
            self.saved.append((turn.number, turn.attempt))
            # The turn is saved before anything the customer says next.
            assert all(not isinstance(c, Speak) for c in commands[:index])
            assert turn is new_turn
        self.finishes += sum(isinstance(command, Finish) for command in commands)
        self.outstanding = commands or self.outstanding

    def answer_one(self, text: str) -> None:
        for command in self.outstanding:
            if isinstance(command, Listen) and text == "model":
                text = self.machine.session.conversation.model_reply()
            event = answer(self.machine, command, text or "model")
            if event is not None:
                self.outstanding = []
                self.send(event)
                return


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    mode=st.sampled_from(list(AnswerMode)),
    steps=st.lists(
        st.tuples(st.integers(0, 19), st.integers(0, 7), REPLIES, st.booleans()),
        min_size=30,
        max_size=150,
    ),
)
def test_random_events_keep_every_promise(
    mode: AnswerMode, steps: list[tuple[int, int, str, bool]]
) -> None:
    call = Checked(mode)
    machine = call.machine
    for choice, kind, text, stale in steps:
        if choice <= 11:
            call.answer_one(text)
        elif choice <= 14:
            turn_id = machine.turn_id - 1 if stale else machine.turn_id
            call.send(_engine_event(kind, turn_id, text))
        elif choice <= 16:
            call.send(TranscriptConfirmed(text) if stale else ReplyTyped(text))
        else:
            call.send(USER_EVENTS[kind])

    # The call always ends: the trainee ends it, or it has ended already.
    call.send(EndRequested())
    if machine.phase is Phase.SPEAKING:
        call.send(LineSpoken(machine.turn_id))
    assert machine.phase is Phase.FINISHED and call.finishes >= 1
    kept = [(turn.number, turn.attempt) for turn in machine.session.turns]
    tried = [(turn.number, turn.attempt) for turn in machine.session.retried]
    # Each turn, and each earlier attempt of one, was saved exactly once.
    assert sorted(call.saved) == sorted(kept + tried)
    assert len(set(call.saved)) == len(call.saved)
