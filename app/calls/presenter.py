"""What an executor shows the trainee: the window's widgets, the terminal's lines, or nothing
(selftest, bench). Everything here is called on the executor's own thread."""

from __future__ import annotations

from typing import Protocol

from app.core.call_events import Phase, ShowNote
from app.core.debrief import Debrief
from app.core.dialogue import CustomerLine
from app.core.reply import HeardReply
from app.core.session import CompletedTurn


class Presenter(Protocol):
    def show_phase(self, phase: Phase) -> None: ...

    def show_line(self, line: CustomerLine, again: bool) -> None:
        """The customer's line, as a caption (and, unless `again`, in the conversation)."""

    def line_spoken(self, first_sound_at: float | None) -> None:
        """The line has been said; its first sound played at that perf_counter moment."""

    def show_level(self, level: float) -> None: ...

    def ask_for_typed_reply(self) -> None:
        """The trainee types: show the box, or read a line (the terminal)."""

    def ask_to_confirm(self, reply: HeardReply) -> None:
        """Show the unsure words and let the trainee confirm or correct them."""

    def show_feedback(self, turn: CompletedTurn) -> None:
        """The reply as scored, and what it did to the customer's trust."""

    def show_hint(self, title: str, text: str) -> None: ...

    def show_note(self, note: ShowNote) -> None: ...

    def call_finished(self, debrief: Debrief, can_retry: bool) -> None: ...


class QuietPresenter:
    """Shows nothing: for selftest and the bench, which check and time instead."""

    def show_phase(self, phase: Phase) -> None:
        return None

    def show_line(self, line: CustomerLine, again: bool) -> None:
        return None

    def line_spoken(self, first_sound_at: float | None) -> None:
        return None

    def show_level(self, level: float) -> None:
        return None

    def ask_for_typed_reply(self) -> None:
        return None

    def ask_to_confirm(self, reply: HeardReply) -> None:
        return None

    def show_feedback(self, turn: CompletedTurn) -> None:
        return None

    def show_hint(self, title: str, text: str) -> None:
        return None

    def show_note(self, note: ShowNote) -> None:
        return None

    def call_finished(self, debrief: Debrief, can_retry: bool) -> None:
        return None
