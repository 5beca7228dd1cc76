"""Font size and the high-contrast theme, applied to the whole application."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from app.settings import Settings


def apply_appearance(app: QApplication, settings: Settings) -> None:
    """Larger fonts scale every layout (for a projector); high contrast is white on black
    with yellow highlights."""
    font = app.font()
    font.setPointSize(settings.font_size)
    app.setFont(font)
    if settings.high_contrast:
        palette = QPalette()
        for role in (QPalette.ColorRole.Window, QPalette.ColorRole.Base, QPalette.ColorRole.Button):
            palette.setColor(role, QColor("black"))
        for role in (
            QPalette.ColorRole.WindowText,
            QPalette.ColorRole.Text,
            QPalette.ColorRole.ButtonText,
            QPalette.ColorRole.PlaceholderText,
        ):
            palette.setColor(role, QColor("white"))
        palette.setColor(QPalette.ColorRole.Highlight, QColor("#ffd600"))
        palette.setColor(QPalette.ColorRole.HighlightedText, QColor("black"))
        app.setPalette(palette)
    else:
        app.setPalette(app.style().standardPalette())
