"""Settings and audio set-up, on three tabs: the trainee's profile (name, team, branch and
whether their spoken replies are kept), sound (how replies are given, which microphone and
speaker, a microphone test that shows what was understood, a voice test) and display (font size,
high contrast).

Also the first-run guide: the same tabs, introduced, so that set-up takes under a minute.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.errors import one_line
from app.gui.focus import return_focus, take_focus
from app.gui.window_size import fit_to_screen
from app.settings import Settings

DEFAULT_DEVICE = "System default"
# Hears one phrase on a microphone (None: the default) and returns the words understood.
MicrophoneTest = Callable[[str | None, Callable[[float], None]], str]
# Says a sample line through a speaker (None: the default).
VoiceTest = Callable[[str | None], None]
# Says a sample line with neural voice pack number N through a speaker.
VoicePackTest = Callable[[int, str | None], None]
NO_PACKS = (
    "No natural voice is installed: the customer speaks with espeak-ng. Piper voice packs "
    "(.onnx with its .onnx.json) go in the voices folder of your data folder."
)

RECORDING_NOTICE = (
    "Off unless you switch it on. Your replies are then saved as audio files on this computer "
    "only, so that you and your trainer can listen again in History; delete them there at any "
    "time, per call or all at once."
)

WELCOME = (
    "<b>Three things and you are ready:</b> your name, here; then on <i>Sound</i>, your "
    "microphone (press <i>Test microphone</i> and say a sentence) and how you want to answer. "
    "All of it can be changed later under <i>Settings</i>."
)


@dataclass(frozen=True)
class Profile:
    """What is stored about a trainee, beside their calls."""

    team: str = ""
    branch: str = ""
    keeps_recordings: bool = False


# The stored profile of a trainee by name (an empty Profile for someone new).
ProfileLookup = Callable[[str], Profile]


def _no_profile(_name: str) -> Profile:
    return Profile()


class _Results(QObject):
    """Carries results of the background tests back to the dialog's thread."""

    level = Signal(float)
    heard = Signal(str)
    done = Signal()


