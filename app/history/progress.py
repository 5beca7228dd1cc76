"""A trainee's progress over time: one point per call for every measure a chart can show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.history.components import component_label
from app.storage import ProgressPoint, SessionStore

# Measures every call has (speaking rate only when a reply was spoken); the components of the
# scores come on top of these, named as the scorer names them.
MEASURES = ("empathy", "composure", "words_per_minute")

MEASURE_LABELS = {
    "empathy": "Empathy",
    "composure": "Composure",
    "words_per_minute": "Speaking rate (words a minute)",
}


@dataclass(frozen=True)
class ProgressSeries:
    """A trainee's calls that have at least one turn, oldest first."""

    trainee: str
    points: tuple[ProgressPoint, ...]

    @property
    def times(self) -> list[datetime]:
        return [datetime.fromisoformat(point.started_at) for point in self.points]

    @property
    def component_names(self) -> list[str]:
        """Every component scored in at least one call, by name."""
        seen: dict[str, None] = {}
        for point in self.points:
            seen.update(dict.fromkeys(point.components))
        return list(seen)

    @property
    def measures(self) -> list[str]:
        """Everything that can be charted: the fixed measures, then each component."""
        return [*MEASURES, *self.component_names]

    def values(self, measure: str) -> list[tuple[datetime, float]]:
        """(start of the call, value) for each call that has a value for `measure`."""
        found: list[tuple[datetime, float]] = []
        for moment, point in zip(self.times, self.points, strict=True):
            value = _value(point, measure)
            if value is not None:
                found.append((moment, value))
        return found


def measure_label(measure: str) -> str:
    return MEASURE_LABELS.get(measure) or component_label(measure)


def progress_series(store: SessionStore, trainee: str) -> ProgressSeries:
    """The trainee's progress; LookupError when there is no such trainee."""
    name = store.trainee(trainee).name
    return ProgressSeries(name, tuple(store.progress_points(name)))


def _value(point: ProgressPoint, measure: str) -> float | None:
    if measure == "empathy":
        return point.empathy
    if measure == "composure":
        return point.composure
    if measure == "words_per_minute":
        return point.words_per_minute
    return point.components.get(measure)
