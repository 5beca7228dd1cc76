"""The composition root: builds the real engines and the window, and runs the event loop."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from app.about import APP_ID
from app.audio.barge_in_watch import BargeInWatch
from app.audio.hearers import MicrophoneHearers, TranscriberSource
from app.audio.microphone import MicrophoneListener, list_microphones
from app.audio.playback import Playback, output_device_names
from app.audio.transcribers import WhisperTranscriber, load_transcriber
from app.audio.vocabulary import scenario_vocabulary
from app.audio.voice_packs import find_voice_packs
from app.audio.voice_setup import close_customer_voice, open_customer_voice
from app.bench.startup import report_startup, startup_probe_requested
from app.core.call_events import AnswerMode
from app.core.ports import Hearer, Listener, Transcriber
from app.errors import one_line
from app.gui.about_dialog import show_about
from app.gui.appearance import apply_appearance
from app.gui.backends import Backends
from app.gui.background_sync import attach_background_sync
from app.gui.call_controller import CallController
from app.gui.main_window import MainWindowView
from app.paths import database_path
from app.scenario_library import load_library
from app.settings import Settings, load_settings
from app.storage import SessionStore, StorageError


def real_backends(data_folder: Path | None = None, neural_voice: bool = True) -> Backends:
    """The product's engines: the voices in their own processes, the microphone, Whisper."""
    playback = Playback()
    # Warmed in the background while the window appears; a first line waits for it.
    speaker = open_customer_voice(data_folder, playback, neural=neural_voice)

    def make_listener(mode: str, device: str | None) -> Listener:
        listener = MicrophoneListener(device, push_to_talk=mode == "push-to-talk")
        listener.calibrate()
        return listener

    hearers = MicrophoneHearers()

    def load_and_warm_up() -> tuple[Transcriber, str | None]:
        # A dummy inference of every model before the window says it is ready, so that the
        # first reply is transcribed as quickly as the later ones.
        transcriber, warning = load_transcriber()
        if isinstance(transcriber, WhisperTranscriber):
            transcriber.warm_up()
        hearers.warm_up(transcriber)
        notes = [note for note in (warning, hearers.warning) if note]
        return transcriber, "; ".join(notes) or None

    def make_hearer(mode: AnswerMode, device: str | None, transcriber: TranscriberSource) -> Hearer:
        return hearers.hearer(mode is AnswerMode.PUSH_TO_TALK, device, transcriber)

    def use_speaker(device: str | None) -> None:
        playback.device = device

    def voice_packs() -> tuple[list[str], list[str]]:
        packs, problems = find_voice_packs(data_folder)
        return (
            [f"{pack.name} ({pack.language}, {pack.quality}; {pack.origin})" for pack in packs],
            [f"{problem.path.name}: {problem.reason}" for problem in problems],
        )

    def play_voice_pack(number: int, device: str | None) -> None:
        packs, _problems = find_voice_packs(data_folder)
        previous, playback.device = playback.device, device
        try:
            speaker.play_pack(packs[number], "Hello? Is this really the bank? Who is this?")
        finally:
            playback.device = previous

    return Backends(
        speaker=speaker,
        make_listener=make_listener,
        load_transcriber=load_and_warm_up,
        microphones=list_microphones,
        speakers=output_device_names,
        use_speaker=use_speaker,
        play=playback.play,
        close_actions=[lambda: close_customer_voice(speaker), hearers.close],
        make_hearer=make_hearer,
        voice_packs=voice_packs,
        play_voice_pack=play_voice_pack,
        describe_voice=speaker.describe,
        vocabulary=scenario_vocabulary,
        make_barge_in=BargeInWatch,
    )


def build_window(
    data_folder: Path,
    backends: Backends,
    settings: Settings | None = None,
    seed: int | None = None,
) -> tuple[MainWindowView, CallController]:
    """The window and its controller, on the given engines (real ones or test doubles), in the
    font size and theme of the settings."""
    app = QApplication.instance()
    if isinstance(app, QApplication):
        apply_appearance(app, settings or Settings())
    view = MainWindowView()
    store: SessionStore | None
    problem = ""
    try:
        store = SessionStore.open(database_path(data_folder))
    except StorageError as error:
        store, problem = None, one_line(error)
    scenarios, errors = load_library(data_folder)
    controller = CallController(view, backends, store, scenarios, errors, settings, seed=seed)
    view.about_button.clicked.connect(lambda: show_about(view))
    controller.start()
    # Syncs with the central store in the background, when one is configured (started by run_app).
    view.central_sync = attach_background_sync(view, store, database_path(data_folder))
    if problem:
        controller.show_problem(f"Calls will not be saved: {problem}")
        view.storage_status.setText("⚠ Calls are not saved")
        view.storage_status.setToolTip(problem)
        view.storage_status.show()
    return view, controller


def run_app(data_folder: Path) -> int:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    app.setApplicationName("Skeptic")
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(QIcon.fromTheme(APP_ID))  # installed by packaging/linux/install.sh
    settings, settings_problem = load_settings()
    backends = real_backends(data_folder, neural_voice=settings.neural_voice)
    view, controller = build_window(data_folder, backends, settings)
    if settings_problem:
        controller.show_problem(settings_problem)
    app.aboutToQuit.connect(controller.shutdown)
    if view.central_sync is not None:
        app.aboutToQuit.connect(view.central_sync.stop)
        view.central_sync.start()
    view.show()
    view.activateWindow()  # without a window manager, a new window does not get the keyboard
    if startup_probe_requested():  # `skeptic bench` timing the launch: report, then quit
        QTimer.singleShot(0, lambda: report_startup("window_shown"))
        controller.transcriber_loaded.connect(lambda *_: _ready_to_listen(app))
    elif not settings.first_run_done:
        controller.open_settings(first_run=True)
    return app.exec()


def _ready_to_listen(app: QApplication) -> None:
    report_startup("ready_to_listen")
    app.quit()
