"""The hot seat: who is called next, for how many replies, and what the room does with each
reply. It holds no turn loop: every seat is a call of its own, a `SessionMachine` run by the
same `CallExecutor` as any other call, with `SeatPresenter` in front of the front end's own
presenter. So each trainee's calls go into their own history like any other call.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from app.calls.presenter import Presenter
from app.core.call_events import AnswerMode, EndRequested, Event, Phase, ShowNote
from app.core.debrief import Debrief
from app.core.dialogue import CustomerLine
from app.core.reply import HeardReply
from app.core.scenario import Scenario
from app.core.session import CompletedTurn
from app.core.session_machine import SessionMachine
from app.core.voice import VoiceFeatures
from app.room.observers import ObserverRoom, Reply
from app.room.tally import Tally
from app.storage.rooms import Member, Override, RoomRecords


@dataclass(frozen=True)
class Seat:
    """One turn in the seat: the trainee called by name and the scenario they answer."""

    number: int
    trainee: str
    scenario: Scenario


def seat_plan(members: Sequence[Member], scenarios: Sequence[Scenario]) -> tuple[Seat, ...]:
    """Every trainee in roster order for the first scenario, then again for the next."""
    if not members:
        raise ValueError("the room needs at least one trainee")
    if not scenarios:
        raise ValueError("the room needs at least one scenario")
    seats = [(member.name, scenario) for scenario in scenarios for member in members]
    return tuple(Seat(n, name, scenario) for n, (name, scenario) in enumerate(seats, start=1))


@dataclass
class RoomReply:
    """A reply put up for rating, and where it is stored once its turn is saved."""

    reply: Reply
    session_id: int | None
    number: int
    attempt: int
    saved_ratings: bool = False


@dataclass
class HotSeat:
    """The room's rotation and its record. `records` is None for a room kept nowhere."""

    observers: ObserverRoom
    members: tuple[Member, ...]
    seats: tuple[Seat, ...]
    replies_per_seat: int | None  # None: a whole call each
    records: RoomRecords | None = None
    room_id: int | None = None
    show_problem: Callable[[str], None] = lambda _text: None
    replies: list[RoomReply] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._next = 0
        self.seat: Seat | None = None
        self._in_seat = 0  # replies given in the current seat

    @classmethod
    def open(
        cls,
        observers: ObserverRoom,
        members: Sequence[Member],
        scenarios: Sequence[Scenario],
        replies_per_seat: int | None,
        records: RoomRecords | None = None,
        show_problem: Callable[[str], None] = lambda _text: None,
    ) -> HotSeat:
        """Plans the seats and records the room's opening (when `records` is given)."""
        seats = seat_plan(members, scenarios)
        room_id = None
        if records is not None:
            room_id = records.open_room(observers.name, members, replies_per_seat)
        return cls(
            observers, tuple(members), seats, replies_per_seat, records, room_id, show_problem
        )

    @property
    def next_seat(self) -> Seat | None:
        return self.seats[self._next] if self._next < len(self.seats) else None

    def call_next(
        self,
        mode: AnswerMode,
        seed: int | None = None,
        voice_baseline: VoiceFeatures | None = None,
    ) -> tuple[Seat, SessionMachine]:
        """Call the next trainee to the seat: their call's machine, for the front end to run."""
        seat = self.next_seat
        if seat is None:
            raise LookupError("every trainee has had their turn in the seat")
        self._next += 1
        self.seat = seat
        self._in_seat = 0
        self.observers.call_to_seat(seat.trainee)
        return seat, SessionMachine(
            seat.scenario, mode=mode, seed=seed, voice_baseline=voice_baseline
        )

    def call_started(self, session_id: int | None) -> None:
        """The seat's call is in the database (and so in the trainee's history)."""
        if self.records is not None and self.room_id is not None and session_id is not None:
            self._keep(lambda records: records.add_call(self.room_id or 0, session_id))

    def reply_scored(self, turn: CompletedTurn, session_id: int | None) -> bool:
        """Put the reply up for the observers; True when the seat has given its replies."""
        self.save_ratings()
        assert self.seat is not None
        reply = Reply(
            id=len(self.replies) + 1,
            trainee=self.seat.trainee,
            customer_line=turn.customer_line.text,
            transcript=turn.transcript.text,
            machine_empathy=turn.evaluation.empathy,
            machine_composure=turn.evaluation.composure,
        )
        self.replies.append(RoomReply(reply, session_id, turn.number, turn.attempt))
        self.observers.open_reply(reply)
        self._in_seat += 1
        return self.replies_per_seat is not None and self._in_seat >= self.replies_per_seat

    def reveal(self, *, before_everyone: bool = False) -> Tally:
        tally = self.observers.reveal(before_everyone=before_everyone)
        self.save_ratings()
        return tally

    def override(
        self, empathy: int, composure: int, reason: str, reply_id: int | None = None
    ) -> Override:
        """The facilitator's scores for a reply (the latest unless `reply_id`), kept beside the
        machine's. ValueError for a bad score or reason, LookupError for an unknown reply."""
        if not self.replies:
            raise LookupError("there is no reply to change yet")
        chosen = self.replies[-1] if reply_id is None else self._reply(reply_id)
        if self.records is None:
            raise LookupError("this room is not kept in a database")
        turn_id = self.turn_id_of(chosen)
        if turn_id is None:
            raise LookupError("that reply is not saved yet: try again in a moment")
        return self.records.override(turn_id, empathy, composure, reason, self.room_id)

    def save_ratings(self) -> None:
        """The ratings of the reply on the projector, into the database (again when more came)."""
        if not self.replies or self.records is None or self.room_id is None:
            return
        latest = self.replies[-1]
        ratings = self.observers.ratings()
        turn_id = self.turn_id_of(latest)
        if not ratings or turn_id is None:
            return
        room_id = self.room_id
        if self._keep(lambda records: records.save_ratings(room_id, turn_id, ratings)):
            latest.saved_ratings = True

    def close(self) -> None:
        self.save_ratings()
        self.observers.close()
        if self.records is not None and self.room_id is not None:
            room_id = self.room_id
            self._keep(lambda records: records.close_room(room_id))

    def _reply(self, reply_id: int) -> RoomReply:
        for candidate in self.replies:
            if candidate.reply.id == reply_id:
                return candidate
        raise LookupError(f"there is no reply {reply_id} in this room")

    def turn_id_of(self, reply: RoomReply) -> int | None:
        if self.records is None or reply.session_id is None:
            return None
        return self.records.turn_id(reply.session_id, reply.number, reply.attempt)

    def _keep(self, write: Callable[[RoomRecords], None]) -> bool:
        assert self.records is not None
        try:
            write(self.records)
        except Exception as error:  # a locked database: said, and the room goes on
            self.show_problem(f"The room's record was not saved: {error}")
            return False
        return True


