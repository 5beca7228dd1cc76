"""History exports a spreadsheet or another program can read: CSV and JSON.

The CSV has one row per turn, each with its call's columns (a call without turns still has one
row), in UTF-8 with a byte-order mark so that spreadsheet programs pick the right encoding. Free
text that a spreadsheet would take for a formula (starting with =, +, - or @) is prefixed with an
apostrophe.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from app.atomic_file import replaced_atomically
from app.history.reports import (
    REPORT_FORMAT_VERSION,
    call_json,
    call_report,
    trainee_json,
    trainee_report,
)
from app.storage import CallFilter, CallRow, SavedTurn, SessionStore

EXPORT_FORMATS = ("csv", "json", "pdf")

CALL_COLUMNS = (
    ("call_id", "id"),
    ("call_started_at", "started_at"),
    ("call_ended_at", "ended_at"),
    ("trainee", "trainee"),
    ("team", "team"),
    ("branch", "branch"),
    ("scenario_id", "scenario_id"),
    ("scenario_title", "scenario_title"),
    ("difficulty", "difficulty"),
    ("ending", "ending"),
    ("call_empathy", "empathy"),
    ("call_composure", "composure"),
    ("call_duration_seconds", "duration_seconds"),
    ("starting_trust", "starting_trust"),
    ("final_trust", "final_trust"),
)
TURN_COLUMNS = (
    "number",
    "attempt",
    "started_at",
    "ended_at",
    "customer_line",
    "customer_mood",
    "transcript",
    "transcript_heard",
    "recogniser",
    "confidence",
    "empathy",
    "composure",
    "trust_before",
    "trust_after",
    "reaction",
    "words_per_minute",
    "response_gap_ms",
    "audio_seconds",
)
LIST_COLUMNS = ("evidence", "tips", "signals", "concerns_addressed")
FREE_TEXT = {"customer_line", "transcript", "transcript_heard", "evidence", "tips"}
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def write_csv(
    store: SessionStore, out: Path, *, trainee: str | None = None, call_id: int | None = None
) -> int:
    """Write the chosen calls (all, one trainee's, or one) as CSV; returns the number of rows."""
    calls = _chosen_calls(store, trainee, call_id)
    turns = {call.id: store.call_turns(call.id) for call in calls}
    components = list(
        dict.fromkeys(name for saved in _all(turns) for name in saved.turn.components)
    )
    header = [
        *(column for column, _ in CALL_COLUMNS),
        *(f"turn_{column}" for column in TURN_COLUMNS),
        *LIST_COLUMNS,
        *(f"score_{name}" for name in components),
        "recording",
    ]
    rows = 0
    with _replaced_atomically(out, newline="", encoding="utf-8-sig") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        for call in calls:
            call_turns: list[SavedTurn | None] = [*turns[call.id]] or [None]
            for saved in call_turns:
                writer.writerow(_csv_row(call, saved, components))
                rows += 1
    return rows


def write_json(
    store: SessionStore, out: Path, *, trainee: str | None = None, call_id: int | None = None
) -> None:
    """Write the chosen calls with their turns as JSON; a trainee's export also carries their
    profile, standing and progress series."""
    document: dict[str, Any]
    if call_id is not None:
        document = call_report(store, call_id).to_json()
    elif trainee is not None:
        report = trainee_report(store, trainee)
        turns = {call.id: tuple(store.call_turns(call.id)) for call in report.calls}
        document = report.to_json(turns)
    else:
        document = {
            "format": "skeptic-history",
            "version": REPORT_FORMAT_VERSION,
            "trainees": [trainee_json(profile) for profile in store.trainees()],
            "calls": [
                call_json(call, tuple(store.call_turns(call.id)))
                for call in store.calls(sort="date", descending=False)
            ],
        }
    with _replaced_atomically(out, encoding="utf-8") as file:
        json.dump(document, file, ensure_ascii=False, indent=2)
        file.write("\n")


def _chosen_calls(store: SessionStore, trainee: str | None, call_id: int | None) -> list[CallRow]:
    if call_id is not None:
        return [store.call(call_id)]
    if trainee is not None:
        name = store.trainee(trainee).name  # LookupError for an unknown trainee
        return store.calls(CallFilter(trainee=name), sort="date", descending=False)
    return store.calls(sort="date", descending=False)


def _all(turns: dict[int, list[SavedTurn]]) -> Iterator[SavedTurn]:
    for saved in turns.values():
        yield from saved


def _csv_row(call: CallRow, saved: SavedTurn | None, components: list[str]) -> list[object]:
    row: list[object] = [_cell(getattr(call, field)) for _, field in CALL_COLUMNS]
    if saved is None:
        return row + [""] * (len(TURN_COLUMNS) + len(LIST_COLUMNS) + len(components) + 1)
    turn = saved.turn
    for column in TURN_COLUMNS:
        row.append(_cell(getattr(turn, column), free_text=column in FREE_TEXT))
    for column in LIST_COLUMNS:
        row.append(_cell(" | ".join(getattr(turn, column)), free_text=column in FREE_TEXT))
    for name in components:
        part = turn.components.get(name)
        row.append(_cell(part.get("score") if part else None))
    row.append(str(saved.recording) if saved.recording else "")
    return row


def _cell(value: object, free_text: bool = False) -> object:
    if value is None:
        return ""
    if free_text and isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


@contextmanager
def _replaced_atomically(out: Path, **open_options: Any) -> Iterator[TextIO]:
    """Write to a temporary file beside `out` and put it in place only when complete, so an
    earlier export is never left half overwritten."""
    with replaced_atomically(out) as partial, open(partial, "w", **open_options) as file:
        yield file
