"""What a user would see as a broken layout, found from the widgets' geometry: a widget that
lies (partly) outside its window or its parent, a label or button whose text does not fit (Qt
then clips or elides it), a window larger than the screen."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QTabBar,
    QToolButton,
    QWidget,
)

from app.gui.window_size import FRAME_ALLOWANCE


def describe(widget: QWidget) -> str:
    text = ""
    for getter in ("text", "title", "windowTitle"):
        value = getattr(widget, getter, None)
        if callable(value):
            found = value()
            if isinstance(found, str) and found:
                text = found
                break
    name = widget.objectName() or widget.accessibleName()
    short = " ".join(text.split())[:50]
    return f"{type(widget).__name__}({name!s} {short!r})"


def _scrolled(widget: QWidget, window: QWidget) -> bool:
    """Inside a scroll area's content, where lying beyond the visible part is normal."""
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        viewport = parent.viewport() if isinstance(parent, QAbstractScrollArea) else None
        if viewport is not None and widget is not viewport and viewport.isAncestorOf(widget):
            return True
        parent = parent.parentWidget()
    return False


def _clipped(widget: QWidget) -> str | None:
    width, height = widget.width(), widget.height()
    if isinstance(widget, QLabel) and (widget.text() or widget.pixmap() is not None):
        if widget.wordWrap():
            needed = widget.heightForWidth(width)
            if height + 1 < needed:
                return f"{describe(widget)} is {height} px high, its text needs {needed}"
            return None
        hint = widget.sizeHint()
        if width + 1 < hint.width() or height + 1 < hint.height():
            return f"{describe(widget)} is {width}x{height}, its text needs {hint.toTuple()}"
        return None
    if isinstance(widget, QAbstractButton) and not isinstance(widget, QToolButton):
        hint = widget.sizeHint()
        if width + 1 < hint.width() or height + 1 < widget.minimumSizeHint().height():
            return f"{describe(widget)} is {width}x{height}, its text needs {hint.toTuple()}"
        return None
    if isinstance(widget, QGroupBox | QComboBox):
        hint = widget.minimumSizeHint()
        if width + 1 < hint.width():
            return f"{describe(widget)} is {width} px wide, needs {hint.width()}"
        return None
    if isinstance(widget, QTabBar):
        scrolling = [b for b in widget.findChildren(QToolButton) if b.isVisible()]
        if scrolling or width + 1 < widget.sizeHint().width():
            return f"{describe(widget)}: the tabs do not fit ({width} px < {widget.sizeHint()})"
    return None


def layout_problems(window: QWidget) -> list[str]:
    """Everything visibly wrong with the window's layout as it is now laid out."""
    for _ in range(3):  # a layout request can post another one (word-wrapped labels)
        QApplication.processEvents()
    problems = []
    bounds = window.rect()
    for widget in window.findChildren(QWidget):
        if not widget.isVisible() or widget.window() is not window or _scrolled(widget, window):
            continue
        area = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
        if not bounds.contains(area):
            problems.append(f"{describe(widget)} at {area.getRect()} outside the window {bounds}")
        parent = widget.parentWidget()
        if parent is not None and not parent.rect().contains(widget.geometry()):
            problems.append(
                f"{describe(widget)} at {widget.geometry().getRect()} sticks out of "
                f"{describe(parent)} {parent.rect().getRect()}"
            )
        clipped = _clipped(widget)
        if clipped:
            problems.append(clipped)
    return problems


def screen_problems(window: QWidget, screen: QRect) -> list[str]:
    """The window must fit the screen, with room for a title bar."""
    free_height = screen.height() - FRAME_ALLOWANCE
    if window.width() <= screen.width() and window.height() <= free_height:
        return []
    return [
        f"{describe(window)} is {window.width()}x{window.height()}, the screen leaves "
        f"{screen.width()}x{free_height}"
    ]
