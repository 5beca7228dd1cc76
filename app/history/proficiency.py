"""A trainee's level in a skill, from scores spread over time.

Scores are first averaged per practice day, and days then count less the older they are (their
weight halves every HALF_LIFE_DAYS). A day of many poor calls is one day among the others, so
one bad day moves the level a little and a steady change over weeks moves it fully.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

HALF_LIFE_DAYS = 14.0

# Upper bounds of each level on the 0-100 scale; the last level has no bound.
LEVELS = (("beginner", 40.0), ("developing", 60.0), ("proficient", 80.0), ("expert", 101.0))


@dataclass(frozen=True)
class Proficiency:
    """`score` is 0-100; `days` and `samples` say how much practice it rests on."""

    score: float
    level: str
    days: int
    samples: int


def level_of(score: float) -> str:
    for name, upper in LEVELS:
        if score < upper:
            return name
    return LEVELS[-1][0]


def recency_weighted(
    samples: Sequence[tuple[datetime, float]],
    now: datetime | None = None,
    half_life_days: float = HALF_LIFE_DAYS,
) -> Proficiency | None:
    """The recency-weighted level of timed scores; None when there are none.

    Times must be timezone-aware; days are calendar days in UTC. Scores from the future (a
    clock set wrong) count as today's.
    """
    if not samples:
        return None
    now = now or datetime.now(UTC)
    by_day: dict[date, list[float]] = defaultdict(list)
    for moment, score in samples:
        by_day[moment.astimezone(UTC).date()].append(score)
    today = now.astimezone(UTC).date()
    total_weight = 0.0
    weighted = 0.0
    for day, scores in by_day.items():
        age_days = max(0, (today - day).days)
        weight = 0.5 ** (age_days / half_life_days)
        total_weight += weight
        weighted += weight * sum(scores) / len(scores)
    score = weighted / total_weight
    return Proficiency(round(score, 1), level_of(score), len(by_day), len(samples))
