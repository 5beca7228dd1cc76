"""What a room's report says: per trainee and reply the machine's score, the observers' median
and the facilitator's; how far people and machine agree; the opt-in leaderboard; and what the
group should practise next. Gathered once, for the PDF, the CSV and `calibrate --rooms`."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from app.core.calibration import spearman
from app.history.components import component_label, practice_advice
from app.room.tally import machine_level, median
from app.storage import SessionStore, TurnRecord
from app.storage.rooms import Member, ObserverRating, Override, RoomRecord, RoomRecords

SCALES = ("empathy", "composure")
# How many of the group's weakest skills the report names.
PRACTISE_NEXT = 2


@dataclass(frozen=True)
class ReplyLine:
    """One reply of one trainee in the room, with every score given to it."""

    trainee: str
    call_id: int
    turn_id: int
    number: int
    customer_line: str
    transcript: str
    machine: dict[str, int]  # 0-100
    observers: int
    observer_median: dict[str, float | None]  # 0-4
    facilitator: Override | None

    def machine_level(self, scale: str) -> int:
        return machine_level(self.machine[scale])

    def people(self, scale: str) -> float | None:
        """The people's verdict on the rubric: the facilitator's when they gave one, else the
        observers' median."""
        if self.facilitator is not None:
            return float(getattr(self.facilitator, scale))
        return self.observer_median[scale]


@dataclass(frozen=True)
class ScaleAgreement:
    """How machine and people agree on one scale over the replies people scored.

    `spearman`: rank correlation of the machine's 0-100 score with the people's level.
    `within_one`: share of replies where the machine's level is at most one from the people's.
    `machine_minus_people`: mean of the machine's level less the people's (above 0: the
    machine is the more generous). `observer_spread`: mean distance of an observer's rating
    from the median of that reply, how far the people agree among themselves.
    """

    replies: int
    spearman: float
    within_one: float
    machine_minus_people: float
    observer_spread: float | None

    def to_json(self) -> dict[str, object]:
        return {
            "replies": self.replies,
            "spearman": round(self.spearman, 3),
            "within_one_level": round(self.within_one, 3),
            "machine_minus_people": round(self.machine_minus_people, 2),
            "observer_spread": None
            if self.observer_spread is None
            else round(self.observer_spread, 2),
        }


@dataclass(frozen=True)
class BoardLine:
    name: str  # the alias when the trainee chose one
    replies: int
    empathy: float
    composure: float

    @property
    def total(self) -> float:
        return self.empathy + self.composure


@dataclass(frozen=True)
class RoomReport:
    room: RoomRecord
    members: tuple[Member, ...]
    replies: tuple[ReplyLine, ...]
    agreement: dict[str, ScaleAgreement]
    leaderboard: tuple[BoardLine, ...]
    practise_next: tuple[str, ...]
    generated_at: str


def room_report(store: SessionStore, room_id: int) -> RoomReport:
    """LookupError when there is no such room."""
    rooms = RoomRecords(store.db)
    room = rooms.room(room_id)
    members = tuple(rooms.members(room_id))
    ratings = rooms.ratings(room_id)
    replies: list[ReplyLine] = []
    components: dict[str, list[float]] = defaultdict(list)
    for call_id in rooms.call_ids(room_id):
        call = store.call(call_id)
        saved = store.call_turns(call_id)
        overrides = rooms.overrides([turn.id for turn in saved])
        for turn in saved:
            replies.append(_line(call.trainee, call_id, turn.id, turn.turn, ratings, overrides))
            for name, part in turn.turn.components.items():
                score = part.get("score")
                if isinstance(score, int | float):
                    components[name].append(float(score))
    return RoomReport(
        room=room,
        members=members,
        replies=tuple(replies),
        agreement={scale: agreement(replies, ratings, scale) for scale in SCALES},
        leaderboard=leaderboard(members, replies),
        practise_next=group_practise_next(components, len(replies)),
        generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )


def _line(
    trainee: str,
    call_id: int,
    turn_id: int,
    turn: TurnRecord,
    ratings: dict[int, list[ObserverRating]],
    overrides: dict[int, Override],
) -> ReplyLine:
    rated = ratings.get(turn_id, [])
    return ReplyLine(
        trainee=trainee,
        call_id=call_id,
        turn_id=turn_id,
        number=turn.number,
        customer_line=turn.customer_line,
        transcript=turn.transcript,
        machine={"empathy": turn.empathy, "composure": turn.composure},
        observers=len(rated),
        observer_median={
            scale: median([float(getattr(r, scale)) for r in rated]) for scale in SCALES
        },
        facilitator=overrides.get(turn_id),
    )


def agreement(
    replies: Sequence[ReplyLine], ratings: dict[int, list[ObserverRating]], scale: str
) -> ScaleAgreement:
    judged = [line for line in replies if line.people(scale) is not None]
    people = [float(line.people(scale) or 0.0) for line in judged]
    machine = [float(line.machine[scale]) for line in judged]
    levels = [line.machine_level(scale) for line in judged]
    spreads = [
        abs(getattr(rating, scale) - (line.observer_median[scale] or 0.0))
        for line in judged
        for rating in ratings.get(line.turn_id, [])
    ]
    count = len(judged)
    return ScaleAgreement(
        replies=count,
        spearman=spearman(machine, people) if count >= 2 else 0.0,
        within_one=(
            sum(1 for lv, p in zip(levels, people, strict=True) if abs(lv - p) <= 1) / count
            if count
            else 0.0
        ),
        machine_minus_people=(
            statistics.fmean(lv - p for lv, p in zip(levels, people, strict=True)) if count else 0.0
        ),
        observer_spread=statistics.fmean(spreads) if spreads else None,
    )


def leaderboard(members: Sequence[Member], replies: Sequence[ReplyLine]) -> tuple[BoardLine, ...]:
    """Only the trainees who chose to be on it, under their alias; by the people's levels
    where people scored a reply, the machine's level elsewhere."""
    lines = []
    for member in members:
        if not member.on_leaderboard:
            continue
        mine = [line for line in replies if line.trainee.casefold() == member.name.casefold()]
        if not mine:
            continue

        def level(line: ReplyLine, scale: str) -> float:
            people = line.people(scale)
            return people if people is not None else float(line.machine_level(scale))

        lines.append(
            BoardLine(
                member.board_name,
                len(mine),
                statistics.fmean(level(line, "empathy") for line in mine),
                statistics.fmean(level(line, "composure") for line in mine),
            )
        )
    return tuple(sorted(lines, key=lambda line: (-line.total, line.name)))


def group_practise_next(components: dict[str, list[float]], replies: int) -> tuple[str, ...]:
    """The group's weakest skills over the room's replies, with how to practise each. Only
    skills judged in at least half the replies count, so one odd reply does not set the plan."""
    if not replies:
        return ("Hold a first call in the room to see where the group stands.",)
    common = {
        name: statistics.fmean(scores)
        for name, scores in components.items()
        if len(scores) * 2 >= replies
    }
    weakest = sorted(common.items(), key=lambda item: (item[1], item[0]))[:PRACTISE_NEXT]
    return tuple(
        f"{component_label(name)} (group average {score:.0f}): {practice_advice(name)}"
        for name, score in weakest
    )
