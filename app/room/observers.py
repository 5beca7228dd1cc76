"""What the observers of one open room share: the projector's text, the reply being rated, each
observer's rating of it, and the tally once the facilitator reveals it.

The facilitator's side (window or `room serve`) and the web server's thread both call in, so
every method takes the lock. Observers see only what the projector shows: the trainee in the
seat, the customer's line, the reply's words and, after the reveal, the tally.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from app.room.pins import GuessLimiter, new_pin, new_token, same_secret
from app.room.tally import Tally, tally
from app.room.techniques import TECHNIQUES
from app.storage.rooms import ObserverRating, check_level

MAX_OBSERVERS = 100
TECHNIQUES_ALLOWED = frozenset(TECHNIQUES)


class RoomRefusal(Exception):
    """A request the room turns down, said in one line; `status` is the HTTP status for it."""

    status = 400


class WrongPin(RoomRefusal):
    status = 403


class TooManyGuesses(RoomRefusal):
    status = 429

    def __init__(self, wait_seconds: float) -> None:
        super().__init__(f"too many wrong PINs: try again in {wait_seconds:.0f} s")
        self.wait_seconds = wait_seconds


class UnknownObserver(RoomRefusal):
    status = 401


class RoomClosed(RoomRefusal):
    status = 410


class NotRatable(RoomRefusal):
    status = 409


@dataclass(frozen=True)
class Reply:
    """A trainee's reply on the projector. The machine's scores are kept back until the reveal,
    so that no one anchors on them."""

    id: int
    trainee: str
    customer_line: str
    transcript: str
    machine_empathy: int
    machine_composure: int


@dataclass(frozen=True)
class ProjectorState:
    """What the projector shows, which is all an observer may see too."""

    version: int
    name: str
    pin: str
    seat: str
    caption: str
    reply: Reply | None
    rated: int
    observers: int
    tally: Tally | None
    closed: bool


@dataclass
class ObserverRoom:
    """One open room. `pin` is what observers type; `key` tells this room's tokens from any
    other room's."""

    name: str
    pin: str = field(default_factory=new_pin)
    key: str = field(default_factory=lambda: secrets.token_hex(8))
    limiter: GuessLimiter = field(default_factory=GuessLimiter)
    on_change: Callable[[], None] = lambda: None

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._news = threading.Condition(self._lock)
        self._tokens: dict[str, int] = {}  # token -> observer number (1, 2, ...)
        self._seat = ""  # the trainee called to the seat
        self._caption = ""  # the customer's line being said
        self._reply: Reply | None = None
        self._ratings: dict[int, ObserverRating] = {}  # observer -> rating of the reply
        self._revealed: Tally | None = None
        self._closed = False
        self.version = 0  # goes up with every change the page shows

    # Observers --------------------------------------------------------------------------

    def join(self, pin: str, address: str) -> tuple[str, int]:
        """A new observer's token and number, for the right PIN from an address not locked out."""
        with self._lock:
            self._check_open()
            wait = self.limiter.blocked(address)
            if wait > 0:
                raise TooManyGuesses(wait)
            if not same_secret(pin, self.pin):
                self.limiter.wrong_guess(address)
                raise WrongPin("wrong PIN: read it again from the projector")
            if len(self._tokens) >= MAX_OBSERVERS:
                raise RoomRefusal("the room is full")
            token = new_token()
            observer = len(self._tokens) + 1
            self._tokens[token] = observer
            self._changed()
            return token, observer

    def observer(self, token: str) -> int:
        """The observer holding this token; UnknownObserver for any other token."""
        with self._lock:
            self._check_open()
            return self._observer(token)

    def rate(
        self, token: str, reply_id: int, empathy: int, composure: int, techniques: Iterable[str]
    ) -> ObserverRating:
        """Rate the reply on the projector. Sent again before the reveal, it replaces the
        observer's earlier rating; after the reveal, or for another reply, it is refused."""
        ticked = tuple(dict.fromkeys(techniques))
        unknown = [name for name in ticked if name not in TECHNIQUES_ALLOWED]
        if unknown:
            raise RoomRefusal(f"unknown technique {unknown[0][:40]!r}")
        try:
            check_level(empathy, "empathy")
            check_level(composure, "composure")
        except ValueError as error:
            raise RoomRefusal(str(error)) from None
        with self._lock:
            self._check_open()
            observer = self._observer(token)
            reply = self._reply
            if reply is None or reply.id != reply_id:
                raise NotRatable("that reply is no longer on the projector")
            if self._revealed is not None:
                raise NotRatable("the tally is already revealed")
            rating = ObserverRating(observer, empathy, composure, ticked)
            self._ratings[observer] = rating
            self._changed()
            return rating

    def view(self, token: str) -> dict[str, object]:
        """What one observer's page shows: the projector's text, their own rating, the tally."""
        with self._lock:
            self._check_open()
            observer = self._observer(token)
            reply = self._reply
            mine = self._ratings.get(observer)
            return {
                "version": self.version,
                "room": self.name,
                "observer": observer,
                "seat": self._seat,
                "caption": self._caption,
                "reply": None
                if reply is None
                else {
                    "id": reply.id,
                    "trainee": reply.trainee,
                    "customer_line": reply.customer_line,
                    "transcript": reply.transcript,
                },
                "mine": None
                if mine is None
                else {
                    "empathy": mine.empathy,
                    "composure": mine.composure,
                    "techniques": list(mine.techniques),
                },
                "rated": len(self._ratings),
                "observers": len(self._tokens),
                "tally": None if self._revealed is None else self._revealed.to_json(),
            }

    # The facilitator's side -------------------------------------------------------------------

    def projector(self) -> ProjectorState:
        with self._lock:
            return ProjectorState(
                version=self.version,
                name=self.name,
                pin=self.pin,
                seat=self._seat,
                caption=self._caption,
                reply=self._reply,
                rated=len(self._ratings),
                observers=len(self._tokens),
                tally=self._revealed,
                closed=self._closed,
            )

    def call_to_seat(self, trainee: str) -> None:
        with self._lock:
            self._seat = trainee
            self._caption = ""
            self._changed()

    def show_caption(self, line: str) -> None:
        with self._lock:
            self._caption = line
            self._changed()

    def open_reply(self, reply: Reply) -> None:
        """Put a new reply up for rating; the previous one's ratings are no longer taken."""
        with self._lock:
            self._reply = reply
            self._ratings = {}
            self._revealed = None
            self._changed()

    @property
    def reply(self) -> Reply | None:
        with self._lock:
            return self._reply

    @property
    def observer_count(self) -> int:
        with self._lock:
            return len(self._tokens)

    @property
    def rated_count(self) -> int:
        with self._lock:
            return len(self._ratings)

    @property
    def everyone_rated(self) -> bool:
        with self._lock:
            return bool(self._tokens) and len(self._ratings) == len(self._tokens)

    @property
    def revealed(self) -> Tally | None:
        with self._lock:
            return self._revealed

    def ratings(self) -> list[ObserverRating]:
        """The ratings of the reply on the projector, by observer number."""
        with self._lock:
            return [self._ratings[number] for number in sorted(self._ratings)]

    def reveal(self, *, before_everyone: bool = False) -> Tally:
        """Show the tally. Refused until everyone has rated, unless the facilitator chooses to
        reveal early (`before_everyone`)."""
        with self._lock:
            if self._reply is None:
                raise NotRatable("there is no reply to reveal")
            waiting = len(self._tokens) - len(self._ratings)
            if waiting > 0 and not before_everyone:
                raise NotRatable(f"{waiting} observer(s) have not rated yet")
            if self._revealed is None:
                self._revealed = tally(
                    list(self._ratings.values()),
                    self._reply.machine_empathy,
                    self._reply.machine_composure,
                )
                self._changed()
            return self._revealed

    def close(self) -> None:
        """No more joining, rating or reading: every token stops working."""
        with self._lock:
            self._closed = True
            self._tokens.clear()
            self._changed()

    @property
    def closed(self) -> bool:
        with self._lock:
            return self._closed

    def _observer(self, token: str) -> int:
        observer = self._tokens.get(token)
        if observer is None:
            raise UnknownObserver("not joined to this room: enter the PIN again")
        return observer

    def _check_open(self) -> None:
        if self._closed:
            raise RoomClosed("the room is closed")

    def wait_for_observers(self, count: int, timeout: float) -> bool:
        """Block until `count` observers have joined; False on timeout. For scripted rooms on
        the command line: the window reacts to changes instead of waiting."""
        with self._news:
            return self._news.wait_for(lambda: len(self._tokens) >= count, timeout)

    def wait_for_ratings(self, timeout: float) -> bool:
        """Block until every observer has rated the reply on the projector; False on timeout."""
        with self._news:
            return self._news.wait_for(
                lambda: bool(self._tokens) and len(self._ratings) >= len(self._tokens), timeout
            )

    def _changed(self) -> None:
        self.version += 1
        self._news.notify_all()
        self.on_change()
