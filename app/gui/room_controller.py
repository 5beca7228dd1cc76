"""The facilitator's room in the window: opens the room and its observers' page, calls each
trainee to the seat (their call runs in the main window, like any other), reveals the tally,
takes changes to a reply's scores, closes the room and saves its report.

The projector and the counts follow the room by its version number, read on a short timer:
the web server's thread never touches a widget.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox

from app.core.scenario import Scenario
from app.errors import one_line
from app.gui.room_projector import ProjectorView
from app.gui.room_window import OverrideDialog, RoomWindowView
from app.room.hot_seat import HotSeat, SeatPresenter
from app.room.observers import ObserverRoom, RoomRefusal
from app.room.report import room_report
from app.room.roster import parse_roster
from app.room.server import RoomServer, RoomServerError
from app.room.tally import machine_level, median
from app.storage import SessionStore
from app.storage.rooms import RoomRecords

if TYPE_CHECKING:
    from app.gui.call_controller import CallController

REFRESH_MS = 200


class RoomController(QObject):
    def __init__(
        self,
        view: RoomWindowView,
        calls: CallController,
        store: SessionStore | None,
        scenarios: list[Scenario],
        seed: int | None = None,
    ) -> None:
        super().__init__()
        self.view = view
        self.calls = calls
        self.store = store
        self.scenarios = {scenario.id: scenario for scenario in scenarios}
        self.seed = seed
        self.room: ObserverRoom | None = None
        self.server: RoomServer | None = None
        self.hot_seat: HotSeat | None = None
        self.projector: ProjectorView | None = None
        self._shown_version = -1
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        view.open_button.clicked.connect(self.open_room)
        view.call_next_button.clicked.connect(self.call_next)
        view.reveal_button.clicked.connect(self.reveal)
        view.reveal_now_button.clicked.connect(lambda: self.reveal(before_everyone=True))
        view.override_button.clicked.connect(self.change_scores)
        view.projector_button.clicked.connect(self.show_projector)
        view.close_button.clicked.connect(self.close_room)
        view.report_pdf_button.clicked.connect(lambda: self.save_report("pdf"))
        view.report_csv_button.clicked.connect(lambda: self.save_report("csv"))
        for button in (view.report_pdf_button, view.report_csv_button):
            button.setEnabled(False)

    def problem(self, text: str) -> None:
        QMessageBox.warning(self.view, "Training room", text)

    def open_room(self) -> bool:
        view = self.view
        try:
            members = parse_roster(view.roster.toPlainText(), "the roster")
        except ValueError as error:
            self.problem(str(error))
            return False
        chosen = [self.scenarios[i] for i in view.chosen_scenario_ids() if i in self.scenarios]
        if not chosen:
            self.problem("Choose at least one scenario.")
            return False
        replies = None if view.whole_call.isChecked() else view.replies.value()
        room = ObserverRoom(view.name.text().strip() or "Training room")
        try:
            server = RoomServer(room, str(view.interface.currentData()), view.port.value())
            url = server.start()
        except RoomServerError as error:
            self.problem(str(error))
            return False
        records = RoomRecords(self.store.db) if self.store is not None else None
        try:
            self.hot_seat = HotSeat.open(room, members, chosen, replies, records, self.problem)
        except (ValueError, OSError) as error:
            server.stop()
            self.problem(one_line(error))
            return False
        self.room, self.server = room, server
        view.setup.setEnabled(False)
        view.running.setEnabled(True)
        view.where.setText(f"Observers open {url} and type the PIN {room.pin}")
        self.show_projector()
        self._timer.start()
        self.refresh()
        return True

    def show_projector(self) -> ProjectorView | None:
        if self.server is None:
            return None
        if self.projector is None:
            self.projector = ProjectorView(self.server.url)
        self._shown_version = -1
        self.refresh()
        screens = QGuiApplication.screens()
        if len(screens) > 1:
            # A second screen is the projector: fill it, and leave the facilitator's screen be.
            self.projector.setScreen(screens[-1])
            self.projector.setGeometry(screens[-1].geometry())
            self.projector.showFullScreen()
        else:
            self.projector.show()
        self.projector.raise_()
        return self.projector

    def call_next(self) -> bool:
        hot_seat = self.hot_seat
        if hot_seat is None or hot_seat.next_seat is None:
            return False
        seat = hot_seat.next_seat
        record = self.calls.record
        started = self.calls.start_seat(
            seat.trainee,
            lambda mode, baseline: hot_seat.call_next(mode, self.seed, baseline)[1],
            lambda inner: SeatPresenter(inner, hot_seat, lambda: record.session_id),
        )
        if not started:
            self.problem("Finish the call in progress first.")
        self.refresh()
        return started

    def reveal(self, before_everyone: bool = False) -> None:
        if self.hot_seat is None:
            return
        try:
            self.hot_seat.reveal(before_everyone=before_everyone)
        except RoomRefusal as refusal:
            self.problem(str(refusal))
        self.refresh()

    def change_scores(self) -> None:
        hot_seat = self.hot_seat
        if hot_seat is None or not hot_seat.replies:
            self.problem("There is no reply to change yet.")
            return
        reply = hot_seat.replies[-1].reply
        dialog = OverrideDialog(
            reply.trainee,
            machine_level(reply.machine_empathy),
            machine_level(reply.machine_composure),
            self.view,
        )
        if dialog.exec():
            self.override(dialog.empathy.value(), dialog.composure.value(), dialog.reason.text())

    def override(self, empathy: int, composure: int, reason: str) -> bool:
        if self.hot_seat is None:
            return False
        try:
            self.hot_seat.override(empathy, composure, reason)
        except (ValueError, LookupError) as error:
            self.problem(one_line(error))
            return False
        self._shown_version = -1
        self.refresh()
        return True

    def close_room(self) -> None:
        if self.hot_seat is None or self.server is None:
            return
        self.hot_seat.close()
        self.server.stop()
        self._timer.stop()
        self.refresh()
        for button in (self.view.report_pdf_button, self.view.report_csv_button):
            button.setEnabled(self.hot_seat.room_id is not None)
        self.view.call_next_button.setEnabled(False)

    def save_report(self, kind: str, path: Path | None = None) -> Path | None:
        hot_seat = self.hot_seat
        if hot_seat is None or hot_seat.room_id is None or self.store is None:
            return None
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self.view, "Save the room report", f"room-{hot_seat.room_id}.{kind}"
            )
            if not chosen:
                return None
            path = Path(chosen)
        try:
            report = room_report(self.store, hot_seat.room_id)
            if kind == "pdf":
                from app.gui.room_report_pdf import write_room_report

                write_room_report(path, report)
            else:
                from app.room.report_csv import write_room_csv

                write_room_csv(path, report)
        except (OSError, ValueError) as error:
            self.problem(f"The report was not saved: {one_line(error)}")
            return None
        return path

    def shutdown(self) -> None:
        """The window is closing: the room closes with it, its page stops."""
        self.close_room()
        if self.projector is not None:
            self.projector.close()

    def refresh(self) -> None:
        room, hot_seat = self.room, self.hot_seat
        if room is None or hot_seat is None:
            return
        state = room.projector()
        if state.version == self._shown_version:
            return
        self._shown_version = state.version
        if self.projector is not None:
            self.projector.show_state(state)
        upcoming = hot_seat.next_seat
        view = self.view
        view.next_label.setText(
            f"Next in the seat: {upcoming.trainee} ({upcoming.scenario.title})"
            if upcoming
            else "Every trainee has had their seat."
        )
        view.call_next_button.setEnabled(upcoming is not None and not state.closed)
        view.observers_label.setText(
            f"{state.observers} observers joined; {state.rated} rated the reply on the projector"
        )
        ratable = state.reply is not None and state.tally is None and not state.closed
        everyone = state.observers > 0 and state.rated >= state.observers
        view.reveal_button.setEnabled(ratable and everyone)
        view.reveal_now_button.setEnabled(ratable)
        view.override_button.setEnabled(bool(hot_seat.replies) and hot_seat.records is not None)
        view.summary.setHtml(self._summary())

    def _summary(self) -> str:
        """The room's debrief so far: every reply with the machine's and the people's scores."""
        hot_seat = self.hot_seat
        if hot_seat is None or not hot_seat.replies:
            return "<p>No replies yet.</p>"
        records = hot_seat.records
        turn_ids = {id(r): hot_seat.turn_id_of(r) for r in hot_seat.replies}
        changes = records.overrides([t for t in turn_ids.values() if t]) if records else {}
        stored = (
            records.ratings(hot_seat.room_id) if records and hot_seat.room_id is not None else {}
        )
        rows = []
        for entry in hot_seat.replies:
            reply = entry.reply
            turn_id = turn_ids[id(entry)]
            rated = stored.get(turn_id, []) if turn_id else []
            people = (
                median([float(r.empathy) for r in rated]),
                median([float(r.composure) for r in rated]),
            )
            change = changes.get(turn_id) if turn_id else None
            facilitator = (
                f"{change.empathy} / {change.composure}: {escape(change.reason)}" if change else ""
            )
            rows.append(
                f"<tr><td>{escape(reply.trainee)}</td><td>{escape(reply.transcript)}</td>"
                f"<td>{machine_level(reply.machine_empathy)} / "
                f"{machine_level(reply.machine_composure)}</td>"
                f"<td>{_level(people[0])} / {_level(people[1])}</td><td>{facilitator}</td></tr>"
            )
        return (
            "<table border='1' cellpadding='3'><tr><th>trainee</th><th>reply</th>"
            "<th>machine</th><th>observers</th><th>facilitator</th></tr>"
            + "".join(rows)
            + "</table><p>Scores as empathy / composure, 0-4.</p>"
        )


def _level(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"
