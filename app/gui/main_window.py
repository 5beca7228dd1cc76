"""The practice window's layout: widgets only, no behaviour (see call_controller.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.core.call_events import AnswerMode
from app.gui.appearance import repolish
from app.gui.flow_layout import FlowLayout
from app.gui.window_size import fit_to_screen

MODES = (AnswerMode.HANDS_FREE, AnswerMode.PUSH_TO_TALK)
# Above this body size the keys move from the buttons' labels into their tooltips, so that the
# rows of buttons still fit a 1280-pixel screen.
KEYS_IN_LABELS_UP_TO_PT = 14


if TYPE_CHECKING:
    from app.gui.background_sync import BackgroundSync


class MainWindowView(QMainWindow):
    """Set-up row, the conversation, the live state and feedback, and the reply row."""

    PREFERRED_SIZE = (1100, 720)  # or the screen, if smaller
    # Emitted when the window is asked to close, before it closes: workers stop first.
    closing = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.central_sync: BackgroundSync | None = None  # set when a central store is configured
        self.setWindowTitle("Skeptic - practise with a suspicious customer")
        self._keys: dict[QPushButton, str] = {}  # a button's key, as shown to the user

        self.trainee = QLineEdit(placeholderText="Your name")
        self.trainee.setMinimumWidth(160)
        self.scenario = QComboBox()
        self.scenario.setMinimumContentsLength(24)
        # As wide as 24 characters, not as the longest title: with large fonts a long title
        # would widen the window past the screen (the open list shows every title whole).
        self.scenario.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.mode = QComboBox()
        for mode in MODES:
            self.mode.addItem(mode.label, mode.value)
        self.start_button = QPushButton("&Start call")
        self._add_shortcut("Ctrl+Return", self.start_button, "Ctrl+Enter")
        # Not Ctrl+E: a focused text box takes that as "end of line".
        self.end_button = QPushButton("&End call")
        self._add_shortcut("Ctrl+Shift+E", self.end_button)
        # Alt+H is the hint's; Alt+T the talk button's.
        self.history_button = QPushButton("Histor&y")
        self._add_shortcut("Ctrl+Y", self.history_button)
        self.settings_button = QPushButton("Settin&gs")
        self._add_shortcut("Ctrl+,", self.settings_button)
        # A training room: the facilitator's window, the projector and the observers' page.
        self.room_button = QPushButton("Training room (gro&up)…")
        self.about_button = QPushButton("A&bout")
        self.about_button.setToolTip("Version, licence and the parts Skeptic is made of")
        # Presentation mode for a projector: full screen, captions and conversation large.
        self.present_button = QPushButton("Presentation m&ode")
        self.present_button.setCheckable(True)
        self._add_shortcut("F11", self.present_button)
        self.present_button.toggled.connect(self.set_presenting)

        # Rows that wrap when large fonts make them wider than the screen (flow_layout.py):
        # who and what first, then the buttons.
        fields = FlowLayout()
        for label_text, field in (
            ("Tra&inee", self.trainee),
            ("S&cenario", self.scenario),
            ("&Mode", self.mode),
        ):
            fields.addWidget(_labelled(label_text, field))
        # At the end of the first row, which has room for them: a row of their own would cost
        # the conversation a line on a small screen with large fonts.
        fields.addWidget(self.room_button)
        fields.addWidget(self.about_button)
        call_buttons = FlowLayout()
        for button in (
            self.start_button,
            self.end_button,
            self.history_button,
            self.settings_button,
            self.present_button,
        ):
            call_buttons.addWidget(button)
        setup = QVBoxLayout()
        setup.addLayout(fields)
        setup.addLayout(call_buttons)

        # The brief scrolls rather than pushing the conversation off a small screen.
        self.scenario_summary = QTextBrowser()
        self.scenario_summary.setObjectName("scenarioSummary")
        self.scenario_summary.setAccessibleName("Scenario")
        self.scenario_summary.setFrameShape(QFrame.Shape.NoFrame)
        self.scenario_summary.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.scenario_summary.textChanged.connect(self._fit_brief)

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
        # Its colours and size (larger than the body text) come from the theme's style sheet.
        self.caption.setMinimumHeight(60)

        self.repeat_button = QPushButton("&Repeat line")
        self._add_shortcut("Ctrl+R", self.repeat_button)
        # F1, not Ctrl+H: a focused text box takes Ctrl+H as backspace.
        self.hint_button = QPushButton("Show &hint")
        self._add_shortcut("F1", self.hint_button)
        self.retry_button = QPushButton("Try that &answer again")
        self._add_shortcut("Ctrl+T", self.retry_button)
        self.pause_button = QPushButton("&Pause")
        self._add_shortcut("Ctrl+P", self.pause_button)
        controls = FlowLayout()
        for button in (self.repeat_button, self.hint_button, self.retry_button, self.pause_button):
            controls.addWidget(button)

        left = QVBoxLayout()
        left.addWidget(self.scenario_summary)
        left.addWidget(self.conversation, 1)
        left.addWidget(self.caption)
        left.addLayout(controls)
        left_panel = QWidget()
        left_panel.setLayout(left)

        self.state = QLabel("Ready")
        self.state.setObjectName("callState")
        # Larger and bold (the theme's style sheet); wraps rather than widening the pane.
        self.state.setWordWrap(True)
        self.trust = QProgressBar(maximum=100, format="%v / 100")
        self.trust.setAccessibleName("Customer trust")
        self.mic_level = QProgressBar(maximum=100, textVisible=False)
        self.mic_level.setAccessibleName("Microphone level")
        self.mic_level.setToolTip("Microphone level")
        # Beside the talk button, where the trainee looks while speaking.
        self.mic_level.setFixedSize(120, 14)
        self.state.setAccessibleName("Call state")
        bars = QFormLayout()
        bars.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # large fonts: label above
        bars.addRow("Customer trust", self.trust)
        live = QVBoxLayout()
        live.addWidget(self.state)  # the whole width, outside the form: it says what it is
        live.addLayout(bars)
        # A frame rather than a titled group: the state names itself, and the title's line is
        # better spent on the feedback when large fonts fill a small screen.
        live_box = QFrame()
        live_box.setObjectName("callBox")
        live_box.setFrameShape(QFrame.Shape.StyledPanel)
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
        self.right_panel = right_panel = QWidget()
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
        self.talk_button = QPushButton("Hold to &talk")
        self.talk_button.setObjectName("talkButton")
        self._keys[self.talk_button] = "hold Space"  # the controller's key filter, not a shortcut
        self.stop_voice_button = QPushButton("Stop &voice")
        self._add_shortcut("Escape", self.stop_voice_button, "Esc")
        self.reply.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        reply_row = FlowLayout()
        reply_row.addWidget(self.reply)
        reply_row.addWidget(self.send_button)
        reply_row.addWidget(self.talk_button)
        reply_row.addWidget(self.stop_voice_button)
        reply_row.addWidget(_labelled("Mic", self.mic_level))

        # Shown when the recogniser was unsure: the heard words, doubtful ones highlighted.
        self.check_transcript = QLabel(wordWrap=True)
        self.check_transcript.setObjectName("checkTranscript")
        self.check_transcript.hide()

        page = QVBoxLayout()
        self.setup_bar = QWidget()
        self.setup_bar.setLayout(setup)
        setup.setContentsMargins(0, 0, 0, 0)
        page.addWidget(self.setup_bar)
        page.addWidget(splitter, 1)
        page.addWidget(self.check_transcript)
        page.addLayout(reply_row)
        central = QWidget()
        central.setLayout(page)
        self.setCentralWidget(central)

        self.recogniser_status = QLabel("Loading the speech recogniser...")
        self.storage_status = QLabel()
        self.storage_status.setProperty("tone", "error")
        self.storage_status.hide()
        self.statusBar().addPermanentWidget(self.storage_status)
        self.statusBar().addPermanentWidget(self.recogniser_status)

        fit_to_screen(self, *self.PREFERRED_SIZE)
        self._show_keys()

    @property
    def presenting(self) -> bool:
        return bool(self.property("presenting"))

    def set_presenting(self, on: bool) -> None:
        """Presentation mode (F11): the whole screen, and the caption and the conversation in
        type that can be read from the back of a training room (sizes: appearance.py)."""
        if on == self.presenting:
            return
        self.setProperty("presenting", on)
        self.present_button.setChecked(on)
        # The room reads the conversation and the caption across the whole screen; the brief
        # and the feedback pane come back with F11 (and the debrief has it all).
        # Its keys (Ctrl+Enter, Ctrl+Shift+E, ...) still work while the setup row is hidden.
        self.setup_bar.setVisible(not on)
        self.scenario_summary.setVisible(not on)
        self.right_panel.setVisible(not on)
        repolish(self)
        # The newest line stays in view when the type grows or shrinks.
        bar = self.conversation.verticalScrollBar()
        QTimer.singleShot(0, bar, lambda: bar.setValue(bar.maximum()))
        if on:
            self._was_maximized = self.isMaximized()
            screen = self.screen()
            if screen is not None:  # without a window manager, nobody else resizes it
                self.setGeometry(screen.geometry())
            self.showFullScreen()
        elif getattr(self, "_was_maximized", False):
            self.showMaximized()
        else:
            self.showNormal()

    def show_unsure_reply(self, text: str | None) -> None:
        """An unsure transcript in the reply box, highlighted and selected (so that typing
        replaces it); None: back to an ordinary, empty reply box."""
        self.reply.setProperty("unsure", text is not None)
        repolish(self.reply)
        if text is None:
            return
        self.reply.setText(text)
        self.reply.selectAll()
        self.reply.setFocus()

    def set_button_text(self, button: QPushButton, text: str) -> None:
        """A button's label; its key is added as the font size allows (see _show_keys)."""
        button.setProperty("plainText", text)
        self._label_button(button)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.FontChange:
            self._show_keys()
        super().changeEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_brief()

    def _show_keys(self) -> None:
        for button in self._keys:
            self._label_button(button)
        self._fit_brief()

    def _fit_brief(self) -> None:
        """As high as the brief, up to three lines (two with large fonts); beyond, it scrolls."""
        brief = self.scenario_summary
        large = self.font().pointSize() > KEYS_IN_LABELS_UP_TO_PT
        document = brief.document()
        document.setTextWidth(brief.viewport().width())
        # The top margin and the frame (a border in high contrast) around whole lines only.
        margin = round(document.documentMargin()) + brief.frameWidth() * 2
        # Whole lines only: the bottom margin is left out, or the next line's top would show.
        most = brief.fontMetrics().lineSpacing() * (2 if large else 3) + margin
        brief.setFixedHeight(min(most, max(round(document.size().height()), margin)))

    def _label_button(self, button: QPushButton) -> None:
        text = button.property("plainText") or button.text()
        button.setProperty("plainText", text)
        keys = self._keys.get(button)
        if keys is None:
            return
        in_label = self.font().pointSize() <= KEYS_IN_LABELS_UP_TO_PT
        button.setText(f"{text}  ({keys})" if in_label else text)
        button.setToolTip(f"{text.replace('&', '')} ({keys})")

    def _add_shortcut(self, keys: str, button: QPushButton, shown: str | None = None) -> None:
        """A window-wide key for a button, kept apart from the button's own mnemonic (which
        Qt replaces whenever the button's text changes)."""
        shortcut = QShortcut(QKeySequence(keys), self)
        shortcut.activated.connect(button.click)
        self._keys[button] = shown or keys

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closing.emit()
        super().closeEvent(event)


def _labelled(text: str, field: QWidget) -> QWidget:
    """A label and its field, kept together on one row when the row wraps."""
    label = QLabel(text)
    label.setBuddy(field)
    pair = QWidget()
    row = QHBoxLayout(pair)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(label)
    row.addWidget(field, 1)
    return pair
