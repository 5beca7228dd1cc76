"""The end-of-turn decision: a short silence, then the sound and the words must both agree."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.audio.end_of_turn import TurnTaking, Verdict, verdict, words_sound_unfinished

RULES = TurnTaking()


@pytest.mark.parametrize(
    "text",
    [
        "I can see the payment on",
        "The extra charge is for the paper bill and",
        "I understand why you are worried, because",
        "Let me just look at the",
        "Your refund will go back to...",
        "So, um",
        "",
    ],
)
def test_words_that_stop_mid_sentence_sound_unfinished(text: str) -> None:
    assert words_sound_unfinished(text)


@pytest.mark.parametrize(
    "text",
    [
        "I can do that.",
        "I think so.",
        "Thank you.",
        "Yes.",
        "I will block the card straight away.",
        "Is there anything else that worries you?",
        "1, 2, 3.",
    ],
)
def test_sentences_that_end_sound_finished(text: str) -> None:
    assert not words_sound_unfinished(text)


def test_a_finished_sounding_reply_ends_at_the_short_silence() -> None:
    assert verdict(RULES, 0.2, 0.9, "I will block the card now.") is Verdict.FINISHED


def test_nothing_is_decided_before_the_short_silence() -> None:
    assert verdict(RULES, 0.19, 0.99, "I will block the card now.") is Verdict.WAIT


def test_it_waits_for_the_words_and_for_the_sound() -> None:
    assert verdict(RULES, 0.5, 0.9, None) is Verdict.WAIT
    assert verdict(RULES, 0.5, None, "I will block the card now.") is Verdict.WAIT


def test_an_unfinished_sound_keeps_listening_until_the_longest_pause() -> None:
    assert verdict(RULES, 1.9, 0.1, "And so, my fellow Americans.") is Verdict.WAIT
    assert verdict(RULES, 2.0, 0.1, "And so, my fellow Americans.") is Verdict.TIMED_OUT


def test_unfinished_words_overrule_a_finished_sound() -> None:
    assert verdict(RULES, 1.5, 0.99, "I can see the payment on") is Verdict.WAIT


def test_the_longest_pause_is_at_least_two_seconds() -> None:
    with pytest.raises(ValueError, match="at least 2 s"):
        TurnTaking(longest_pause=1.5)
    with pytest.raises(ValueError, match="grow"):
        TurnTaking(transcribe_after=0.3, judge_after=0.2)


@given(
    silence=st.floats(0, 5),
    probability=st.none() | st.floats(0, 1),
    words=st.none() | st.text(max_size=40),
)
def test_no_reply_is_ended_before_the_short_silence_or_kept_past_the_longest(
    silence: float, probability: float | None, words: str | None
) -> None:
    decided = verdict(RULES, silence, probability, words)
    if silence < RULES.judge_after:
        assert decided is Verdict.WAIT
    if silence >= RULES.longest_pause:
        assert decided is Verdict.TIMED_OUT