class SeatPresenter:
    """Shows a seat's call on the front end's presenter and on the observers' page, and ends
    the call once the seat has given its replies. `post` is the executor's."""

    def __init__(
        self,
        inner: Presenter,
        hot_seat: HotSeat,
        session_id: Callable[[], int | None],
        on_finished: Callable[[Debrief], None] = lambda _debrief: None,
    ) -> None:
        self.inner = inner
        self.hot_seat = hot_seat
        self._session_id = session_id
        self._on_finished = on_finished
        self.post: Callable[[Event], None] = lambda _event: None
        self._started = False

    def show_phase(self, phase: Phase) -> None:
        if not self._started and phase is not Phase.IDLE:
            self._started = True
            self.hot_seat.call_started(self._session_id())
        self.inner.show_phase(phase)

    def show_line(self, line: CustomerLine, again: bool) -> None:
        self.hot_seat.observers.show_caption(line.text)
        self.inner.show_line(line, again)

    def line_spoken(self, first_sound_at: float | None) -> None:
        self.inner.line_spoken(first_sound_at)

    def show_level(self, level: float) -> None:
        self.inner.show_level(level)

    def ask_for_typed_reply(self) -> None:
        self.inner.ask_for_typed_reply()

    def ask_to_confirm(self, reply: HeardReply) -> None:
        self.inner.ask_to_confirm(reply)

    def show_feedback(self, turn: CompletedTurn) -> None:
        self.inner.show_feedback(turn)
        if self.hot_seat.reply_scored(turn, self._session_id()):
            self.post(EndRequested())

    def show_hint(self, title: str, text: str) -> None:
        self.inner.show_hint(title, text)

    def show_note(self, note: ShowNote) -> None:
        self.inner.show_note(note)

    def call_finished(self, debrief: Debrief, can_retry: bool) -> None:
        self.hot_seat.save_ratings()
        # A seat's call is over for good: the next trainee takes the seat, no retrying.
        self.inner.call_finished(debrief, False)
        self._on_finished(debrief)
