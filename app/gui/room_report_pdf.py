"""The room report as a PDF: every reply's scores side by side, the agreement of people and
machine, the leaderboard of those who chose it, and what the group should practise next."""

from __future__ import annotations

import os
from html import escape
from pathlib import Path

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument

from app.gui.reports import ensure_application
from app.room.report import SCALES, ReplyLine, RoomReport

NONE = "\u2013"  # an en dash where no score was given

_STYLE = """
body { font-family: 'DejaVu Sans'; font-size: 9pt; color: #1d2330; }
h1 { font-size: 16pt; } h2 { font-size: 12pt; margin-top: 14px; }
table { border-collapse: collapse; }
th { background: #e8ecf3; text-align: left; }
td, th { padding: 3px 5px; border: 1px solid #c9cfda; }
.soft { color: #5b6475; }
"""


def write_room_report(path: Path, report: RoomReport) -> None:
    """Written to a file beside `path` and renamed into place only once complete."""
    path = Path(path)
    if not path.parent.is_dir():
        raise ValueError(f"cannot write {path}: the folder {path.parent} does not exist")
    ensure_application()
    document = QTextDocument()
    document.setHtml(room_report_html(report))
    partial = path.with_name(f".{path.name}.partial")
    try:
        writer = QPdfWriter(str(partial))
        writer.setPageLayout(
            QPageLayout(
                QPageSize(QPageSize.PageSizeId.A4),
                QPageLayout.Orientation.Landscape,
                QMarginsF(12, 12, 12, 12),
                QPageLayout.Unit.Millimeter,
            )
        )
        writer.setTitle(f"Skeptic room report: {report.room.name}")
        document.print_(writer)
        del writer  # closes the file
        if not partial.is_file() or partial.stat().st_size == 0:
            raise OSError(f"cannot write {path}")
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def room_report_html(report: RoomReport) -> str:
    room = report.room
    parts = [
        f"<html><head><style>{_STYLE}</style></head><body>",
        f"<h1>Room report: {escape(room.name)}</h1>",
        f"<p class='soft'>Opened {escape(room.opened_at[:16].replace('T', ' '))} UTC · "
        f"{len(report.members)} trainees · {len(report.replies)} replies · "
        f"{'a whole call' if room.replies_per_seat is None else room.replies_per_seat} "
        f"{'each' if room.replies_per_seat is None else 'replies'} in the seat</p>",
        "<h2>What the group should practise next</h2><ul>",
        *(f"<li>{escape(advice)}</li>" for advice in report.practise_next),
        "</ul>",
        "<h2>How far people and machine agree</h2>",
        "<table><tr><th>scale</th><th>replies people scored</th><th>rank correlation</th>"
        "<th>within one level</th><th>machine less people</th><th>observers' spread</th></tr>",
    ]
    for scale in SCALES:
        agreement = report.agreement[scale]
        spread = agreement.observer_spread
        parts.append(
            f"<tr><td>{scale}</td><td>{agreement.replies}</td><td>{agreement.spearman:.2f}</td>"
            f"<td>{agreement.within_one:.0%}</td><td>{agreement.machine_minus_people:+.2f}</td>"
            f"<td>{NONE if spread is None else f'{spread:.2f}'}</td></tr>"
        )
    parts.append(
        "</table><p class='soft'>People's level: the facilitator's when given, otherwise the "
        "observers' median (0-4). The machine's 0-100 score is put on the same levels by the "
        "nearest quarter. Spread: how far an observer's rating lies from the median, on "
        "average.</p>"
    )
    if report.leaderboard:
        parts.append(
            "<h2>Leaderboard (trainees who chose to be on it)</h2><table><tr><th>#</th>"
            "<th>name</th><th>replies</th><th>empathy</th><th>composure</th></tr>"
        )
        for place, line in enumerate(report.leaderboard, start=1):
            parts.append(
                f"<tr><td>{place}</td><td>{escape(line.name)}</td><td>{line.replies}</td>"
                f"<td>{line.empathy:.1f}</td><td>{line.composure:.1f}</td></tr>"
            )
        parts.append("</table>")
    parts.append(
        "<h2>Every reply</h2><table><tr><th>trainee</th><th>#</th><th>reply</th>"
        "<th>empathy: machine · observers · facilitator</th>"
        "<th>composure: machine · observers · facilitator</th><th>facilitator's reason</th></tr>"
    )
    parts += [_reply_row(line) for line in report.replies]
    parts.append("</table></body></html>")
    return "".join(parts)


def _reply_row(line: ReplyLine) -> str:
    cells = []
    for scale in SCALES:
        observed = line.observer_median[scale]
        given = None if line.facilitator is None else getattr(line.facilitator, scale)
        cells.append(
            f"<td>{line.machine[scale]} ({line.machine_level(scale)}) · "
            f"{NONE if observed is None else f'{observed:g}'} ({line.observers}) · "
            f"{NONE if given is None else given}</td>"
        )
    reason = "" if line.facilitator is None else escape(line.facilitator.reason)
    return (
        f"<tr><td>{escape(line.trainee)}</td><td>{line.number}</td>"
        f"<td>{escape(line.transcript)}</td>{''.join(cells)}<td>{reason}</td></tr>"
    )
