"""Scripted calls through every shipped scenario and the real scorer: the customer holds the
trainee to a promise, names a dodged question, and moves on only when the reply earned it."""

from __future__ import annotations

import pytest

from app.core.scenario import Scenario, load_scenarios
from app.core.session import CompletedTurn, PracticeSession
from app.core.transcript import Transcript
from app.paths import SHIPPED_SCENARIOS_DIR

LIBRARY, _ERRORS = load_scenarios([SHIPPED_SCENARIOS_DIR])
BY_ID = {scenario.id: scenario for scenario in LIBRARY}
WARM = "I can hear how worrying this is, and you're right to be careful."
PROMISE = "I'll add a note to your account now."
DODGE = "Okay."


def said(turn: CompletedTurn) -> str:
    outcome = turn.outcome
    assert outcome.next_line is not None, f"the call ended: {outcome.ending}"
    return outcome.next_line.text


def reply(session: PracticeSession, text: str) -> CompletedTurn:
    return session.submit(Transcript.typed(text))


def stage_reply(session: PracticeSession) -> str:
    """The current stage's first model reply, as written (not answering any follow-up)."""
    return session.conversation.stage.model_replies[0]


@pytest.fixture(params=sorted(BY_ID))
def scenario(request: pytest.FixtureRequest) -> Scenario:
    return BY_ID[request.param]


def test_a_promise_made_and_broken_is_followed_up_thrown_back_and_costs_trust(
    scenario: Scenario,
) -> None:
    promised, control = PracticeSession(scenario, seed=3), PracticeSession(scenario, seed=3)
    promised.opening(), control.opening()
    reply(promised, f"{WARM} {PROMISE}"), reply(control, WARM)
    # A good answer to the next question, which says nothing of the promise ...
    follow_up = said(reply(promised, stage_reply(promised)))
    reply(control, stage_reply(control))
    # ... so the customer asks whether it happened ...
    assert "You said you'd add a note to my account. Has that happened?" in follow_up, follow_up
    # ... and an answer that ignores the question breaks it: they say so, and trust falls.
    broken = reply(promised, stage_reply(promised))
    kept_quiet = reply(control, stage_reply(control))
    assert "add a note to my account" in said(broken)
    # The same words cost trust when they break a promise, compared with the same call without
    # one (where they earn what they earn).
    broken_change = broken.outcome.trust_after - broken.outcome.trust_before
    quiet_change = kept_quiet.outcome.trust_after - kept_quiet.outcome.trust_before
    assert broken_change <= quiet_change - 5, (broken.outcome, kept_quiet.outcome)


def test_a_promise_kept_when_asked_is_not_thrown_back(scenario: Scenario) -> None:
    session = PracticeSession(scenario, seed=3)
    session.opening()
    reply(session, f"{WARM} {PROMISE}")
    reply(session, stage_reply(session))
    assert "Yes, that's done." in session.conversation.model_reply()
    kept = reply(session, "Yes, that's done: I've added the note. " + stage_reply(session))
    after = kept.outcome.next_line.text if kept.outcome.next_line else kept.outcome.ending
    assert "add a note" not in str(after)
    assert session.conversation.memory.promises[0].state == "kept"


def test_a_question_dodged_twice_is_named_and_the_stage_is_not_left(scenario: Scenario) -> None:
    session = PracticeSession(scenario, seed=5)
    session.opening()
    first_stage = scenario.stages[0]
    named = next(c for c in scenario.concerns if c.id == first_stage.concern).unanswered
    once = reply(session, DODGE)
    assert once.outcome.next_line is not None
    assert once.outcome.next_line.stage_id == first_stage.id
    assert not any(line in said(once) for line in named)
    twice = reply(session, DODGE)
    # An expert customer may hang up here, naming the question on the way out.
    outcome = twice.outcome
    words = outcome.next_line.text if outcome.next_line else outcome.ending.line  # type: ignore[union-attr]
    assert outcome.next_line is None or outcome.next_line.stage_id == first_stage.id
    # (After a reply that did not answer, the customer may first say so.)
    assert any(line in words for line in named), words
    assert outcome.trust_after <= once.outcome.trust_after


def test_warmth_that_answers_nothing_does_not_move_the_customer_on(scenario: Scenario) -> None:
    session = PracticeSession(scenario, seed=7)
    session.opening()
    turn = reply(session, WARM)
    assert turn.outcome.next_line is not None
    assert turn.outcome.next_line.stage_id == scenario.stages[0].id


def test_every_pressed_concern_can_be_named_when_dodged(scenario: Scenario) -> None:
    pressed = {stage.concern for stage in scenario.stages}
    for concern in scenario.concerns:
        if concern.id in pressed:
            assert concern.unanswered, f"{scenario.id}: {concern.id} has no unanswered lines"
