"""The windows a call leads to: the debrief at its end and the history."""

from __future__ import annotations

from collections.abc import Callable

from app.core.debrief import Debrief
from app.gui.backends import Backends
from app.gui.debrief_dialog import DebriefDialog
from app.gui.history_window import HistoryWindow
from app.gui.main_window import MainWindowView
from app.storage import SessionStore


class CallNavigation:
    def __init__(
        self,
        view: MainWindowView,
        backends: Backends,
        store: SessionStore | None,
        show_problem: Callable[[str], None],
    ) -> None:
        self.view = view
        self.backends = backends
        self.store = store
        self._show_problem = show_problem
        self.debrief: DebriefDialog | None = None
        self.history: HistoryWindow | None = None

    def open_history(self) -> HistoryWindow | None:
        if self.store is None:
            self._show_problem("There is no history: the database could not be opened.")
            return None
        if self.history is None:
            self.history = HistoryWindow(self.store, self.backends.play, self.view)
        else:
            self.history.refresh()
        self.history.show()
        self.history.raise_()
        return self.history

    def show_debrief(self, debrief: Debrief, can_retry: bool) -> DebriefDialog:
        """The debrief of the call just ended, replacing any earlier one."""
        self.close_debrief()
        dialog = DebriefDialog(debrief, can_retry, self.view)
        dialog.history_button.clicked.connect(self.open_history)
        dialog.show()
        self.debrief = dialog
        return dialog

    def close_debrief(self) -> None:
        if self.debrief is not None:
            self.debrief.close()
