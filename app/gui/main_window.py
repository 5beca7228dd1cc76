"""The practice window's layout: widgets only, no behaviour (see call_controller.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.core.call_events import AnswerMode

MODES = (AnswerMode.HANDS_FREE, AnswerMode.PUSH_TO_TALK)


if TYPE_CHECKING:
    from app.gui.background_sync import BackgroundSync


class MainWindowView(QMainWindow):
    """Set-up row, the conversation, the live state and feedback, and the reply row."""

    # Emitted when the window is asked to close, before it closes: workers stop first.
    closing = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.central_sync: BackgroundSync | None = None  # set when a central store is configured
        self.setWindowTitle("Skeptic - practise with a suspicious customer")
        self.resize(1100, 720)

        self.trainee = QLineEdit(placeholderText="Your name")
        self.trainee.setMinimumWidth(160)
        self.scenario = QComboBox()
        self.scenario.setMinimumContentsLength(24)
        self.mode = QComboBox()
        for mode in MODES:
            self.mode.addItem(mode.label, mode.value)
        self.start_button = QPushButton("&Start call  (Ctrl+Enter)")
        self._add_shortcut("Ctrl+Return", self.start_button)
        # Not Ctrl+E: a focused text box takes that as "end of line".
        self.end_button = QPushButton("&End call  (Ctrl+Shift+E)")
        self._add_shortcut("Ctrl+Shift+E", self.end_button)

        setup = QHBoxLayout()
        for label_text, field in (("&Trainee", self.trainee), ("S&cenario", self.scenario)):
            label = QLabel(label_text)
            label.setBuddy(field)
            setup.addWidget(label)
            setup.addWidget(field, 1)
        mode_label = QLabel("&Mode")
        mode_label.setBuddy(self.mode)
        setup.addWidget(mode_label)
        setup.addWidget(self.mode)
        # The call's buttons on a row of their own, so that large fonts still fit.
        self.settings_button = QPushButton("Settin&gs  (Ctrl+,)")
        self._add_shortcut("Ctrl+,", self.settings_button)
        call_buttons = QHBoxLayout()
        call_buttons.addWidget(self.start_button)
        call_buttons.addWidget(self.end_button)
        call_buttons.addStretch(1)
        self.history_button = QPushButton("&History  (Ctrl+Y)")
        self._add_shortcut("Ctrl+Y", self.history_button)
        call_buttons.addWidget(self.history_button)
        call_buttons.addWidget(self.settings_button)

        self.scenario_summary = QLabel(wordWrap=True)
        self.scenario_summary.setObjectName("scenarioSummary")

        self.conversation = QTextBrowser()
        self.conversation.setPlaceholderText(
            "Enter your name, pick a scenario and press Start call (Ctrl+Enter). The customer "
            "speaks first; answer out loud, or type your reply below."
        )
        self.conversation.setObjectName("conversation")
        self.conversation.setAccessibleName("Conversation")
        self.caption = QLabel(wordWrap=True)
        self.caption.setObjectName("caption")
        self.caption.setAccessibleName("Customer caption")
        self.caption.setStyleSheet(
            "QLabel#caption { font-size: 15pt; padding: 8px; background: #20242b; color: #f5f5f5;"
            " border-radius: 6px; }"
        )
        self.caption.setMinimumHeight(60)

        self.repeat_button = QPushButton("&Repeat line  (Ctrl+R)")
        self._add_shortcut("Ctrl+R", self.repeat_button)
        # F1, not Ctrl+H: a focused text box takes Ctrl+H as backspace.
        self.hint_button = QPushButton("Show &hint  (F1)")
        self._add_shortcut("F1", self.hint_button)
        self.retry_button = QPushButton("Try that &answer again  (Ctrl+T)")
        self._add_shortcut("Ctrl+T", self.retry_button)
        self.pause_button = QPushButton("&Pause  (Ctrl+P)")
        self._add_shortcut("Ctrl+P", self.pause_button)
        controls = QHBoxLayout()
        for button in (self.repeat_button, self.hint_button, self.retry_button, self.pause_button):
            controls.addWidget(button)
        controls.addStretch(1)

        left = QVBoxLayout()
        left.addWidget(self.scenario_summary)
        left.addWidget(self.conversation, 1)
        left.addWidget(self.caption)
        left.addLayout(controls)
        left_panel = QWidget()
        left_panel.setLayout(left)

        self.state = QLabel("Ready")
        self.state.setObjectName("callState")
        state_font = self.state.font()
        state_font.setPointSize(16)
        state_font.setBold(True)
        self.state.setFont(state_font)
        # Room for two lines from the start, so that no state resizes the panes mid-call.
        self.state.setWordWrap(True)
        self.state.setMinimumHeight(self.state.fontMetrics().lineSpacing() * 2)
        self.trust = QProgressBar(maximum=100, format="%v / 100")
        self.trust.setAccessibleName("Customer trust")
        self.mic_level = QProgressBar(maximum=100, textVisible=False)
        self.mic_level.setAccessibleName("Microphone level")
        self.mic_level.setMaximumHeight(14)
        live = QFormLayout()
        live.addRow("State", self.state)
        live.addRow("Customer trust", self.trust)
        live.addRow("Microphone", self.mic_level)
        live_box = QGroupBox("Call")
        live_box.setLayout(live)

        self.feedback = QTextBrowser()
        self.feedback.setObjectName("feedback")
        self.feedback.setAccessibleName("Feedback")
        feedback_box = QGroupBox("Feedback")
        feedback_layout = QVBoxLayout()
        feedback_layout.addWidget(self.feedback)
        feedback_box.setLayout(feedback_layout)

        right = QVBoxLayout()
        right.addWidget(live_box)
        right.addWidget(feedback_box, 1)
        right_panel = QWidget()
        right_panel.setLayout(right)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left_panel)
        splitter.addWidget(right_panel)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([640, 420])

        self.reply = QLineEdit(placeholderText="Type a reply and press Enter (Ctrl+L)")
        self.reply.setAccessibleName("Typed reply")
        focus_reply = QShortcut(QKeySequence("Ctrl+L"), self)
        focus_reply.activated.connect(self.reply.setFocus)
        self.send_button = QPushButton("Se&nd")
        self.talk_button = QPushButton("Hold to &talk  (hold Space)")
        self.talk_button.setObjectName("talkButton")
        self.stop_voice_button = QPushButton("Stop &voice  (Esc)")
        self._add_shortcut("Escape", self.stop_voice_button)
        reply_row = QHBoxLayout()
        reply_row.addWidget(self.reply, 1)
        reply_row.addWidget(self.send_button)
        reply_row.addWidget(self.talk_button)
        reply_row.addWidget(self.stop_voice_button)

        # Shown when the recogniser was unsure: the heard words, doubtful ones highlighted.
        self.check_transcript = QLabel(wordWrap=True)
        self.check_transcript.setObjectName("checkTranscript")
        self.check_transcript.setStyleSheet(
            "QLabel#checkTranscript { background: #fff8e1; color: #3e2723; padding: 6px; }"
        )
        self.check_transcript.hide()

        page = QVBoxLayout()
        page.addLayout(setup)
        page.addLayout(call_buttons)
        page.addWidget(splitter, 1)
        page.addWidget(self.check_transcript)
        page.addLayout(reply_row)
        central = QWidget()
        central.setLayout(page)
        self.setCentralWidget(central)

        self.recogniser_status = QLabel("Loading the speech recogniser...")
        self.storage_status = QLabel()
        self.storage_status.setStyleSheet("color: #b71c1c; font-weight: bold;")
        self.storage_status.hide()
        self.statusBar().addPermanentWidget(self.storage_status)
        self.statusBar().addPermanentWidget(self.recogniser_status)

    def _add_shortcut(self, keys: str, button: QPushButton) -> None:
        """A window-wide key for a button, kept apart from the button's own mnemonic (which
        Qt replaces whenever the button's text changes)."""
        shortcut = QShortcut(QKeySequence(keys), self)
        shortcut.activated.connect(button.click)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closing.emit()
        super().closeEvent(event)
