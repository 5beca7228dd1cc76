"""Settings, the first-run guide and the audio set-up, with engine doubles."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.gui.appearance import apply_appearance
from app.gui.run import build_window
from app.paths import database_path
from app.settings import Settings, load_settings
from app.storage import SessionStore
from tests.doubles import fake_backends
from tests.gui.layout_check import layout_problems


@pytest.fixture(autouse=True)
def default_appearance() -> Iterator[None]:
    """Whatever a test chose, the next test starts with the default font and colours."""
    yield
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_appearance(app, Settings())


def test_first_run_guide_sets_name_microphone_and_mode_and_remembers_them(
    qtbot: QtBot, private_data_dir: Path
) -> None:
    backends, _speaker, listener = fake_backends()
    backends.microphones = lambda: ["USB headset", "Laptop microphone"]
    view, controller = build_window(private_data_dir, backends)
    qtbot.addWidget(view)
    dialog = controller.open_settings(first_run=True)
    assert dialog is not None and "Welcome" in dialog.windowTitle()

    dialog.trainee.setText("Priya")
    dialog.microphone.setCurrentIndex(dialog.microphone.findData("USB headset"))
    dialog.mode.setCurrentIndex(dialog.mode.findData("push-to-talk"))
    dialog.mic_test.click()
    qtbot.waitUntil(listener.listening.is_set)
    listener.say("testing one two three")
    qtbot.waitUntil(lambda: "testing one two three" in dialog.heard.text())
    dialog.font_size.setValue(18)
    dialog.high_contrast.setChecked(True)
    dialog.accept()

    saved, problem = load_settings()
    assert problem is None
    assert (saved.trainee, saved.microphone, saved.mode) == ("Priya", "USB headset", "push-to-talk")
    assert saved.first_run_done and saved.high_contrast and saved.font_size == 18
    assert view.trainee.text() == "Priya" and view.mode.currentText() == "Push-to-talk"
    app = QApplication.instance()
    assert isinstance(app, QApplication) and app.font().pointSize() == 18
    controller.shutdown()

    # The next start finds everything as it was left.
    view_again, controller_again = build_window(private_data_dir, fake_backends()[0], saved)
    qtbot.addWidget(view_again)
    assert view_again.trainee.text() == "Priya"
    controller_again.shutdown()


def test_a_microphone_that_is_gone_stays_visible_as_not_connected(
    qtbot: QtBot, private_data_dir: Path
) -> None:
    backends, _speaker, _listener = fake_backends()
    backends.microphones = lambda: ["Laptop microphone"]
    settings = Settings(microphone="USB headset", first_run_done=True)
    view, controller = build_window(private_data_dir, backends, settings)
    qtbot.addWidget(view)
    dialog = controller.open_settings()
    assert dialog is not None
    assert dialog.microphone.currentText() == "USB headset (not connected)"
    dialog.reject()
    assert load_settings()[0] == Settings()  # cancelled: nothing written
    controller.shutdown()


def test_settings_wait_until_the_call_is_over(qtbot: QtBot, private_data_dir: Path) -> None:
    backends, _speaker, _listener = fake_backends()
    view, controller = build_window(private_data_dir, backends)
    qtbot.addWidget(view)
    view.trainee.setText("Dana")
    view.start_button.click()
    qtbot.waitUntil(lambda: controller.state == "listening")
    assert controller.open_settings() is None
    assert "between calls" in view.statusBar().currentMessage()
    controller.shutdown()


def test_the_first_run_guide_never_fills_in_the_login_name(
    qtbot: QtBot, private_data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("USER", "root")
    monkeypatch.setenv("LOGNAME", "root")
    view, controller = build_window(private_data_dir, fake_backends()[0])
    qtbot.addWidget(view)
    dialog = controller.open_settings(first_run=True)
    assert dialog is not None
    assert dialog.trainee.text() == "" and view.trainee.text() == ""
    assert dialog.trainee.placeholderText() == "Your name"
    dialog.reject()
    controller.shutdown()


def test_the_recording_notice_is_shown_whole(qtbot: QtBot, private_data_dir: Path) -> None:
    view, controller = build_window(private_data_dir, fake_backends()[0])
    qtbot.addWidget(view)
    dialog = controller.open_settings(first_run=True)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    notice = dialog.recording_notice
    assert notice.isVisible() and notice.text().endswith("per call or all at once.")
    assert notice.height() >= notice.heightForWidth(notice.width())
    assert not [p for p in layout_problems(dialog) if "Off unless" in p]
    dialog.reject()
    controller.shutdown()


def test_the_profile_tab_keeps_team_branch_and_recording_consent(
    qtbot: QtBot, private_data_dir: Path
) -> None:
    view, controller = build_window(private_data_dir, fake_backends()[0], Settings(trainee="Priya"))
    qtbot.addWidget(view)
    dialog = controller.open_settings()
    assert dialog is not None
    assert (dialog.team.text(), dialog.branch.text()) == ("", "")
    dialog.team.setText("Fraud desk")
    dialog.branch.setText("Leeds")
    dialog.keep_recordings.setChecked(True)
    dialog.accept()
    store = SessionStore.open(database_path(private_data_dir))
    try:
        saved = store.trainee("Priya")
        assert (saved.team, saved.branch, saved.records_replies) == ("Fraud desk", "Leeds", True)
    finally:
        store.close()

    again = controller.open_settings()
    assert again is not None
    assert (again.team.text(), again.branch.text()) == ("Fraud desk", "Leeds")
    assert again.keep_recordings.isChecked()
    # Another name: that person's profile, not Priya's.
    again.trainee.setText("Sam")
    again.trainee.editingFinished.emit()
    assert (again.team.text(), again.keep_recordings.isChecked()) == ("", False)
    again.reject()
    controller.shutdown()


def test_closing_settings_gives_the_keyboard_back_to_the_window(
    qtbot: QtBot, private_data_dir: Path
) -> None:
    view, controller = build_window(private_data_dir, fake_backends()[0], Settings(trainee="Dana"))
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(view.isActiveWindow)
    dialog = controller.open_settings()
    assert dialog is not None
    qtbot.waitUntil(dialog.isActiveWindow)
    assert QApplication.focusWidget() is dialog.trainee
    dialog.reject()
    qtbot.waitUntil(view.isActiveWindow)
    controller.shutdown()


def test_the_first_run_guide_walks_through_its_tabs(qtbot: QtBot, private_data_dir: Path) -> None:
    view, controller = build_window(private_data_dir, fake_backends()[0])
    qtbot.addWidget(view)
    guide = controller.open_settings(first_run=True)
    assert guide is not None
    titles = []
    while guide.next_button.isVisibleTo(guide):
        titles.append(guide.tabs.tabText(guide.tabs.currentIndex()))
        guide.next_button.click()
    titles.append(guide.tabs.tabText(guide.tabs.currentIndex()))
    assert [title.replace("&", "") for title in titles] == [
        "You",
        "Sound",
        "Customer's voice",
        "Display",
    ]
    guide.reject()
    settings = controller.open_settings()
    assert settings is not None and not settings.next_button.isVisibleTo(settings)
    settings.reject()


def test_settings_list_the_voice_packs_play_one_and_say_why_a_file_is_not_used(
    qtbot: QtBot, private_data_dir: Path
) -> None:
    from app.audio.voice_packs import find_voice_packs

    voices = private_data_dir / "voices"
    voices.mkdir(parents=True)
    (voices / "en_GB-broken-medium.onnx").write_bytes(b"not a model")
    played: list[tuple[int, str | None]] = []

    def listing() -> tuple[list[str], list[str]]:
        packs, problems = find_voice_packs(private_data_dir)  # the real check, on real files
        return (
            [f"{pack.name} ({pack.origin})" for pack in packs],
            [f"{problem.path.name}: {problem.reason}" for problem in problems],
        )

    backends, _speaker, _listener = fake_backends()
    backends.speakers = lambda: ["Headphones"]
    backends.voice_packs = listing
    backends.play_voice_pack = lambda number, device: played.append((number, device))
    view, controller = build_window(private_data_dir, backends)
    qtbot.addWidget(view)
    dialog = controller.open_settings()
    assert dialog is not None

    assert dialog.voice_packs.itemText(0) == "en_US-joe-medium (installed package)"
    assert "en_GB-broken-medium.onnx: no settings file" in dialog.pack_notes.text()
    dialog.speaker.setCurrentIndex(dialog.speaker.findData("Headphones"))
    dialog.pack_test.click()
    qtbot.waitUntil(lambda: played == [(0, "Headphones")])
    qtbot.waitUntil(dialog.pack_test.isEnabled)
    dialog.neural_voice.setChecked(False)
    dialog.grab().save(str(private_data_dir / "settings-voices.png"))
    dialog.accept()

    saved, _problem = load_settings()
    assert saved.neural_voice is False
    controller.shutdown()


def test_without_voice_packs_settings_say_how_to_add_one(
    qtbot: QtBot, private_data_dir: Path
) -> None:
    view, controller = build_window(private_data_dir, fake_backends()[0])
    qtbot.addWidget(view)
    dialog = controller.open_settings()
    assert dialog is not None
    assert not dialog.pack_test.isEnabled() and dialog.voice_packs.count() == 0
    assert "voices folder" in dialog.pack_notes.text()
    controller.shutdown()
