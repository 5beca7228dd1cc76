"""Settings and audio set-up: who is practising, how replies are given, which microphone and
speaker, a microphone test that shows what was understood, a voice test, font size and contrast.

Also the first-run guide: the same form, introduced, so that set-up takes under a minute.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
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
    QVBoxLayout,
    QWidget,
)

from app.errors import one_line
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
    "<h2>Welcome to Skeptic</h2><p>Three things and you are ready: your name, your "
    "microphone (press <i>Test microphone</i> and say a sentence), and how you want to "
    "answer. You can change all of this later under <i>Settings</i>.</p>"
)


class _Results(QObject):
    """Carries results of the background tests back to the dialog's thread."""

    level = Signal(float)
    heard = Signal(str)
    done = Signal()


class SettingsDialog(QDialog):
    def __init__(
        self,
        settings: Settings,
        microphones: list[str],
        speakers: list[str],
        test_microphone: MicrophoneTest,
        test_voice: VoiceTest,
        first_run: bool = False,
        keeps_recordings: bool = False,
        voice_packs: tuple[list[str], list[str]] = ([], []),
        play_voice_pack: VoicePackTest | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Welcome to Skeptic" if first_run else "Skeptic settings")
        self.setMinimumWidth(560)
        self._settings = settings
        self._test_microphone = test_microphone
        self._test_voice = test_voice
        self._play_voice_pack = play_voice_pack
        self._results = _Results()

        self.trainee = QLineEdit(settings.trainee, placeholderText="Your name")
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
        self.keep_recordings.setChecked(keeps_recordings)
        self.keep_recordings.setToolTip(RECORDING_NOTICE)
        self.recording_notice = QLabel(RECORDING_NOTICE, wordWrap=True)
        self.high_contrast = QCheckBox("&High contrast")
        self.high_contrast.setChecked(settings.high_contrast)

        form = QFormLayout()
        form.addRow("&Your name", self.trainee)
        form.addRow("&Answer by", self.mode)
        form.addRow("&Microphone", self.microphone)
        form.addRow("Level", self.level)
        form.addRow("", self.mic_test)
        form.addRow("", self.heard)
        form.addRow("&Speaker", self.speaker)
        form.addRow("", self.voice_test)
        form.addRow("Natural &voices", self.voice_packs)
        form.addRow("", self.pack_test)
        form.addRow("", self.pack_notes)
        form.addRow("", self.neural_voice)
        form.addRow("", self.keep_recordings)
        form.addRow("", self.recording_notice)
        form.addRow("&Font size", self.font_size)
        form.addRow("", self.high_contrast)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        page = QVBoxLayout(self)
        if first_run:
            page.addWidget(QLabel(WELCOME, wordWrap=True))
        page.addLayout(form)
        page.addWidget(buttons)

        self.mic_test.clicked.connect(self._run_microphone_test)
        self.voice_test.clicked.connect(self._run_voice_test)
        self.pack_test.clicked.connect(self._run_pack_test)
        self._results.level.connect(lambda value: self.level.setValue(round(value * 100)))
        self._results.heard.connect(self.heard.setText)
        self._results.done.connect(self._tests_done)

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
