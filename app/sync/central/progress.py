"""The organisation view: progress by branch and by team, read from the central store.

Managers read it with their read-only login; the figures are over calls with at least one turn.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import psycopg

from app.sync.central.connection import connect
from app.sync.errors import SyncError

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


def read_progress(connection: psycopg.Connection[Any], by: Grouping) -> list[GroupProgress]:
    view = {"branch": "skeptic.progress_by_branch", "team": "skeptic.progress_by_team"}[by]
    try:
        rows = connection.execute(
            f"SELECT {by}, trainees, calls, turns, empathy, composure, resolved, last_call "
            f"FROM {view} ORDER BY {by}"
        ).fetchall()
    except psycopg.errors.InsufficientPrivilege:
        raise SyncError(
            "this login may not read the organisation's progress; it needs the skeptic_manager role"
        ) from None
    return [
        GroupProgress(
            group=str(group),
            trainees=int(trainees),
            calls=int(calls),
            turns=int(turns or 0),
            empathy=None if empathy is None else float(empathy),
            composure=None if composure is None else float(composure),
            resolved_percent=None if resolved is None else float(resolved),
            last_call=last_call,
        )
        for group, trainees, calls, turns, empathy, composure, resolved, last_call in rows
    ]


def organisation_progress(address: str, by: Grouping) -> list[GroupProgress]:
    """Connect, read, disconnect: SyncError (one line) for every failure."""
    try:
        with connect(address) as connection:
            return read_progress(connection, by)
    except psycopg.OperationalError as error:
        raise SyncError(f"the connection to the central store was lost ({error})") from None
