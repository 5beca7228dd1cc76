"""The history: every call, sortable and filtered by trainee; one call's transcript with its
feedback and recorded replies; a trainee's progress charts; reports and deletion."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from pathlib import Path

import soundfile
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.core.ports import Samples
from app.errors import UserError, one_line
from app.gui.charts import progress_chart
from app.gui.focus import return_focus, take_focus
from app.gui.organisation_tab import organisation_tab
from app.gui.reports import write_call_report, write_progress_report
from app.gui.window_size import fit_to_screen
from app.gui.wording import in_sentence, plural
from app.history.reports import call_report, trainee_report
from app.storage import CallFilter, CallRow, SavedTurn, SessionStore, StorageError

ALL_TRAINEES = "All trainees"
# Plays a recorded reply: samples and their sample rate.
PlayAudio = Callable[[Samples, int], object]
# Column title and the storage sort key behind it.
COLUMNS = (
    ("Date", "date"),
    ("Trainee", "trainee"),
    ("Scenario", "scenario"),
    ("Difficulty", "difficulty"),
    ("Ending", "ending"),
    ("Empathy", "empathy"),
    ("Composure", "composure"),
    ("Duration", "duration"),
)


class HistoryWindow(QDialog):
    PREFERRED_SIZE = (1100, 700)  # or the screen, if smaller

    def __init__(
        self, store: SessionStore, play: PlayAudio | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("History and progress")
        fit_to_screen(self, *self.PREFERRED_SIZE)
        self.store = store
        self.play = play
        self.sort_key, self.descending = "date", True
        self.shown_calls: list[CallRow] = []
        self.shown_turns: list[SavedTurn] = []
        self.last_error: str | None = None  # the last report that could not be saved, and why

        self.trainee = QComboBox()
        self.trainee.setAccessibleName("Trainee")
        self.calls = QTableWidget(0, len(COLUMNS))
        self.calls.setHorizontalHeaderLabels([title for title, _key in COLUMNS])
        self.calls.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.calls.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.calls.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.calls.verticalHeader().hide()
        self.calls.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.calls.horizontalHeader().setSectionsClickable(True)
        self.details = QTextBrowser()
        self.details.setOpenLinks(False)  # "play" links are handled here
        self.call_pdf = QPushButton("Call as &PDF...")
        # Alt+R is the Progress tab's; Alt+C the Calls tab's.
        self.delete_recordings = QPushButton("Delete this call's r&ecordings")
        self.delete_recordings.hide()  # until a call with recordings is open

        calls_tab = QWidget()
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.calls)
        split.addWidget(self.details)
        call_buttons = QHBoxLayout()
        call_buttons.addWidget(self.call_pdf)
        call_buttons.addWidget(self.delete_recordings)
        call_buttons.addStretch(1)
        calls_layout = QVBoxLayout(calls_tab)
        calls_layout.addWidget(split, 1)
        calls_layout.addLayout(call_buttons)

        self.progress_tab = QWidget()
        self.progress_layout = QVBoxLayout(self.progress_tab)
        self.standing = QLabel(wordWrap=True)
        self.progress_pdf = QPushButton("Progress as P&DF...")
        self.delete_trainee = QPushButton("Delete this trainee co&mpletely...")
        progress_buttons = QHBoxLayout()
        progress_buttons.addWidget(self.progress_pdf)
        progress_buttons.addStretch(1)
        progress_buttons.addWidget(self.delete_trainee)
        self.progress_layout.addWidget(self.standing)
        self.progress_layout.addLayout(progress_buttons)
        self.chart: QWidget | None = None

        self.tabs = QTabWidget()
        self.tabs.addTab(calls_tab, "&Calls")
        self.tabs.addTab(self.progress_tab, "P&rogress")
        self.organisation = organisation_tab(store)
        if self.organisation is not None:
            self.tabs.addTab(self.organisation, "&Organisation")
        top = QHBoxLayout()
        label = QLabel("&Trainee")
        label.setBuddy(self.trainee)
        top.addWidget(label)
        top.addWidget(self.trainee, 1)
        page = QVBoxLayout(self)
        page.addLayout(top)
        page.addWidget(self.tabs, 1)

        self.trainee.currentIndexChanged.connect(self.refresh)
        self.calls.horizontalHeader().sectionClicked.connect(self._sort_by)
        self.calls.itemSelectionChanged.connect(self._show_selected_call)
        self.details.anchorClicked.connect(lambda url: self._play(int(url.path() or 0)))
        self.call_pdf.clicked.connect(self._save_call_pdf)
        self.delete_recordings.clicked.connect(self._delete_call_recordings)
        self.progress_pdf.clicked.connect(self._save_progress_pdf)
        self.delete_trainee.clicked.connect(self._delete_trainee)
        self._fill_trainees()
        self.refresh()
        # Keyboard focus comes back to the window that opened this one when it closes.
        self.finished.connect(lambda _result: return_focus(parent))

    def showEvent(self, event: QShowEvent) -> None:
        """Opened or brought back: the window takes the keyboard, on the list of calls."""
        super().showEvent(event)
        QTimer.singleShot(0, self, lambda: take_focus(self, self.calls))

    def show_trainee(self, name: str) -> None:
        """Opens on this trainee's calls and progress (when they have any)."""
        index = self.trainee.findText(name, Qt.MatchFlag.MatchFixedString)
        if index >= 0:
            self.trainee.setCurrentIndex(index)

    @property
    def chosen_trainee(self) -> str | None:
        name = self.trainee.currentText()
        return None if name == ALL_TRAINEES or not name else name

    def _fill_trainees(self, select: str | None = None) -> None:
        self.trainee.blockSignals(True)
        self.trainee.clear()
        names = [trainee.name for trainee in self.store.trainees()]
        self.trainee.addItem(ALL_TRAINEES)
        self.trainee.addItems(names)
        if select:
            self.trainee.setCurrentText(select)
        elif len(names) == 1:  # one trainee: their progress, not an empty "All trainees"
            self.trainee.setCurrentText(names[0])
        self.trainee.blockSignals(False)

    def refresh(self) -> None:
        try:
            self.shown_calls = self.store.calls(
                CallFilter(trainee=self.chosen_trainee),
                sort=self.sort_key,
                descending=self.descending,
            )
        except StorageError as error:
            self.details.setPlainText(one_line(error))
            return
        self.calls.setRowCount(len(self.shown_calls))
        for row, call in enumerate(self.shown_calls):
            for column, text in enumerate(_cells(call)):
                self.calls.setItem(row, column, QTableWidgetItem(text))
        self.details.setHtml("" if self.shown_calls else "<p>No calls yet.</p>")
        if self.shown_calls:  # the newest call is open at once; arrow keys move through them
            self.calls.selectRow(0)
        self._show_progress()

    def _sort_by(self, column: int) -> None:
        key = COLUMNS[column][1]
        self.descending = not self.descending if key == self.sort_key else True
        self.sort_key = key
        self.refresh()

    def selected_call(self) -> CallRow | None:
        rows = self.calls.selectionModel().selectedRows()
        return self.shown_calls[rows[0].row()] if rows else None

    def _show_selected_call(self) -> None:
        call = self.selected_call()
        if call is None:
            return
        self.shown_turns = self.store.call_turns(call.id)
        self.details.setHtml(_call_html(call, self.shown_turns))
        self.delete_recordings.setVisible(any(saved.recording for saved in self.shown_turns))

    def _play(self, turn_id: int) -> None:
        found = next((s for s in self.shown_turns if s.id == turn_id), None)
        if found is None or found.recording is None or self.play is None:
            return
        samples, rate = soundfile.read(found.recording, dtype="float32")
        self.play(samples, rate)

    def _show_progress(self) -> None:
        trainee = self.chosen_trainee
        if self.chart is not None:
            self.progress_layout.removeWidget(self.chart)
            self.chart.deleteLater()
            self.chart = None
        enabled = trainee is not None
        self.progress_pdf.setEnabled(enabled)
        self.delete_trainee.setEnabled(enabled)
        if trainee is None:
            self.standing.setText("Pick a trainee to see their progress.")
            return
        report = trainee_report(self.store, trainee)
        standing = report.standing
        strongest = ", ".join(in_sentence(skill.label) for skill in standing.strongest) or "-"
        weakest = ", ".join(in_sentence(skill.label) for skill in standing.weakest) or "-"
        empathy = f"{standing.empathy.score:.0f}" if standing.empathy else "-"
        composure = f"{standing.composure.score:.0f}" if standing.composure else "-"
        self.standing.setText(
            f"<h2>{escape(standing.trainee)}: {plural(standing.calls, 'call')}</h2>"
            f"<p>Empathy <b>{empathy}</b>, composure <b>{composure}</b> (recent calls count "
            f"most). Strongest: {escape(strongest)}. Weakest: {escape(weakest)}.</p>"
            f"<p><b>Practise next:</b> {escape(standing.practise_next)}</p>"
        )
        self.chart = progress_chart(report.series, ["empathy", "composure"], "Scores by call")
        self.progress_layout.insertWidget(1, self.chart, 1)

    def _save_call_pdf(self) -> None:
        call = self.selected_call()
        if call is None:
            return
        path = self._ask_path(f"skeptic-call-{call.id}.pdf")
        if path:
            self._save_pdf(lambda: write_call_report(path, call_report(self.store, call.id)))

    def _save_progress_pdf(self) -> None:
        trainee = self.chosen_trainee
        if trainee is None:
            return
        path = self._ask_path(f"skeptic-{trainee}.pdf")
        if path:
            self._save_pdf(lambda: write_progress_report(path, trainee_report(self.store, trainee)))

    def _save_pdf(self, write: Callable[[], None]) -> None:
        """Writes a report; a folder that cannot be written or a full disk is said in a box."""
        try:
            write()
        except (UserError, ValueError, OSError, StorageError) as error:
            self.last_error = one_line(error)
            QMessageBox.warning(self, "Report not saved", self.last_error)

    def _ask_path(self, suggested: str) -> Path | None:
        chosen, _filter = QFileDialog.getSaveFileName(self, "Save report", suggested, "PDF (*.pdf)")
        return Path(chosen) if chosen else None

    def _delete_call_recordings(self) -> None:
        call = self.selected_call()
        if call is not None:
            self.store.delete_call_recordings(call.id)
            self._show_selected_call()

    def _delete_trainee(self) -> None:
        trainee = self.chosen_trainee
        if trainee is None:
            return
        answer = QMessageBox.question(
            self,
            "Delete trainee",
            f"Delete {trainee} with every call, score and recording? This cannot be undone.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.store.delete_trainee(trainee)
            self._fill_trainees()
            self.refresh()


def _cells(call: CallRow) -> list[str]:
    duration = call.duration_seconds
    return [
        call.started_at[:16].replace("T", " "),
        call.trainee,
        call.scenario_title,
        call.difficulty,
        (call.ending or "in progress").replace("_", " "),
        "-" if call.empathy is None else f"{call.empathy:.0f}",
        "-" if call.composure is None else f"{call.composure:.0f}",
        "-" if duration is None else f"{int(duration // 60)}:{int(duration % 60):02d}",
    ]


def _call_html(call: CallRow, turns: list[SavedTurn]) -> str:
    parts = [f"<h2>{escape(call.scenario_title)}</h2><p>{escape(call.trainee)}</p>"]
    for saved in turns:
        turn = saved.turn
        play = f' <a href="turn:{saved.id}">▶ play the reply</a>' if saved.recording else ""
        evidence = "".join(f"<li>{escape(item)}</li>" for item in turn.evidence)
        tip = f"<p><b>Try next:</b> {escape(turn.tips[0])}</p>" if turn.tips else ""
        if saved.override is not None:
            change = saved.override
            tip += (
                f"<p><b>Facilitator:</b> empathy {change.empathy}/4, composure "
                f"{change.composure}/4: {escape(change.reason)}</p>"
            )
        parts.append(
            f"<h3>Reply {turn.number}: empathy {turn.empathy}, composure {turn.composure}</h3>"
            f"<p><i>Customer:</i> {escape(turn.customer_line)}</p>"
            f"<p><i>Trainee:</i> {escape(turn.transcript)}{play}</p><ul>{evidence}</ul>{tip}"
        )
    return "".join(parts)