class SettingsDialog(QDialog):
    PREFERRED_SIZE = (720, 600)  # or the screen, if smaller

    def __init__(
        self,
        settings: Settings,
        microphones: list[str],
        speakers: list[str],
        test_microphone: MicrophoneTest,
        test_voice: VoiceTest,
        first_run: bool = False,
        profile: ProfileLookup = _no_profile,
        voice_packs: tuple[list[str], list[str]] = ([], []),
        play_voice_pack: VoicePackTest | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Welcome to Skeptic" if first_run else "Skeptic settings")
        self._settings = settings
        self._profile = profile
        self._test_microphone = test_microphone
        self._test_voice = test_voice
        self._play_voice_pack = play_voice_pack
        self._results = _Results()

        self.trainee = QLineEdit(settings.trainee, placeholderText="Your name")
        self.team = QLineEdit(placeholderText="Optional, for reports by team")
        self.branch = QLineEdit(placeholderText="Optional, for reports by branch")
        self.mode = QComboBox()
        self.mode.addItem("Hands-free: just speak", "hands-free")
        self.mode.addItem("Push-to-talk: hold Space while speaking", "push-to-talk")
        self.mode.setCurrentIndex(self.mode.findData(settings.mode))
        self.microphone = _device_picker(microphones, settings.microphone)
        self.level = QProgressBar(maximum=100, textVisible=False)
        self.level.setAccessibleName("Microphone level")
        # Each test first measures the room's background noise, so only speech counts.
        self.mic_test = QPushButton("&Test microphone: say something")
        self.mic_test.setToolTip("Measures the room's noise for half a second, then listens")
        self.heard = QLabel("", wordWrap=True)
        self.heard.setAccessibleName("What was understood")
        self.speaker = _device_picker(speakers, settings.speaker)
        self.voice_test = QPushButton("Play the customer's &voice")
        packs, problems = voice_packs
        self.voice_packs = QComboBox()
        self.voice_packs.setAccessibleName("Natural voices")
        for number, pack in enumerate(packs):
            self.voice_packs.addItem(pack, number)
        self.voice_packs.setEnabled(bool(packs))
        self.pack_test = QPushButton("Play this &natural voice")
        self.pack_test.setEnabled(bool(packs) and play_voice_pack is not None)
        notes = [f"Not used: {problem}" for problem in problems] or ([] if packs else [NO_PACKS])
        self.pack_notes = QLabel("\n".join(notes), wordWrap=True)
        self.pack_notes.setVisible(bool(notes))
        self.neural_voice = QCheckBox("Use a natural voice when one suits the customer")
        self.neural_voice.setChecked(settings.neural_voice)
        self.neural_voice.setToolTip("Takes effect the next time Skeptic starts")
        self.font_size = QSpinBox(minimum=8, maximum=32, value=settings.font_size)
        self.font_size.setSuffix(" pt")
        self.keep_recordings = QCheckBox("&Keep recordings of my spoken replies")
        self.keep_recordings.setToolTip(RECORDING_NOTICE)
        self.recording_notice = QLabel(RECORDING_NOTICE, wordWrap=True)
        self.high_contrast = QCheckBox("&High contrast")
        self.high_contrast.setChecked(settings.high_contrast)
        self._show_profile()

        # Wrapped rows: with large fonts a label goes above its field instead of widening the
        # dialog past the screen; long notes sit outside the form, whose rows would clip them.
        you = _form(("&Your name", self.trainee), ("T&eam", self.team), ("&Branch", self.branch))
        you.addWidget(self.keep_recordings)
        you.addWidget(self.recording_notice)
        you.addStretch(1)
        sound = _form(
            ("&Answer by", self.mode),
            ("&Microphone", self.microphone),
            ("Level", self.level),
            ("", self.mic_test),
        )
        sound.addWidget(self.heard)
        sound.addStretch(1)
        # The customer's voice on a tab of its own: with large fonts, one tab for the
        # microphone and the voice together is taller than a 768-pixel screen.
        # Alt+V is the voice test's, Alt+N the natural voice's.
        voice = _form(("&Speaker", self.speaker), ("", self.voice_test))
        voice.addLayout(_rows(("Natu&ral voices", self.voice_packs), ("", self.pack_test)))
        voice.addWidget(self.pack_notes)
        voice.addWidget(self.neural_voice)
        voice.addStretch(1)
        display = _form(("&Font size", self.font_size), ("", self.high_contrast))
        display.addStretch(1)
        self.tabs = QTabWidget()
        tabs = (
            ("Y&ou", you),
            ("So&und", sound),
            ("Customer's vo&ice", voice),
            ("&Display", display),
        )
        for title, layout in tabs:
            tab = QWidget()
            tab.setLayout(layout)
            self.tabs.addTab(tab, title)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        # The guide walks through the tabs; Settings can be used in any order.
        self.next_button = buttons.addButton("Ne&xt", QDialogButtonBox.ButtonRole.ActionRole)
        self.next_button.clicked.connect(
            lambda: self.tabs.setCurrentIndex(self.tabs.currentIndex() + 1)
        )
        self.tabs.currentChanged.connect(
            lambda index: self.next_button.setVisible(first_run and index < self.tabs.count() - 1)
        )
        self.next_button.setVisible(first_run)
        page = QVBoxLayout(self)
        if first_run:
            self.welcome = QLabel(WELCOME, wordWrap=True)
            page.addWidget(self.welcome)
        page.addWidget(self.tabs, 1)
        page.addWidget(buttons)
        fit_to_screen(self, *self.PREFERRED_SIZE)
        self.trainee.editingFinished.connect(self._show_profile)
        self.finished.connect(lambda _result: return_focus(parent))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self, lambda: take_focus(self, self.trainee))

        self.mic_test.clicked.connect(self._run_microphone_test)
        self.voice_test.clicked.connect(self._run_voice_test)
        self.pack_test.clicked.connect(self._run_pack_test)
        self._results.level.connect(lambda value: self.level.setValue(round(value * 100)))
        self._results.heard.connect(self.heard.setText)
        self._results.done.connect(self._tests_done)

    def _show_profile(self) -> None:
        """The stored team, branch and recording choice of the name entered."""
        name = self.trainee.text().strip()
        if name == getattr(self, "_profile_shown_for", None):
            return  # the same person: keep what was typed into their fields
        self._profile_shown_for = name
        profile = self._profile(name) if name else Profile()
        self.team.setText(profile.team)
        self.branch.setText(profile.branch)
        self.keep_recordings.setChecked(profile.keeps_recordings)

    def chosen_profile(self) -> Profile:
        return Profile(
            team=self.team.text().strip(),
            branch=self.branch.text().strip(),
            keeps_recordings=self.keep_recordings.isChecked(),
        )

    def chosen(self) -> Settings:
        return self._settings.model_copy(
            update={
                "trainee": self.trainee.text().strip(),
                "mode": self.mode.currentData(),
                "microphone": self.microphone.currentData(),
                "speaker": self.speaker.currentData(),
                "font_size": self.font_size.value(),
                "high_contrast": self.high_contrast.isChecked(),
                "neural_voice": self.neural_voice.isChecked(),
                "first_run_done": True,
            }
        )

    def _run_microphone_test(self) -> None:
        device = self.microphone.currentData()
        self.heard.setText("Measuring the room's noise, then listening: say a sentence...")

        def test() -> None:
            try:
                words = self._test_microphone(device, self._results.level.emit)
                self._results.heard.emit(
                    f"Understood: “{words}”" if words else "Nothing was heard: is it muted?"
                )
            except Exception as error:
                self._results.heard.emit(one_line(error))
            self._results.done.emit()

        self._start(test)

    def _run_voice_test(self) -> None:
        device = self.speaker.currentData()

        def test() -> None:
            try:
                self._test_voice(device)
            except Exception as error:
                self._results.heard.emit(f"The voice could not play: {one_line(error)}")
            self._results.done.emit()

        self._start(test)

    def _run_pack_test(self) -> None:
        device, number = self.speaker.currentData(), self.voice_packs.currentData()
        play = self._play_voice_pack
        if play is None or number is None:
            return

        def test() -> None:
            try:
                play(number, device)
            except Exception as error:
                self._results.heard.emit(f"The natural voice could not play: {one_line(error)}")
            self._results.done.emit()

        self._start(test)

    def _start(self, test: Callable[[], None]) -> None:
        self.mic_test.setEnabled(False)
        self.voice_test.setEnabled(False)
        self.pack_test.setEnabled(False)
        threading.Thread(target=test, name="audio-test", daemon=True).start()

    def _tests_done(self) -> None:
        self.level.setValue(0)
        self.mic_test.setEnabled(True)
        self.voice_test.setEnabled(True)
        playable = self.voice_packs.count() > 0 and self._play_voice_pack is not None
        self.pack_test.setEnabled(playable)


def _rows(*rows: tuple[str, QWidget]) -> QFormLayout:
    form = QFormLayout()
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    for label, field in rows:
        form.addRow(label, field)
    return form


def _form(*rows: tuple[str, QWidget]) -> QVBoxLayout:
    """A tab's page: labelled rows first, then whatever is added below them."""
    page = QVBoxLayout()
    page.addLayout(_rows(*rows))
    return page


def _device_picker(names: list[str], chosen: str | None) -> QComboBox:
    picker = QComboBox()
    picker.addItem(DEFAULT_DEVICE, None)
    for name in names:
        picker.addItem(name, name)
    if chosen is not None:
        index = picker.findData(chosen)
        if index < 0:  # a device that is gone: keep the choice visible, marked
            picker.addItem(f"{chosen} (not connected)", chosen)
            index = picker.count() - 1
        picker.setCurrentIndex(index)
    return picker
