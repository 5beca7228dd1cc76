"""The facilitator's room window (layout only): opening a room, then running it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtNetwork import QAbstractSocket, QNetworkInterface
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.core.scenario import Scenario
from app.storage.migrations import OVERRIDE_REASON_LIMIT

ROSTER_HINT = "One trainee a line, in seat order.\n+ Name: on the leaderboard\n+ Name (alias)"


def interface_addresses() -> list[tuple[str, str]]:
    """(label, address) of every up interface's IPv4 address, the room's network first and
    this computer alone last."""
    found: list[tuple[str, str]] = []
    loopback: list[tuple[str, str]] = []
    for interface in QNetworkInterface.allInterfaces():
        flags = interface.flags()
        if not flags & QNetworkInterface.InterfaceFlag.IsUp:
            continue
        for entry in interface.addressEntries():
            address = entry.ip()
            if address.protocol() != QAbstractSocket.NetworkLayerProtocol.IPv4Protocol:
                continue
            text = address.toString()
            if address.isLoopback():
                loopback.append((f"{text} (this computer only)", text))
            else:
                found.append((f"{text} ({interface.humanReadableName()})", text))
    return found + (loopback or [("127.0.0.1 (this computer only)", "127.0.0.1")])


class RoomWindowView(QWidget):
    def __init__(self, scenarios: list[Scenario], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Skeptic: training room")
        self.name = QLineEdit("Training room")
        self.roster = QPlainTextEdit(placeholderText=ROSTER_HINT)
        self.roster.setMaximumHeight(140)
        self.scenarios = QListWidget()
        self.scenarios.setMaximumHeight(140)
        for number, scenario in enumerate(scenarios):
            item = QListWidgetItem(f"{scenario.title}  [{scenario.difficulty}]")
            item.setData(Qt.ItemDataRole.UserRole, scenario.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if number == 0 else Qt.CheckState.Unchecked)
            self.scenarios.addItem(item)
        self.whole_call = QCheckBox("A whole call each")
        self.replies = QSpinBox(minimum=1, maximum=30, value=2, suffix=" replies each")
        self.whole_call.toggled.connect(lambda whole: self.replies.setEnabled(not whole))
        self.interface = QComboBox()
        for label, address in interface_addresses():
            self.interface.addItem(label, address)
        self.port = QSpinBox(minimum=1024, maximum=65535, value=8765)
        self.open_button = QPushButton("&Open the room")

        seat = QHBoxLayout()
        seat.addWidget(self.replies)
        seat.addWidget(self.whole_call)
        setup_form = QFormLayout()
        setup_form.addRow("Room &name", self.name)
        setup_form.addRow("&Roster", self.roster)
        setup_form.addRow("S&cenarios", self.scenarios)
        setup_form.addRow("In the seat", seat)
        setup_form.addRow("Observers join on", self.interface)
        setup_form.addRow("Port", self.port)
        setup_form.addRow(self.open_button)
        self.setup = QGroupBox("Open a room")
        self.setup.setLayout(setup_form)

        self.where = QLabel()
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.next_label = QLabel()
        self.call_next_button = QPushButton("&Call the next trainee")
        self.observers_label = QLabel()
        self.reveal_button = QPushButton("&Reveal the tally")
        self.reveal_now_button = QPushButton("Reveal &now")
        self.reveal_now_button.setToolTip("Reveal before every observer has rated")
        self.override_button = QPushButton("Change the &scores…")
        self.projector_button = QPushButton("Show the &projector")
        self.close_button = QPushButton("C&lose the room")
        self.report_pdf_button = QPushButton("Save the report (&PDF)…")
        self.report_csv_button = QPushButton("Save the report (CS&V)…")
        self.summary = QTextBrowser()

        buttons = QHBoxLayout()
        for button in (self.reveal_button, self.reveal_now_button, self.override_button):
            buttons.addWidget(button)
        room_buttons = QHBoxLayout()
        for button in (
            self.projector_button,
            self.close_button,
            self.report_pdf_button,
            self.report_csv_button,
        ):
            room_buttons.addWidget(button)
        running_layout = QVBoxLayout()
        running_layout.addWidget(self.where)
        running_layout.addWidget(self.next_label)
        running_layout.addWidget(self.call_next_button)
        running_layout.addWidget(self.observers_label)
        running_layout.addLayout(buttons)
        running_layout.addWidget(self.summary, 1)
        running_layout.addLayout(room_buttons)
        self.running = QGroupBox("The room")
        self.running.setLayout(running_layout)
        self.running.setEnabled(False)

        layout = QVBoxLayout(self)
        layout.addWidget(self.setup)
        layout.addWidget(self.running, 1)
        self.resize(760, 820)

    def chosen_scenario_ids(self) -> list[str]:
        ids = []
        for row in range(self.scenarios.count()):
            item = self.scenarios.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                ids.append(str(item.data(Qt.ItemDataRole.UserRole)))
        return ids


class OverrideDialog(QDialog):
    """The facilitator's scores for a reply (0-4) and the one-line reason for them."""

    def __init__(self, trainee: str, empathy: int, composure: int, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Change the scores of {trainee}'s reply")
        self.empathy = QSpinBox(minimum=0, maximum=4, value=empathy)
        self.composure = QSpinBox(minimum=0, maximum=4, value=composure)
        self.reason = QLineEdit(placeholderText="Why, in one line")
        self.reason.setMaxLength(OVERRIDE_REASON_LIMIT)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("&Empathy (0-4)", self.empathy)
        form.addRow("&Composure (0-4)", self.composure)
        form.addRow("&Reason", self.reason)
        form.addRow(QLabel("The machine's scores are kept; yours are shown beside them."))
        form.addRow(self.buttons)
