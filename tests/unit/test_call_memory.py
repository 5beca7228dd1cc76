"""The customer's memory of the call: promises heard, held to, kept or broken."""

from __future__ import annotations

import pytest

from app.core.call_memory import (
    PROMISE_BROKEN_POINTS,
    PROMISE_KEPT_POINTS,
    CallMemory,
    promises_in,
)


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ("I'll block the card now.", [("block the card", "block")]),
        (
            "I\u2019ll block your card right now and call you back by five.",
            [("block my card", "block")],
        ),
        (
            "We will refund the fee to your account today.",
            [("refund the fee to my account today", "refund")],
        ),
        (
            "I'm going to send you an email with the reference.",
            [("send me an email with the reference", "send")],
        ),
        ("Let me cancel the speed boost for you.", [("cancel the speed boost", "cancel")]),
    ],
)
def test_commitments_are_heard_and_turned_round_to_be_said_back(
    reply: str, expected: list[tuple[str, str]]
) -> None:
    assert promises_in(reply) == expected


@pytest.mark.parametrize(
    "reply",
    [
        "I'll be honest with you, it was our mistake.",
        "I'll explain what happened.",
        "Let me ask you one question.",
        "I'll try my best.",
        "I understand how worrying this is.",
        "You'll have it by Friday.",
    ],
)
def test_talk_about_the_call_is_not_a_promise(reply: str) -> None:
    assert promises_in(reply) == []


def test_a_promise_is_followed_up_from_the_next_turn_and_once() -> None:
    memory = CallMemory()
    memory.hear("I'll block the card now.", 1, "fraud", concern_answered=True)
    assert memory.follow_up(1) == ""  # the trainee has not had a reply in which to do it
    memory.hear("Let me see.", 2, "scam-call", concern_answered=False)
    assert memory.follow_up(2) == "You said you'd block the card. Has that happened?"
    assert memory.awaiting_answer(2) is not None
    assert memory.follow_up(3) == ""


@pytest.mark.parametrize(
    ("answer", "state", "points"),
    [
        ("Yes, that's done: the card is stopped.", "kept", PROMISE_KEPT_POINTS),
        ("I've blocked it, yes.", "kept", PROMISE_KEPT_POINTS),
        ("Not yet, I'm afraid.", "broken", PROMISE_BROKEN_POINTS),
        ("I can't block it from here, sorry.", "broken", PROMISE_BROKEN_POINTS),
        ("Is there anything else I can help with?", "broken", PROMISE_BROKEN_POINTS),
    ],
)
def test_the_answer_to_a_follow_up_keeps_or_breaks_the_promise(
    answer: str, state: str, points: float
) -> None:
    memory = CallMemory()
    memory.hear("I'll block the card now.", 1, "fraud", concern_answered=True)
    memory.hear("Okay.", 2, "scam-call", concern_answered=False)
    memory.follow_up(2)
    recollection = memory.hear(answer, 3, "scam-call", concern_answered=False)
    assert memory.promises[0].state == state
    assert recollection.trust_points == points
    if state == "broken":
        assert "block the card" in memory.broken_remark()
    else:
        assert memory.broken_remark() == ""


def test_a_promise_done_unprompted_is_kept_and_never_asked_about() -> None:
    memory = CallMemory()
    memory.hear("I'll block the card now.", 1, "fraud", concern_answered=True)
    assert memory.hear("The card is blocked.", 2, "data", True).kept
    assert memory.follow_up(3) == ""


def test_saying_it_cannot_be_done_breaks_the_promise_without_being_asked() -> None:
    memory = CallMemory()
    memory.hear("I'll refund the fee today.", 1, "fee", concern_answered=True)
    recollection = memory.hear("Actually I can't refund it, it's policy.", 2, "fee", True)
    assert recollection.broken and memory.broken_remark().startswith("You said you'd refund")


def test_a_later_negation_about_something_else_breaks_nothing() -> None:
    memory = CallMemory()
    memory.hear("I'll block the card now.", 1, "fraud", concern_answered=True)
    recollection = memory.hear("We will never ask for your PIN, and I can't see it.", 2, "x", True)
    assert not recollection.broken and memory.promises[0].state == "open"


def test_a_question_dodged_twice_in_a_row_is_named_once_per_line() -> None:
    memory = CallMemory()
    lines = ("You still haven't told me why.", "I asked why, twice.")
    memory.hear("Okay.", 1, "why", concern_answered=False)
    assert memory.unanswered("why", lines) == ""
    memory.hear("Right.", 2, "why", concern_answered=False)
    assert memory.unanswered("why", lines) == lines[0]
    memory.hear("Hmm.", 3, "why", concern_answered=False)
    assert memory.unanswered("why", lines) == lines[1]
    assert memory.unanswered("why", lines) == ""
    memory.hear("Because the bank checks it.", 4, "why", concern_answered=True)
    assert memory.dodges == {}


def test_a_copy_is_independent() -> None:
    memory = CallMemory()
    memory.hear("I'll block the card now.", 1, "fraud", concern_answered=True)
    twin = memory.copy()
    twin.hear("Okay.", 2, "x", False)
    twin.follow_up(2)
    assert memory.promises[0].asked_on_turn is None and memory.dodges == {}
