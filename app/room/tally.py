"""What the projector reveals once everyone has rated a reply: the people's ratings summed up
beside the machine's score."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from app.storage.rooms import ObserverRating

LEVELS = tuple(range(5))


def machine_level(score: float) -> int:
    """The machine's 0-100 score on the rubric's 0-4 levels: the nearest quarter (0-12 is 0,
    13-37 is 1, 38-62 is 2, 63-87 is 3, 88-100 is 4)."""
    return max(0, min(4, int(score / 25 + 0.5)))


def median(values: Sequence[float]) -> float | None:
    return float(statistics.median(values)) if values else None


@dataclass(frozen=True)
class ScaleTally:
    """One scale of one reply: how many observers gave each level, and their median."""

    counts: tuple[int, ...]  # index = level 0..4
    median: float | None
    machine_score: int  # 0-100
    machine_level: int  # 0-4

    def to_json(self) -> dict[str, object]:
        return {
            "counts": list(self.counts),
            "median": self.median,
            "machine_score": self.machine_score,
            "machine_level": self.machine_level,
        }


@dataclass(frozen=True)
class Tally:
    ratings: int
    empathy: ScaleTally
    composure: ScaleTally
    techniques: tuple[tuple[str, int], ...]  # most ticked first

    def to_json(self) -> dict[str, object]:
        return {
            "ratings": self.ratings,
            "empathy": self.empathy.to_json(),
            "composure": self.composure.to_json(),
            "techniques": [{"name": name, "count": count} for name, count in self.techniques],
        }


def tally(ratings: Sequence[ObserverRating], machine_empathy: int, machine_composure: int) -> Tally:
    def scale(values: list[int], machine: int) -> ScaleTally:
        counts = Counter(values)
        return ScaleTally(
            tuple(counts.get(level, 0) for level in LEVELS),
            median(values),
            machine,
            machine_level(machine),
        )

    ticked = Counter(name for rating in ratings for name in rating.techniques)
    return Tally(
        ratings=len(ratings),
        empathy=scale([r.empathy for r in ratings], machine_empathy),
        composure=scale([r.composure for r in ratings], machine_composure),
        techniques=tuple(sorted(ticked.items(), key=lambda item: (-item[1], item[0]))),
    )
