"""Progress charts: a trainee's scores call by call, drawn with pyqtgraph, in the theme's colours.

pyqtgraph because it runs on PySide6-Essentials (QtCharts needs the 150 MB PySide6-Addons), draws
thousands of points at once, and renders the same chart into the window and into PDF reports.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import pyqtgraph as pg
from PySide6.QtGui import QImage

from app.gui.theme import NORMAL, Theme, current_theme
from app.history.progress import ProgressSeries, measure_label

# At most this many dates under the axis; between them, calls are ticked without a label.
MOST_DATE_LABELS = 8


def progress_chart(
    series: ProgressSeries,
    measures: Sequence[str],
    title: str = "",
    scores: bool = True,
    theme: Theme | None = None,
) -> pg.PlotWidget:
    """A line per measure, one point per call in order, each call's date under it; `scores`
    fixes the scale at 0-100 so that charts of different trainees compare at a glance.

    Calls are spaced evenly rather than by time: a practice morning and a quiet month both stay
    readable, and the axis always shows dates (a time axis over a few minutes shows seconds)."""
    theme = theme or current_theme()
    chart = pg.PlotWidget()
    chart.setBackground(theme.chart)
    chart.showGrid(x=False, y=True, alpha=0.35)
    if title:
        chart.setTitle(title, color=theme.chart_text, size="12pt")
    for side in ("left", "bottom"):
        axis = chart.getAxis(side)
        axis.setPen(pg.mkPen(theme.chart_text))
        axis.setTextPen(pg.mkPen(theme.chart_text))
    legend = chart.addLegend(offset=(10, 10), labelTextColor=theme.chart_text)
    legend.setBrush(pg.mkBrush(theme.chart))
    legend.setPen(pg.mkPen(theme.chart_grid))
    if scores:
        chart.setYRange(0, 100)
    times = series.times
    chart.getAxis("bottom").setTicks(_date_ticks(times))
    if times:
        chart.setXRange(0.7, len(times) + 0.3, padding=0)
    position = {moment: index + 1 for index, moment in enumerate(times)}
    for index, measure in enumerate(measures):
        points = series.values(measure)
        if not points:
            continue
        xs = [position[moment] for moment, _value in points]
        ys = [value for _moment, value in points]
        colour = theme.chart_lines[index % len(theme.chart_lines)]
        chart.plot(
            xs,
            ys,
            name=measure_label(measure),
            pen=pg.mkPen(colour, width=3),
            symbol="o",
            symbolSize=8,
            symbolBrush=colour,
            symbolPen=pg.mkPen(colour),
        )
    return chart


def _date_ticks(times: Sequence[datetime]) -> list[list[tuple[float, str]]]:
    """Labelled ticks (day and month; the time too when calls share a day) for at most
    MOST_DATE_LABELS calls, spread evenly, and unlabelled ticks for the others."""
    if not times:
        return [[], []]
    same_day = len({moment.date() for moment in times}) < len(times)
    step = max(1, -(-len(times) // MOST_DATE_LABELS))
    labelled: list[tuple[float, str]] = []
    unlabelled: list[tuple[float, str]] = []
    for index, moment in enumerate(times):
        text = f"{moment.day} {moment:%b}" + (f" {moment:%H:%M}" if same_day else "")
        (labelled if index % step == 0 else unlabelled).append((index + 1, text))
    return [labelled, [(position, "") for position, _text in unlabelled]]


def chart_image(chart: pg.PlotWidget, width: int = 900, height: int = 360) -> QImage:
    """The chart drawn off screen, for a report."""
    chart.resize(width, height)
    image: QImage = chart.grab().toImage()
    return image


def report_chart(series: ProgressSeries, measures: Sequence[str], title: str) -> QImage:
    """A chart for a printed report: always the normal theme (paper is white)."""
    return chart_image(progress_chart(series, measures, title, theme=NORMAL))
