"""The organisation view: progress by branch and by team, read from the central store.

Managers read it with their read-only login; the figures are over calls with at least one turn.
"""

from __future__ import annotations

from typing import Any

import psycopg

from app.sync.central.connection import connect
from app.sync.central.figures import Grouping, GroupProgress, LookedAfter
from app.sync.errors import SyncError


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


def my_trainees(address: str) -> list[LookedAfter]:
    """The trainees the manager logged in looks after (skeptic.manager_scope)."""
    try:
        with connect(address) as connection:
            rows = connection.execute(
                "SELECT name, team, branch, calls, empathy, composure, last_call "
                "FROM skeptic.my_trainees ORDER BY branch, team, name"
            ).fetchall()
    except psycopg.errors.InsufficientPrivilege:
        raise SyncError(
            "this login may not read the organisation's trainees; it needs the skeptic_manager role"
        ) from None
    except psycopg.OperationalError as error:
        raise SyncError(f"the connection to the central store was lost ({error})") from None
    return [
        LookedAfter(
            name=str(name),
            team=team,
            branch=branch,
            calls=int(calls),
            empathy=None if empathy is None else float(empathy),
            composure=None if composure is None else float(composure),
            last_call=last_call,
        )
        for name, team, branch, calls, empathy, composure, last_call in rows
    ]
