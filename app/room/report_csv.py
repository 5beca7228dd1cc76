"""The room report as CSV: one row per reply, with every score given to it."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from app.room.report import SCALES, RoomReport

# A cell starting with one of these is run as a formula by spreadsheets (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


COLUMNS = (
    "room", "trainee", "call_id", "turn", "customer_line", "transcript",
    "machine_empathy", "machine_empathy_level", "machine_composure", "machine_composure_level",
    "observers", "observers_empathy_median", "observers_composure_median",
    "facilitator_empathy", "facilitator_composure", "facilitator_reason",
)  # fmt: skip


def write_room_csv(path: Path, report: RoomReport) -> None:
    """Written whole or not at all; free text that a spreadsheet would run as a formula is
    quoted."""
    path = Path(path)
    if not path.parent.is_dir():
        raise ValueError(f"cannot write {path}: the folder {path.parent} does not exist")
    file = io.StringIO(newline="")
    writer = csv.writer(file)
    writer.writerow(COLUMNS)
    for line in report.replies:
        change = line.facilitator
        row: list[object] = [
            spreadsheet_safe(report.room.name),
            spreadsheet_safe(line.trainee),
            line.call_id,
            line.number,
            spreadsheet_safe(line.customer_line),
            spreadsheet_safe(line.transcript),
        ]
        for scale in SCALES:
            row += [line.machine[scale], line.machine_level(scale)]
        row.append(line.observers)
        row += ["" if line.observer_median[s] is None else line.observer_median[s] for s in SCALES]
        if change is None:
            row += ["", "", ""]
        else:
            row += [change.empathy, change.composure, spreadsheet_safe(change.reason)]
        writer.writerow(row)
    partial = path.with_name(f".{path.name}.partial")
    try:
        partial.write_text(file.getvalue(), encoding="utf-8-sig", newline="")
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
