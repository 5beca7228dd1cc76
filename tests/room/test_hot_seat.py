"""The hot seat over the real SessionMachine and CallExecutor: the next trainee is called by
name, a seat ends after its replies, each reply goes up for rating, and the ratings and the
facilitator's change are stored against the right turn."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.audio.speaker import CaptionsOnly
from app.calls.executor import CallExecutor
from app.calls.presenter import QuietPresenter
from app.core.call_events import AnswerMode, ReplyTyped
from app.paths import database_path
from app.room.hot_seat import HotSeat, SeatPresenter, seat_plan
from app.room.observers import ObserverRoom
from app.scenario_library import scenario_by_id
from app.storage import SessionStore
from app.storage.call_record import CallRecord
from app.storage.rooms import Member, RoomRecords

MEMBERS = (Member("Ana"), Member("Ben", True, "Benji"))
REPLY = "I can hear how worrying that is. I'll block the card now and call you back by five."


def test_every_trainee_sits_once_per_scenario_in_roster_order(private_data_dir: Path) -> None:
    first = scenario_by_id(private_data_dir, "unrecognised-charge")
    second = scenario_by_id(private_data_dir, "missing-refund")
    plan = seat_plan(MEMBERS, [first, second])
    assert [(seat.number, seat.trainee, seat.scenario.id) for seat in plan] == [
        (1, "Ana", "unrecognised-charge"),
        (2, "Ben", "unrecognised-charge"),
        (3, "Ana", "missing-refund"),
        (4, "Ben", "missing-refund"),
    ]
    with pytest.raises(ValueError):
        seat_plan([], [first])
    with pytest.raises(ValueError):
        seat_plan(MEMBERS, [])


def test_a_seat_of_two_replies_runs_on_the_session_machine(private_data_dir: Path) -> None:
    scenario = scenario_by_id(private_data_dir, "unrecognised-charge")
    observers = ObserverRoom("Thursday group", pin="123456")
    token, _ = observers.join("123456", "phone")
    with SessionStore.open(database_path(private_data_dir)) as store:
        records = RoomRecords(store.db)
        hot_seat = HotSeat.open(observers, MEMBERS, [scenario], 2, records)
        record = CallRecord(store, pytest.fail)
        seat, machine = hot_seat.call_next(AnswerMode.TYPED, seed=3)
        assert seat.trainee == "Ana" and observers.projector().seat == "Ana"
        presenter = SeatPresenter(QuietPresenter(), hot_seat, lambda: record.session_id)
        executor = CallExecutor(machine, record, CaptionsOnly(), None, presenter)
        presenter.post = executor.post
        executor.start(seat.trainee)
        opening = machine.session.current_line
        assert opening is not None and observers.projector().caption == opening.text
        executor.post(ReplyTyped(REPLY))
        assert observers.reply is not None and observers.reply.trainee == "Ana"
        observers.rate(token, observers.reply.id, 3, 4, ["next_step"])
        hot_seat.reveal()
        executor.post(ReplyTyped("Please hold while I check that for you."))
        assert not machine.active  # two replies: the seat is over
        assert hot_seat.next_seat is not None and hot_seat.next_seat.trainee == "Ben"
        hot_seat.override(2, 3, "Did not say when the check would be done")
        hot_seat.close()

        [call] = store.sessions("Ana")
        assert call.turn_count == 2 and call.ending == "ended_early"
        [room] = records.rooms()
        assert records.call_ids(room.id) == [call.id]
        turns = store.call_turns(call.id)
        assert [len(records.ratings(room.id).get(t.id, [])) for t in turns] == [1, 0]
        assert turns[0].override is None
        assert turns[1].override is not None and turns[1].override.empathy == 2
