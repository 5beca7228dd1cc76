"""The two themes: WCAG AA contrast computed for every pair drawn one on the other, and what a
user sees of it in high contrast (disabled controls, field borders, bar tracks, captions,
charts), read from rendered pixels."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage, QTextDocument, QTextTable
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QProgressBar, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from app.gui.appearance import apply_appearance
from app.gui.charts import progress_chart
from app.gui.feedback_html import score_bar
from app.gui.theme import (
    GRAPHIC_CONTRAST,
    GRAPHIC_PAIRS,
    HIGH_CONTRAST,
    NORMAL,
    TEXT_CONTRAST,
    TEXT_PAIRS,
    THEMES,
    Theme,
    colour_names,
    contrast_ratio,
)
from app.history.progress import ProgressSeries
from app.settings import Settings

GUI = Path(__file__).resolve().parents[2] / "app" / "gui"
# Printed on white paper, not drawn in the window's themes. (Its colours still belong in a print
# palette in theme.py; left for its module's owner.)
PRINTED = ("room_report_pdf.py",)
COLOUR_LITERAL = re.compile(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b|\b(?:black|white)\b['\"]")


@pytest.fixture(autouse=True)
def default_appearance(qapp: QApplication) -> Iterator[None]:
    yield
    apply_appearance(qapp, Settings())


def _use(high_contrast: bool, font_size: int = 11) -> Theme:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    return apply_appearance(app, Settings(high_contrast=high_contrast, font_size=font_size))


def test_contrast_ratio_matches_the_wcag_definition() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#336699", "#336699") == pytest.approx(1.0)


@pytest.mark.parametrize("theme", THEMES, ids=lambda theme: theme.name)
def test_every_pair_of_colours_meets_wcag_aa(theme: Theme) -> None:
    failures = [
        f"{fg} on {bg}: {contrast_ratio(getattr(theme, fg), getattr(theme, bg)):.2f}"
        for pairs, needed in ((TEXT_PAIRS, TEXT_CONTRAST), (GRAPHIC_PAIRS, GRAPHIC_CONTRAST))
        for fg, bg in pairs
        if contrast_ratio(getattr(theme, fg), getattr(theme, bg)) < needed
    ]
    failures += [
        f"chart line {line}: {contrast_ratio(line, theme.chart):.2f}"
        for line in theme.chart_lines
        if contrast_ratio(line, theme.chart) < GRAPHIC_CONTRAST
    ]
    assert not failures, failures
    # Every colour is checked against something.
    paired = {name for pair in (*TEXT_PAIRS, *GRAPHIC_PAIRS) for name in pair}
    unchecked = set(colour_names()) - paired - {"caption_border", "chart_grid", "disabled_border"}
    assert not unchecked


@pytest.mark.parametrize("theme", THEMES, ids=lambda theme: theme.name)
def test_disabled_text_is_readable_yet_clearly_not_the_enabled_colour(theme: Theme) -> None:
    assert contrast_ratio(theme.disabled_text, theme.disabled_button) >= TEXT_CONTRAST
    assert contrast_ratio(theme.disabled_text, theme.button_text) >= 2.5


def test_no_colour_is_written_anywhere_in_the_window_but_the_theme() -> None:
    found = [
        f"{path.name}:{number}: {line.strip()}"
        for path in sorted(GUI.glob("*.py"))
        if path.name not in ("theme.py", *PRINTED)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if COLOUR_LITERAL.search(line)
    ]
    assert not found, found


def _pixel(image: QImage, x: int, y: int) -> str:
    return QColor(image.pixel(x, y)).name()


def _colours(widget: QWidget) -> set[str]:
    image = widget.grab().toImage()
    return {_pixel(image, x, y) for x in range(0, image.width(), 1) for y in range(image.height())}


def test_high_contrast_disabled_buttons_look_disabled(qtbot: QtBot) -> None:
    theme = _use(high_contrast=True)
    enabled, disabled = QPushButton("End call"), QPushButton("End call")
    disabled.setEnabled(False)
    for button in (enabled, disabled):
        qtbot.addWidget(button)
        button.resize(160, 40)
        button.show()
    enabled_colours, disabled_colours = _colours(enabled), _colours(disabled)
    assert theme.button_text in enabled_colours and theme.border in enabled_colours
    assert theme.button_text not in disabled_colours and theme.border not in disabled_colours
    assert theme.disabled_border in disabled_colours


def test_high_contrast_text_fields_keep_a_border(qtbot: QtBot) -> None:
    theme = _use(high_contrast=True)
    field = QLineEdit(placeholderText="Type a reply and press Enter")
    qtbot.addWidget(field)
    field.resize(300, 36)
    field.show()
    image = field.grab().toImage()
    middle = image.height() // 2
    assert _pixel(image, 0, middle) == theme.border  # the left edge is a line ...
    assert _pixel(image, 6, middle) == theme.base  # ... around the field's own colour


def test_high_contrast_bars_keep_their_track(qtbot: QtBot) -> None:
    theme = _use(high_contrast=True)
    bar = QProgressBar(maximum=100, textVisible=False)
    bar.setValue(50)
    qtbot.addWidget(bar)
    bar.resize(200, 20)
    bar.show()
    image = bar.grab().toImage()
    middle = image.height() // 2
    assert _pixel(image, 0, middle) == theme.track_border
    assert _pixel(image, image.width() - 10, middle) == theme.track  # the empty half
    assert _pixel(image, 10, middle) != theme.track  # the filled half


@pytest.mark.parametrize("high_contrast", [False, True], ids=["normal", "high-contrast"])
def test_the_caption_is_larger_than_the_body_text_and_themed(
    qtbot: QtBot, high_contrast: bool
) -> None:
    theme = _use(high_contrast=high_contrast, font_size=18)
    caption = QLabel("Margaret: Who am I talking to?")
    caption.setObjectName("caption")
    qtbot.addWidget(caption)
    caption.show()
    assert caption.font().pointSize() > 18
    assert caption.palette().color(caption.foregroundRole()).name() == theme.caption_text


def test_the_score_bar_is_one_row_of_segments_in_the_theme_colours() -> None:
    for theme in THEMES:
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        apply_appearance(app, Settings(high_contrast=theme is HIGH_CONTRAST))
        html = score_bar("Empathy", 42)
        document = QTextDocument()
        document.setHtml(html)
        document.setTextWidth(120)  # a narrow pane: it shrinks, it does not wrap
        tables = [
            frame for frame in document.rootFrame().childFrames() if isinstance(frame, QTextTable)
        ]
        assert len(tables) == 1 and tables[0].rows() == 1 and tables[0].columns() == 20
        assert html.count(theme.score_fair) == 8 and html.count(theme.track) == 12


@pytest.mark.parametrize("theme", THEMES, ids=lambda theme: theme.name)
def test_charts_take_the_theme_colours(qtbot: QtBot, theme: Theme) -> None:
    chart = progress_chart(ProgressSeries("Dana", ()), ["empathy"], "Scores", theme=theme)
    qtbot.addWidget(chart)
    assert chart.backgroundBrush().color().name() == theme.chart
    assert NORMAL.chart != HIGH_CONTRAST.chart
