"""Windows open at a comfortable size, but never larger than the screen they open on, and
never lower than their content needs at the width they get (word-wrapped text grows taller as
a window gets narrower, which Qt's minimum sizes do not account for)."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMainWindow, QWidget

# Room kept for a window manager's title bar and a task bar.
FRAME_ALLOWANCE = 60
# The font size the windows' preferred sizes are given for; larger fonts enlarge them alike.
DESIGN_POINT_SIZE = 11


def fit_to_screen(window: QWidget, width: int, height: int, free: QRect | None = None) -> None:
    """Resizes to width x height (at 11 pt; in proportion to larger fonts), or to the free
    area of the window's screen (`free`, when given: a test's pretend screen) if that is
    smaller; taller when the content needs it."""
    scale = max(1.0, window.font().pointSizeF() / DESIGN_POINT_SIZE)
    width, height = round(width * scale), round(height * scale)
    if free is None:
        screen = window.screen() or QGuiApplication.primaryScreen()
        free = screen.availableGeometry() if screen is not None else None
    if free is not None:
        width = min(width, free.width())
    needed = _height_needed(window, width)
    height = max(height, needed)
    if free is not None:
        height = min(height, free.height() - FRAME_ALLOWANCE)
    window.resize(width, height)


def _height_needed(window: QWidget, width: int) -> int:
    """The least height at which the window's content fits at this width."""
    extra = 0
    if isinstance(window, QMainWindow):
        extra = window.statusBar().sizeHint().height() if window.statusBar().isVisible() else 0
        central = window.centralWidget()
        layout = central.layout() if central is not None else None
    else:
        layout = window.layout()
    if layout is None:
        return window.minimumSizeHint().height()
    layout.activate()
    if layout.hasHeightForWidth():
        return layout.minimumHeightForWidth(width) + extra
    return layout.totalMinimumSize().height() + extra
