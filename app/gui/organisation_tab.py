"""The organisation view in the History window: progress by branch or team, read from the
central store with the manager's (read-only) login by `skeptic history org --json` in a child
process, so the window never waits on the network."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Callable

from PySide6.QtCore import QProcess, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.storage import SessionStore
from app.sync.central.figures import Grouping, GroupProgress
from app.sync.errors import SyncError
from app.sync.workstation import CENTRAL_ADDRESS, set_state, state

HEADERS = ("Trainees", "Calls", "Turns", "Empathy", "Composure", "Resolved", "Last call")


class OrganisationTab(QWidget):
    """A table of every branch (or team) in the central store."""

    loaded = Signal(object, str)  # list[GroupProgress] (or None), and a status line

    def __init__(
        self,
        address: str,
        remember: Callable[[str], None] = lambda address: None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.remember = remember
        # A manager's login (read-only): the workstation's own login may not read progress.
        self.address = QLineEdit(address)
        self.address.setPlaceholderText("postgresql://manager@db.example.org/skeptic")
        self.address.setAccessibleName("Central store address")
        self.by = QComboBox()
        self.by.addItems(["Branch", "Team"])
        self.by.setAccessibleName("Group by")
        self.reload = QPushButton("Re&fresh")
        self.status = QLabel(wordWrap=True)
        self.table = QTableWidget(0, len(HEADERS) + 1)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        top = QHBoxLayout()
        where = QLabel("Central &store")
        where.setBuddy(self.address)
        top.addWidget(where)
        top.addWidget(self.address, 1)
        label = QLabel("&Group by")
        label.setBuddy(self.by)
        top.addWidget(label)
        top.addWidget(self.by)
        top.addWidget(self.reload)
        page = QVBoxLayout(self)
        page.addLayout(top)
        page.addWidget(self.table, 1)
        page.addWidget(self.status)
        self.by.currentIndexChanged.connect(self.refresh)
        self.reload.clicked.connect(self.refresh)
        self.loaded.connect(self._show)
        self.process: QProcess | None = None

    def refresh(self) -> None:
        if self.process is not None and self.process.state() != QProcess.ProcessState.NotRunning:
            return
        grouping: Grouping = "team" if self.by.currentIndex() == 1 else "branch"
        address = self.address.text().strip()
        self.status.setText(f"Reading the central store at {_where(address)}...")
        self.reload.setEnabled(False)
        process = QProcess(self)
        process.setProgram(sys.executable)
        frozen = getattr(sys, "frozen", False)
        process.setArguments([*([] if frozen else ["-m", "app"]), "history", "org", "--json",
                              "--by", grouping, "--central", address])  # fmt: skip
        process.finished.connect(lambda code, _status: self._read(process, code, address))
        self.process = process
        process.start()

    def wait(self) -> None:
        if self.process is not None:
            self.process.waitForFinished(15_000)

    def _read(self, process: QProcess, code: int, address: str) -> None:
        output = bytes(process.readAllStandardOutput().data()).decode("utf-8", "replace")
        if code != 0:
            error = bytes(process.readAllStandardError().data()).decode("utf-8", "replace")
            lines = error.strip().splitlines()
            self.loaded.emit(None, lines[-1].removeprefix("skeptic: ") if lines else "failed")
            return
        try:
            groups = [GroupProgress(**group) for group in json.loads(output)]
        except (ValueError, TypeError) as error:
            self.loaded.emit(None, f"unexpected answer from skeptic history org ({error})")
            return
        self.loaded.emit(groups, f"From the central store at {_where(address)}")

    def _show(self, groups: list[GroupProgress] | None, line: str) -> None:
        self.reload.setEnabled(True)
        self.status.setText(line)
        if groups is None:
            return
        self.remember(self.address.text().strip())
        title = self.by.currentText()
        self.table.setHorizontalHeaderLabels([title, *HEADERS])
        self.table.setRowCount(len(groups))
        for row, group in enumerate(groups):
            cells = (
                group.group or "(none)",
                str(group.trainees),
                str(group.calls),
                str(group.turns),
                _figure(group.empathy),
                _figure(group.composure),
                _figure(group.resolved_percent, "%"),
                (group.last_call or "")[:10],
            )
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))


def _figure(value: float | None, unit: str = "") -> str:
    return "-" if value is None else f"{value:.0f}{unit}"


def _where(address: str) -> str:
    from app.sync.central.connection import shown_address  # loads the driver: only when used

    try:
        return shown_address(address)
    except SyncError:
        return "(a bad address)"


MANAGER_ADDRESS = "central_manager_address"


def organisation_tab(store: SessionStore) -> OrganisationTab | None:
    """The tab, when this workstation knows a central store (it synced, or a manager read it
    here before); None otherwise, so a workstation that never syncs shows no empty tab."""
    try:
        address = state(store.db, MANAGER_ADDRESS) or state(store.db, CENTRAL_ADDRESS)
    except Exception:  # a file from before identities, or unreadable: no central store
        return None
    if not address:
        return None

    def remember(used: str) -> None:
        # A read-only file: the address is simply not remembered.
        with contextlib.suppress(Exception):
            set_state(store.db, MANAGER_ADDRESS, used)

    return OrganisationTab(address, remember)
