"""Property test: whatever a trainee says, every shipped customer keeps going without a crash,
never repeats a line, and the call ends within its turn limit."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.scenario import load_scenarios
from app.core.session import PracticeSession
from app.core.transcript import Transcript
from app.paths import SHIPPED_SCENARIOS_DIR

SCENARIOS, _ERRORS = load_scenarios([SHIPPED_SCENARIOS_DIR])

# Pieces a reply is built from: good technique, bad habits, and plain noise.
PHRASES = [
    "I can hear how worrying this is.",
    "You're right to be careful.",
    "I'll block the card now and call you back by five.",
    "Calm down, it's just policy.",
    "That's not my problem.",
    "Give me your PIN.",
    "Um, like, I don't know.",
    "WHY ARE YOU SHOUTING",
    "Let me explain what happened: the payment was flagged.",
    "Is there anything else I can help with?",
]
replies = st.lists(
    st.one_of(st.sampled_from(PHRASES), st.text(min_size=1, max_size=80)),
    min_size=1,
    max_size=4,
).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(
    scenario_index=st.integers(0, len(SCENARIOS) - 1),
    seed=st.integers(0, 10_000),
    answers=st.lists(replies, min_size=1, max_size=60),
)
def test_any_replies_end_the_call_within_its_limit_without_repeating(
    scenario_index: int, seed: int, answers: list[str]
) -> None:
    scenario = SCENARIOS[scenario_index]
    session = PracticeSession(scenario, seed=seed)
    said = [session.opening().text]
    for answer in answers:
        if session.finished:
            break
        if not answer.strip():
            continue
        turn = session.submit(Transcript.typed(answer))
        assert 0 <= turn.evaluation.empathy <= 100 and 0 <= turn.evaluation.composure <= 100
        if turn.outcome.next_line is not None:
            said.append(turn.outcome.next_line.text)
    assert len(session.turns) <= scenario.max_turns
    assert len(said) == len(set(said))
    if len(session.turns) == scenario.max_turns:
        assert session.finished


def test_every_shipped_scenario_loads() -> None:
    assert len(SCENARIOS) >= 10 and not _ERRORS
