"""Push-to-talk on the Space bar, anywhere in the app except while typing."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QTextEdit

# Repeats come 25 to 40 times a second, each release with its press: far quicker than this.
RELEASE_SETTLE_MS = 80


class TalkKey(QObject):
    """An application-wide event filter: Space pressed and released while `wanted()` is true
    (and no text box has the focus) call `pressed` and `released`.

    While Space is held, every Space event (the keyboard's auto-repeats included) is swallowed:
    a held key auto-repeats under X, and a repeat reaching the focused button would click it.
    Some X servers send the repeats as plain release/press pairs, not marked as repeats: a
    release therefore ends the hold only if no press follows it within RELEASE_SETTLE_MS."""

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
        self._held = False
        self._release = QTimer(self)
        self._release.setSingleShot(True)
        self._release.setInterval(RELEASE_SETTLE_MS)
        self._release.timeout.connect(self._let_go)

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
        if not (is_key and isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Space):
            return super().eventFilter(watched, event)
        if self._held:
            # Only the real release ends the hold; repeats (press or release) go nowhere.
            if event.isAutoRepeat():
                return True
            if event.type() == QEvent.Type.KeyRelease:
                self._release.start()
            else:
                self._release.stop()  # that release was half of an unmarked repeat
            return True
        if event.type() == QEvent.Type.KeyPress and self._is_talk_key(event):
            self._held = True
            self._pressed()
            return True
        if self._wanted() and not self._typing():
            return True  # a repeat or a stray release: never a click on the focused button
        return super().eventFilter(watched, event)

    def _let_go(self) -> None:
        self._held = False
        self._released()

    def _is_talk_key(self, event: QKeyEvent) -> bool:
        return not event.isAutoRepeat() and self._wanted() and not self._typing()

    @staticmethod
    def _typing() -> bool:
        return isinstance(QApplication.focusWidget(), QLineEdit | QTextEdit)
