"""What a manager reads from the central store, as plain values (no database driver needed)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Grouping = Literal["branch", "team"]


@dataclass(frozen=True)
class GroupProgress:
    """One branch or team: how many trainees and calls, average scores, share resolved."""

    group: str  # "" when the trainees gave none
    trainees: int
    calls: int
    turns: int
    empathy: float | None
    composure: float | None
    resolved_percent: float | None
    last_call: str | None


@dataclass(frozen=True)
class LookedAfter:
    """One of the trainees a manager looks after (by team or branch), with their calls."""

    name: str
    team: str | None
    branch: str | None
    calls: int
    empathy: float | None
    composure: float | None
    last_call: str | None
