"""Progress charts: a trainee's scores over time, drawn with pyqtgraph.

pyqtgraph because it runs on PySide6-Essentials (QtCharts needs the 150 MB PySide6-Addons), draws
thousands of points at once, and renders the same chart into the window and into PDF reports.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyqtgraph as pg
from PySide6.QtGui import QImage

from app.history.progress import ProgressSeries, measure_label

# Colour-blind-safe colours (Okabe-Ito), one per line.
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")


def progress_chart(
    series: ProgressSeries,
    measures: Sequence[str],
    title: str = "",
    scores: bool = True,
) -> pg.PlotWidget:
    """A line per measure, one point per call, dates along the bottom; `scores` fixes the
    scale at 0-100 so that charts of different trainees compare at a glance."""
    chart = pg.PlotWidget(axisItems={"bottom": pg.DateAxisItem(orientation="bottom")})
    chart.setBackground("w")
    chart.showGrid(x=True, y=True, alpha=0.25)
    if title:
        chart.setTitle(title, color="#222", size="12pt")
    chart.addLegend(offset=(10, 10))
    if scores:
        chart.setYRange(0, 100)
    for index, measure in enumerate(measures):
        points = series.values(measure)
        if not points:
            continue
        xs = [moment.timestamp() for moment, _value in points]
        ys = [value for _moment, value in points]
        colour = COLOURS[index % len(COLOURS)]
        chart.plot(
            xs,
            ys,
            name=measure_label(measure),
            pen=pg.mkPen(colour, width=2),
            symbol="o",
            symbolSize=6,
            symbolBrush=colour,
        )
    return chart


def chart_image(chart: pg.PlotWidget, width: int = 900, height: int = 360) -> QImage:
    """The chart drawn off screen, for a report."""
    chart.resize(width, height)
    image: QImage = chart.grab().toImage()
    return image
