"""The room's rules without the web: PINs, guesses, tokens, ratings, the reveal."""

from __future__ import annotations

import pytest

from app.room.observers import (
    NotRatable,
    ObserverRoom,
    RoomClosed,
    RoomRefusal,
    TooManyGuesses,
    UnknownObserver,
    WrongPin,
)
from app.room.pins import GuessLimiter, new_pin
from app.room.tally import machine_level
from tests.room.conftest import REPLY


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_pins_are_six_digits_and_vary() -> None:
    pins = {new_pin() for _ in range(200)}
    assert all(len(pin) == 6 and pin.isdigit() for pin in pins)
    assert len(pins) > 190


def test_wrong_guesses_lock_one_address_for_a_minute_then_let_it_try_again() -> None:
    clock = Clock()
    room = ObserverRoom("R", pin="123456", limiter=GuessLimiter(clock=clock))
    for _ in range(5):
        with pytest.raises(WrongPin):
            room.join("000000", "10.0.0.5")
    with pytest.raises(TooManyGuesses):
        room.join("123456", "10.0.0.5")  # even the right PIN, while locked out
    token, number = room.join("123456", "10.0.0.6")  # another phone is not held up
    assert number == 1 and token
    clock.now += 61
    assert room.join("123456", "10.0.0.5")[1] == 2


def test_guesses_from_many_addresses_are_limited_in_all() -> None:
    clock = Clock()
    room = ObserverRoom("R", pin="123456", limiter=GuessLimiter(clock=clock))
    for address in range(30):
        with pytest.raises(WrongPin):
            room.join("000000", f"10.0.1.{address}")
    with pytest.raises(TooManyGuesses):
        room.join("000001", "10.0.2.1")


def test_a_rating_counts_once_per_observer_and_the_reveal_waits_for_everyone() -> None:
    room = ObserverRoom("R", pin="123456")
    first, _ = room.join("123456", "a")
    second, _ = room.join("123456", "b")
    room.open_reply(REPLY)
    room.rate(first, REPLY.id, 1, 2, [])
    room.rate(first, REPLY.id, 3, 4, ["next_step", "next_step"])  # sent again: replaces
    assert room.rated_count == 1
    with pytest.raises(NotRatable, match="1 observer"):
        room.reveal()
    assert room.view(first)["tally"] is None
    room.rate(second, REPLY.id, 4, 4, ["acknowledges_feeling", "next_step"])
    tally = room.reveal()
    assert tally.ratings == 2
    assert tally.empathy.median == 3.5 and tally.empathy.counts == (0, 0, 0, 1, 1)
    assert tally.empathy.machine_score == 78 and tally.empathy.machine_level == 3
    assert tally.techniques == (("next_step", 2), ("acknowledges_feeling", 1))
    with pytest.raises(NotRatable, match="revealed"):
        room.rate(second, REPLY.id, 0, 0, [])


def test_the_facilitator_may_reveal_before_everyone_has_rated() -> None:
    room = ObserverRoom("R", pin="123456")
    token, _ = room.join("123456", "a")
    room.join("123456", "b")
    room.open_reply(REPLY)
    room.rate(token, REPLY.id, 2, 2, [])
    assert room.reveal(before_everyone=True).ratings == 1


def test_the_view_holds_back_the_machine_scores_until_the_reveal() -> None:
    room = ObserverRoom("R", pin="123456")
    token, _ = room.join("123456", "a")
    room.open_reply(REPLY)
    assert "78" not in repr(room.view(token)) and "90" not in repr(room.view(token))


@pytest.mark.parametrize(
    ("empathy", "composure", "techniques"),
    [(5, 2, []), (-1, 2, []), (2, True, []), (2, 2, ["made_up"])],
)
def test_out_of_range_ratings_are_refused(
    empathy: int, composure: int, techniques: list[str]
) -> None:
    room = ObserverRoom("R", pin="123456")
    token, _ = room.join("123456", "a")
    room.open_reply(REPLY)
    with pytest.raises(RoomRefusal):
        room.rate(token, REPLY.id, empathy, composure, techniques)
    assert room.rated_count == 0


def test_closing_the_room_ends_every_token() -> None:
    room = ObserverRoom("R", pin="123456")
    token, _ = room.join("123456", "a")
    room.close()
    with pytest.raises(RoomClosed):
        room.view(token)
    with pytest.raises(RoomClosed):
        room.join("123456", "a")


def test_a_token_of_another_room_is_unknown() -> None:
    first, second = ObserverRoom("A", pin="111111"), ObserverRoom("B", pin="222222")
    token, _ = first.join("111111", "a")
    with pytest.raises(UnknownObserver):
        second.view(token)


@pytest.mark.parametrize(
    ("score", "level"), [(0, 0), (12, 0), (13, 1), (37, 1), (38, 2), (62, 2), (63, 3), (88, 4)]
)
def test_the_machine_score_on_the_rubric_levels(score: int, level: int) -> None:
    assert machine_level(score) == level
