"""The window driven through whole calls, with engine doubles (the real engines: tests/e2e)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.gui.call_controller import CallController
from app.gui.main_window import MainWindowView
from app.gui.run import build_window
from app.paths import database_path
from app.storage import SessionStore
from tests.doubles import QueuedListener, RecordingSpeaker, fake_backends
from tests.gui.layout_check import layout_problems

GOOD_REPLY = (
    "I completely understand why you're worried, and you're right to be careful. Let me explain "
    "what I can see, and I'll block the card right now so no more money can be taken."
)


Window = tuple[MainWindowView, CallController, RecordingSpeaker, QueuedListener]


@pytest.fixture
def open_window(qtbot: QtBot, private_data_dir: Path) -> Iterator[Callable[..., Window]]:
    """Opens the window on engine doubles; its workers are stopped after the test."""
    controllers: list[CallController] = []

    def open_it(**double_options: Any) -> Window:
        backends, speaker, listener = fake_backends(**double_options)
        view, controller = build_window(private_data_dir, backends, seed=7)
        view.trainee.setText("Dana")  # never pre-filled from the login name
        controllers.append(controller)
        qtbot.addWidget(view)
        view.show()
        qtbot.waitUntil(lambda: "ready" in view.recogniser_status.text().lower())
        return view, controller, speaker, listener

    yield open_it
    for controller in controllers:
        controller.shutdown()


@pytest.fixture
def window(open_window: Callable[..., Window]) -> Window:
    return open_window()


def _saved_turns(folder: Path) -> int:
    store = SessionStore.open(database_path(folder))
    try:
        return sum(len(store.turns(s.id)) for s in store.sessions())
    finally:
        store.close()


def test_a_spoken_call_runs_to_its_end_and_every_turn_is_saved(
    qtbot: QtBot, window: Window, private_data_dir: Path
) -> None:
    view, controller, speaker, listener = window
    view.trainee.setText("Dana")
    qtbot.mouseClick(view.start_button, Qt.MouseButton.LeftButton)
    session = controller.session
    assert session is not None
    # The trainee answers each line with the scenario's own model reply, as a trainer would.
    while True:
        qtbot.waitUntil(lambda: controller.state in ("listening", "finished"), timeout=5000)
        if controller.state == "finished":
            break
        expected = len(session.turns) + 1
        listener.say(session.conversation.model_reply())
        qtbot.waitUntil(lambda: len(session.turns) == expected, timeout=5000)  # noqa: B023

    replies = len(session.turns)
    assert session.ending is not None and session.ending.kind == "resolved"
    assert _saved_turns(private_data_dir) == replies
    assert len(speaker.lines) == replies + 1  # the opening, then one line after each reply
    assert speaker.lines[-1][0] == session.ending.line
    assert "Resolved" in view.feedback.toPlainText()
    assert view.conversation.toPlainText().count("You:") == replies


def test_a_typed_reply_is_scored_and_saved(
    qtbot: QtBot, window: Window, private_data_dir: Path
) -> None:
    view, controller, _speaker, _listener = window
    view.start_button.click()
    qtbot.waitUntil(lambda: controller.state == "listening")
    qtbot.keyClicks(view.reply, GOOD_REPLY)
    qtbot.keyClick(view.reply, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Reply 1" in view.feedback.toPlainText())
    assert "(typed)" in view.conversation.toPlainText()
    assert _saved_turns(private_data_dir) == 1
    assert view.trust.value() != 0


def test_without_a_microphone_the_window_says_so_and_takes_typed_replies(
    qtbot: QtBot, open_window: Callable[..., Window], private_data_dir: Path
) -> None:
    view, controller, _speaker, _listener = open_window(microphone=False)
    view.start_button.click()
    qtbot.waitUntil(lambda: controller.state == "typing")
    assert "No microphone found" in view.conversation.toPlainText()
    view.reply.setText("I understand you're worried; I'll block the card now.")
    view.send_button.click()
    qtbot.waitUntil(lambda: _saved_turns(private_data_dir) == 1)


def test_a_microphone_that_fails_mid_call_falls_back_to_typing(
    qtbot: QtBot, open_window: Callable[..., Window]
) -> None:
    view, controller, _speaker, _listener = open_window(
        fail_with=OSError("The microphone went away.")
    )
    view.start_button.click()
    qtbot.waitUntil(lambda: controller.state == "typing")
    assert "The microphone went away; type your replies instead." in view.conversation.toPlainText()


def test_push_to_talk_records_while_space_is_held(qtbot: QtBot, window: Window) -> None:
    view, controller, _speaker, listener = window
    view.mode.setCurrentText("Push-to-talk")
    view.start_button.click()
    qtbot.waitUntil(lambda: controller.state == "waiting_to_talk")
    view.talk_button.setFocus()
    qtbot.keyPress(view.talk_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: controller.state == "recording")
    qtbot.keyRelease(view.talk_button, Qt.Key.Key_Space)
    qtbot.waitUntil(listener.finished.is_set)
    listener.say(GOOD_REPLY)
    qtbot.waitUntil(lambda: "Reply 1" in view.feedback.toPlainText())


def _space(widget: Any, kind: QEvent.Type, *, repeat: bool) -> None:
    QApplication.sendEvent(
        widget, QKeyEvent(kind, Qt.Key.Key_Space, Qt.KeyboardModifier.NoModifier, " ", repeat)
    )


def test_holding_space_ignores_auto_repeat_and_never_clicks_the_focused_button(
    qtbot: QtBot, window: Window
) -> None:
    view, controller, _speaker, listener = window
    view.mode.setCurrentText("Push-to-talk")
    view.start_button.click()
    qtbot.waitUntil(lambda: controller.state == "waiting_to_talk")
    view.end_button.setFocus()  # a held Space used to click this button and end the call
    clicks: list[bool] = []
    view.end_button.clicked.connect(lambda: clicks.append(True))
    _space(view.end_button, QEvent.Type.KeyPress, repeat=False)
    qtbot.waitUntil(lambda: controller.state == "recording")
    # What X sends while the key is held: release/press pairs, marked as repeats or (on some
    # servers) not marked at all.
    for marked in [True, False] * 10:
        _space(view.end_button, QEvent.Type.KeyRelease, repeat=marked)
        _space(view.end_button, QEvent.Type.KeyPress, repeat=marked)
        QApplication.processEvents()
        assert controller.state == "recording" and not listener.finished.is_set()
    _space(view.end_button, QEvent.Type.KeyRelease, repeat=False)
    qtbot.waitUntil(listener.finished.is_set)
    listener.say(GOOD_REPLY)
    qtbot.waitUntil(lambda: "Reply 1" in view.feedback.toPlainText())
    assert not clicks and controller.call_active


def test_ending_a_call_early_is_recorded(
    qtbot: QtBot, window: Window, private_data_dir: Path
) -> None:
    view, controller, _speaker, _listener = window
    view.start_button.click()
    qtbot.waitUntil(lambda: controller.state == "listening")
    view.reply.setFocus()  # the shortcut works from the reply box too
    qtbot.keyClick(
        view.reply,
        Qt.Key.Key_E,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(lambda: controller.state == "finished")
    store = SessionStore.open(database_path(private_data_dir))
    assert [s.ending for s in store.sessions()] == ["ended_early"]
    store.close()


def test_a_database_that_is_not_sqlite_is_reported_and_practice_goes_on(
    qtbot: QtBot, open_window: Callable[..., Window], private_data_dir: Path
) -> None:
    database_path(private_data_dir).write_bytes(b"this is not a database" * 100)
    view, controller, _speaker, _listener = open_window()
    assert "not saved" in view.storage_status.text()
    assert view.storage_status.isVisibleTo(view)
    view.start_button.click()
    qtbot.waitUntil(lambda: controller.state == "listening")
    view.reply.setText("I understand; I'll block the card now.")
    view.send_button.click()
    qtbot.waitUntil(lambda: "Reply 1" in view.feedback.toPlainText())
    assert database_path(private_data_dir).read_bytes() == b"this is not a database" * 100


def test_the_fallback_recogniser_is_announced_as_a_warning(
    qtbot: QtBot, private_data_dir: Path
) -> None:
    warning = "Whisper could not load (model missing); using pocketsphinx: accuracy is poor"
    backends, _speaker, _listener = fake_backends(recogniser_warning=warning)
    view, controller = build_window(private_data_dir, backends)
    qtbot.addWidget(view)
    try:
        qtbot.waitUntil(lambda: "pocketsphinx" in view.recogniser_status.text())
        assert view.recogniser_status.text().startswith("⚠")
    finally:
        controller.shutdown()


def test_the_debrief_follows_the_call_and_practise_again_restarts_it(
    qtbot: QtBot, window: Window
) -> None:
    view, controller, _speaker, listener = window
    view.start_button.click()
    qtbot.waitUntil(lambda: controller.state == "listening")
    listener.say(GOOD_REPLY)
    qtbot.waitUntil(lambda: "Reply 1" in view.feedback.toPlainText())
    qtbot.waitUntil(lambda: controller.state == "listening")
    view.end_button.click()
    qtbot.waitUntil(lambda: controller.debrief is not None and controller.debrief.isVisible())
    assert controller.debrief is not None
    text = controller.debrief.text.toPlainText()
    assert "Call ended early" in text and "Your best reply" in text and "Practise next" in text
    assert not controller.debrief.retry_button.isVisible()  # ended by the trainee, not an answer
    controller.debrief.history_button.click()
    assert controller.history is not None and controller.history.isVisible()
    assert controller.history.calls.rowCount() == 1
    first_session = controller.session
    controller.debrief.again_button.click()
    qtbot.waitUntil(lambda: controller.session is not first_session)
    assert controller.state in ("speaking", "opening_microphone", "listening")


def test_presentation_mode_fills_the_screen_with_large_captions(
    qtbot: QtBot, window: Window
) -> None:
    view, controller, _speaker, _listener = window
    view.start_button.click()
    qtbot.waitUntil(lambda: controller.state == "listening")
    body = view.conversation.font().pointSize()
    caption = view.caption.font().pointSize()
    qtbot.keyClick(view.reply, Qt.Key.Key_F11)
    assert view.presenting and view.isFullScreen() and view.present_button.isChecked()
    assert view.conversation.font().pointSize() >= max(24, body + 4)
    assert view.caption.font().pointSize() >= max(32, caption)
    assert not view.right_panel.isVisible()  # the conversation gets the whole width
    assert not layout_problems(view)
    qtbot.keyClick(view.reply, Qt.Key.Key_F11)
    assert not view.presenting and not view.isFullScreen()
    assert view.conversation.font().pointSize() == body


def test_the_brief_before_the_call_keeps_the_trainer_note_back(window: Window) -> None:
    view, controller, _speaker, _listener = window
    index = view.scenario.findData("price-rise-hidden-fees")
    view.scenario.setCurrentIndex(index)
    scenario = controller.scenarios[index]
    assert scenario.trainer_note
    brief = view.scenario_summary.toPlainText()
    assert scenario.title in brief and "line-protection" not in brief and "paper" not in brief


def test_the_debrief_takes_the_keyboard_and_gives_it_back(qtbot: QtBot, window: Window) -> None:
    view, controller, _speaker, _listener = window
    view.start_button.click()
    qtbot.waitUntil(lambda: controller.state == "listening")
    view.end_button.click()
    qtbot.waitUntil(lambda: controller.debrief is not None and controller.debrief.isVisible())
    debrief = controller.debrief
    assert debrief is not None
    qtbot.waitUntil(debrief.isActiveWindow)
    assert QApplication.focusWidget() is debrief.again_button
    debrief.close_button.click()
    qtbot.waitUntil(view.isActiveWindow)
    assert QApplication.focusWidget() is view.start_button


def test_the_window_says_once_which_voice_speaks_for_the_customer(
    qtbot: QtBot, private_data_dir: Path
) -> None:
    backends, _speaker, _listener = fake_backends()
    asked: list[str] = []

    def describe(voice: str) -> str:
        asked.append(voice)
        return f"The customer ({voice}) speaks with espeak-ng: no installed neural voice suits."

    backends.describe_voice = describe
    view, controller = build_window(private_data_dir, backends, seed=7)
    qtbot.addWidget(view)
    view.show()
    view.trainee.setText("Dana")
    view.start_button.click()
    assert "speaks with espeak-ng" in view.statusBar().currentMessage()
    qtbot.waitUntil(lambda: controller.state == "listening")
    assert asked and controller.session is not None
    assert asked[0] == controller.session.scenario.persona.voice
    controller.shutdown()
