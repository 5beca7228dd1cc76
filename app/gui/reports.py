"""PDF reports made with Qt itself (no browser): one call, or a trainee's progress with charts."""

from __future__ import annotations

import os
from collections.abc import Mapping
from html import escape
from pathlib import Path

from PySide6.QtCore import QMarginsF, QUrl
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPdfWriter, QTextDocument
from PySide6.QtWidgets import QApplication

from app.atomic_file import replaced_atomically
from app.errors import UserError
from app.gui.charts import report_chart
from app.history.proficiency import Proficiency
from app.history.reports import CallReport, TraineeReport
from app.history.standing import TraineeStanding

ENDINGS = {
    "resolved": "resolved",
    "walked_out": "customer hung up",
    "turn_limit": "ran out of time",
    "ended_early": "ended early",
    "interrupted": "interrupted",
    None: "not finished",
}


_application: list[QApplication] = []  # kept alive for the life of the process


def ensure_application() -> QApplication:
    """Reports are drawn by Qt, which needs an application object, even in a terminal."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    if not any(os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _application.append(QApplication([]))
    return _application[0]


def write_call_report(path: Path, report: CallReport) -> None:
    ensure_application()
    call = report.call
    rows = []
    for saved in report.turns:
        turn = saved.turn
        evidence = "".join(f"<li>{escape(item)}</li>" for item in turn.evidence)
        tip = f"<p><b>Try next:</b> {escape(turn.tips[0])}</p>" if turn.tips else ""
        rows.append(
            f"<h3>Reply {turn.number}: empathy {turn.empathy}, composure {turn.composure}, "
            f"trust {turn.trust_before} → {turn.trust_after}</h3>"
            f"<p><i>Customer:</i> {escape(turn.customer_line)}</p>"
            f"<p><i>Trainee:</i> {escape(turn.transcript)}</p><ul>{evidence}</ul>{tip}"
        )
    html = (
        f"<h1>{escape(call.scenario_title)}</h1>"
        f"<p>{escape(call.trainee)} · {escape(call.started_at[:16].replace('T', ' '))} UTC · "
        f"{escape(call.difficulty)} · {ENDINGS.get(call.ending, call.ending)}</p>"
        f"<p><b>Empathy</b> {_number(call.empathy)} &nbsp; <b>Composure</b> "
        f"{_number(call.composure)} &nbsp; <b>Replies</b> {call.turn_count}</p>" + "".join(rows)
    )
    _write_pdf(path, html, {})


def write_progress_report(path: Path, report: TraineeReport) -> None:
    ensure_application()
    series, standing, calls = report.series, report.standing, report.calls
    images = {
        "scores": report_chart(series, ["empathy", "composure"], "Scores"),
        "skills": report_chart(series, _charted_skills(standing), "Strongest and weakest skills"),
    }
    if series.values("words_per_minute"):
        images["pace"] = report_chart(series, ["words_per_minute"], "Speaking rate")
    skills = "".join(
        f"<tr><td>{escape(skill.label)}</td><td>{skill.proficiency.score:.0f}</td></tr>"
        for skill in standing.skills
    )
    call_rows = "".join(
        f"<tr><td>{escape(c.started_at[:10])}</td><td>{escape(c.scenario_title)}</td>"
        f"<td>{escape(c.difficulty)}</td><td>{ENDINGS.get(c.ending, c.ending)}</td>"
        f"<td>{_number(c.empathy)}</td><td>{_number(c.composure)}</td></tr>"
        for c in calls
    )
    charts = "".join(f'<p><img src="chart://{name}" width="620"></p>' for name in images)
    html = (
        f"<h1>Progress of {escape(standing.trainee)}</h1>"
        f"<p>{standing.calls} calls. Empathy {_level(standing.empathy)}, composure "
        f"{_level(standing.composure)} (recent calls count most).</p>"
        f"<p><b>Practise next:</b> {escape(standing.practise_next)}</p>{charts}"
        f"<h2>Skills</h2><table cellpadding='3'>{skills}</table>"
        "<h2>Calls</h2><table cellpadding='3'><tr><th>Date</th><th>Scenario</th>"
        "<th>Difficulty</th><th>Ending</th><th>Empathy</th><th>Composure</th></tr>"
        f"{call_rows}</table>"
    )
    _write_pdf(path, html, images)


def _write_pdf(path: Path, html: str, images: Mapping[str, QImage]) -> None:
    document = QTextDocument()
    for name, image in images.items():
        document.addResource(
            QTextDocument.ResourceType.ImageResource, QUrl(f"chart://{name}"), image
        )
    document.setHtml(html)
    with replaced_atomically(path) as partial:
        _print_pdf(document, partial)
        # QPdfWriter reports no errors: a file it could not write is empty or cut short.
        written = partial.read_bytes() if partial.is_file() else b""
        if not written.startswith(b"%PDF") or b"%%EOF" not in written[-64:]:
            raise UserError(f"cannot write {path}: the PDF came out incomplete (is the disk full?)")


def _print_pdf(document: QTextDocument, path: Path) -> None:
    writer = QPdfWriter(str(path))
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(15, 15, 15, 15),
            QPageLayout.Unit.Millimeter,
        )
    )
    writer.setTitle("Skeptic report")
    document.print_(writer)
    # The file is complete only once the writer is gone; returning drops the last reference.


def _charted_skills(standing: TraineeStanding) -> list[str]:
    return [skill.name for skill in (*standing.strongest, *standing.weakest)]


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def _level(proficiency: Proficiency | None) -> str:
    return "-" if proficiency is None else f"{proficiency.score:.0f}"
