"""Push-to-talk on the Space bar, anywhere in the app except while typing."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QTextEdit


class TalkKey(QObject):
    """An application-wide event filter: Space pressed and released while `wanted()` is true
    (and no text box has the focus) call `pressed` and `released`."""

    def __init__(
        self,
        wanted: Callable[[], bool],
        pressed: Callable[[], None],
        released: Callable[[], None],
    ) -> None:
        super().__init__()
        self._wanted = wanted
        self._pressed = pressed
        self._released = released

    def install(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def remove(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        is_key = event.type() in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease)
        if is_key and isinstance(event, QKeyEvent) and self._is_talk_key(event):
            if event.type() == QEvent.Type.KeyPress:
                self._pressed()
            else:
                self._released()
            return True
        return super().eventFilter(watched, event)

    def _is_talk_key(self, event: QKeyEvent) -> bool:
        if event.key() != Qt.Key.Key_Space or event.isAutoRepeat() or not self._wanted():
            return False
        return not isinstance(QApplication.focusWidget(), QLineEdit | QTextEdit)
