"""Where a trainee stands: their level in each skill, the strongest and weakest, and what to
practise next."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from app.history.components import component_label, practice_advice
from app.history.proficiency import Proficiency, recency_weighted
from app.history.progress import ProgressSeries

# How many skills are named as strongest and as weakest.
NAMED_SKILLS = 3
# Above this level in every skill, the next step is a harder customer rather than a skill.
MASTERED = 85.0


@dataclass(frozen=True)
class SkillStanding:
    """One component of the scores. `change` is how far the level moved since the practice day
    before the latest (None with a single day of practice)."""

    name: str
    label: str
    proficiency: Proficiency
    change: float | None


@dataclass(frozen=True)
class TraineeStanding:
    trainee: str
    calls: int
    empathy: Proficiency | None
    composure: Proficiency | None
    words_per_minute: float | None
    skills: tuple[SkillStanding, ...]  # strongest first
    strongest: tuple[SkillStanding, ...]
    weakest: tuple[SkillStanding, ...]  # weakest first
    practise_next: str


def trainee_standing(series: ProgressSeries, now: datetime | None = None) -> TraineeStanding:
    now = now or datetime.now(UTC)
    skills = sorted(
        (_skill(series, name, now) for name in series.component_names),
        key=lambda skill: (-skill.proficiency.score, skill.label),
    )
    named = min(NAMED_SKILLS, len(skills) // 2) if len(skills) > 1 else len(skills)
    strongest = tuple(skills[:named])
    weakest = tuple(reversed(skills[len(skills) - named :])) if len(skills) > 1 else ()
    pace = recency_weighted(series.values("words_per_minute"), now)
    return TraineeStanding(
        trainee=series.trainee,
        calls=len(series.points),
        empathy=recency_weighted(series.values("empathy"), now),
        composure=recency_weighted(series.values("composure"), now),
        words_per_minute=pace.score if pace else None,
        skills=tuple(skills),
        strongest=strongest,
        weakest=weakest,
        practise_next=_practise_next(skills),
    )


def _skill(series: ProgressSeries, name: str, now: datetime) -> SkillStanding:
    values = series.values(name)
    proficiency = recency_weighted(values, now)
    assert proficiency is not None  # a listed component has at least one value
    latest_day = max(moment.date() for moment, _ in values)
    earlier = [(moment, score) for moment, score in values if moment.date() < latest_day]
    before = recency_weighted(earlier, now)
    change = round(proficiency.score - before.score, 1) if before else None
    return SkillStanding(name, component_label(name), proficiency, change)


def _practise_next(skills: list[SkillStanding]) -> str:
    if not skills:
        return "Take a first call to see where to start."
    weakest = skills[-1]
    if weakest.proficiency.score >= MASTERED:
        return "Every skill is strong: try a harder scenario next."
    return f"{weakest.label}: {practice_advice(weakest.name)}"
