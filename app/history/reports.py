"""Everything a report of one call, or of one trainee's progress, shows: gathered once, so the
PDF report, the JSON export and the window all tell the same story."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from app.history.progress import ProgressSeries, measure_label, progress_series
from app.history.standing import SkillStanding, TraineeStanding, trainee_standing
from app.storage import CallFilter, CallRow, SavedTurn, SessionStore, TraineeRecord

REPORT_FORMAT_VERSION = 1


@dataclass(frozen=True)
class CallReport:
    call: CallRow
    turns: tuple[SavedTurn, ...]
    generated_at: str

    def to_json(self) -> dict[str, Any]:
        return {
            "format": "skeptic-call",
            "version": REPORT_FORMAT_VERSION,
            "generated_at": self.generated_at,
            "call": call_json(self.call, self.turns),
        }


@dataclass(frozen=True)
class TraineeReport:
    trainee: TraineeRecord
    calls: tuple[CallRow, ...]  # newest first
    series: ProgressSeries
    standing: TraineeStanding
    generated_at: str

    def to_json(self, turns: dict[int, tuple[SavedTurn, ...]] | None = None) -> dict[str, Any]:
        """The report as JSON; with `turns` (by call id) each call carries its turns."""
        return {
            "format": "skeptic-trainee",
            "version": REPORT_FORMAT_VERSION,
            "generated_at": self.generated_at,
            "trainee": trainee_json(self.trainee),
            "standing": standing_json(self.standing),
            "progress": progress_json(self.series),
            "calls": [
                call_json(call, turns.get(call.id, ()) if turns is not None else None)
                for call in self.calls
            ],
        }


def call_report(store: SessionStore, call_id: int) -> CallReport:
    """LookupError when there is no such call."""
    call = store.call(call_id)
    return CallReport(call, tuple(store.call_turns(call_id)), _now())


def trainee_report(store: SessionStore, trainee: str, now: datetime | None = None) -> TraineeReport:
    """LookupError when there is no such trainee."""
    profile = store.trainee(trainee)
    series = progress_series(store, profile.name)
    return TraineeReport(
        trainee=profile,
        calls=tuple(store.calls(CallFilter(trainee=profile.name))),
        series=series,
        standing=trainee_standing(series, now),
        generated_at=_now(),
    )


def trainee_json(trainee: TraineeRecord) -> dict[str, Any]:
    return asdict(trainee)


def call_json(call: CallRow, turns: tuple[SavedTurn, ...] | None) -> dict[str, Any]:
    shown = asdict(call)
    if turns is not None:
        shown["turns"] = [turn_json(saved) for saved in turns]
    return shown


def turn_json(saved: SavedTurn) -> dict[str, Any]:
    shown = {"id": saved.id, **asdict(saved.turn)}
    shown["recording"] = str(saved.recording) if saved.recording else None
    shown["facilitator"] = asdict(saved.override) if saved.override else None
    return shown


def standing_json(standing: TraineeStanding) -> dict[str, Any]:
    def skill(one: SkillStanding) -> dict[str, Any]:
        return {
            "name": one.name,
            "label": one.label,
            "change": one.change,
            **asdict(one.proficiency),
        }

    return {
        "calls": standing.calls,
        "empathy": asdict(standing.empathy) if standing.empathy else None,
        "composure": asdict(standing.composure) if standing.composure else None,
        "words_per_minute": standing.words_per_minute,
        "skills": [skill(one) for one in standing.skills],
        "strongest": [one.name for one in standing.strongest],
        "weakest": [one.name for one in standing.weakest],
        "practise_next": standing.practise_next,
    }


def progress_json(series: ProgressSeries) -> dict[str, Any]:
    """Each measure as a list of {"at", "value"} points, oldest first."""
    return {
        measure: {
            "label": measure_label(measure),
            "points": [
                {"at": moment.isoformat(timespec="milliseconds"), "value": value}
                for moment, value in series.values(measure)
            ],
        }
        for measure in series.measures
    }


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")
