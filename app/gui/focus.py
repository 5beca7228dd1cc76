"""Keyboard focus between windows: a closed dialog hands the keyboard back to the window that
opened it (without a window manager, nothing else does), where Qt restores the widget that had
focus before."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget


def return_focus(opener: QWidget | None) -> None:
    if opener is None:
        return
    window = opener.window()
    if window.isVisible():
        window.raise_()
        window.activateWindow()


def take_focus(window: QWidget, widget: QWidget | None = None) -> None:
    """A window just shown takes the keyboard (a window manager would give it; without one,
    nothing does), on `widget` when given."""
    window.raise_()
    window.activateWindow()
    if widget is not None:
        widget.setFocus()
