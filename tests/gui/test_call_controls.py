"""Controls of a call in the window: repeat, hint, pause, checking an unsure transcript."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.gui.call_controller import CallController
from app.gui.main_window import MainWindowView
from app.gui.run import build_window
from app.gui.theme import current_theme
from app.paths import database_path
from app.storage import SessionStore
from tests.doubles import SILENCE, QueuedListener, RecordingSpeaker, fake_backends

Window = tuple[MainWindowView, CallController, RecordingSpeaker, QueuedListener]


@pytest.fixture
def window(qtbot: QtBot, private_data_dir: Path) -> Iterator[Window]:
    backends, speaker, listener = fake_backends()
    view, controller = build_window(private_data_dir, backends, seed=11)
    view.trainee.setText("Dana")  # never pre-filled from the login name
    qtbot.addWidget(view)
    view.show()
    view.start_button.click()
    qtbot.waitUntil(lambda: controller.state == "listening")
    yield view, controller, speaker, listener
    controller.shutdown()


def test_repeat_says_the_line_again_without_adding_it_twice(qtbot: QtBot, window: Window) -> None:
    view, controller, speaker, _listener = window
    said = len(speaker.lines)
    qtbot.keyClick(view.reply, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(speaker.lines) == said + 1)
    qtbot.waitUntil(lambda: controller.state == "listening")
    assert speaker.lines[-1] == speaker.lines[-2]
    assert view.conversation.toPlainText().count(speaker.lines[-1][0]) == 1


def test_hint_then_an_example_reply(qtbot: QtBot, window: Window) -> None:
    view, controller, _speaker, _listener = window
    assert controller.session is not None
    stage = controller.session.conversation.stage
    qtbot.keyClick(view.reply, Qt.Key.Key_F1)
    assert stage.hint in view.feedback.toPlainText()
    qtbot.keyClick(view.reply, Qt.Key.Key_F1)
    assert view.feedback.toPlainText().strip().endswith(stage.model_replies[0].strip())


def test_pause_stops_listening_and_resume_listens_again(qtbot: QtBot, window: Window) -> None:
    view, controller, _speaker, listener = window
    qtbot.keyClick(view.reply, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert controller.state == "paused"
    assert view.pause_button.text().startswith("Res")
    qtbot.waitUntil(lambda: not listener.listening.is_set())
    qtbot.keyClick(view.reply, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: controller.state == "listening")
    listener.say("I can hear how worrying this is; I'll block the card now.")
    qtbot.waitUntil(lambda: "Reply 1" in view.feedback.toPlainText())


def test_an_unsure_transcript_is_checked_and_corrected_before_scoring(
    qtbot: QtBot, window: Window, private_data_dir: Path
) -> None:
    view, controller, _speaker, listener = window
    listener.say("I'll ~lock~ the card right now so no more money can be taken.")
    qtbot.waitUntil(lambda: controller.state == "confirming")
    assert view.check_transcript.isVisible()
    assert "<b>lock</b>" in view.check_transcript.text()
    assert view.reply.text() == "I'll lock the card right now so no more money can be taken."

    view.reply.setText("I'll block the card right now so no more money can be taken.")
    qtbot.keyClick(view.reply, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Reply 1" in view.feedback.toPlainText())
    assert not view.check_transcript.isVisible()
    assert controller.session is not None
    scored = controller.session.turns[0].transcript
    assert scored.text.startswith("I'll block") and scored.original_text is not None
    assert "corrected from" in view.conversation.toPlainText()
    with SessionStore.open(database_path(private_data_dir)) as store:
        (saved,) = store.turns(store.sessions()[0].id)
    assert saved.transcript.startswith("I'll block")


def test_a_muted_microphone_is_pointed_out(qtbot: QtBot, window: Window) -> None:
    view, controller, _speaker, listener = window
    listener.say(SILENCE)
    qtbot.waitUntil(lambda: "not muted" in view.conversation.toPlainText())
    qtbot.waitUntil(lambda: controller.state == "listening")  # and it listens again


CURT = "Calm down, it's just policy. Give me your card number and your PIN."


def test_trying_an_answer_again_keeps_both_attempts(
    qtbot: QtBot, window: Window, private_data_dir: Path
) -> None:
    view, controller, _speaker, listener = window
    session = controller.session
    assert session is not None
    trust_at_start = session.trust
    listener.say(CURT)
    qtbot.waitUntil(lambda: len(session.turns) == 1)
    # Such an answer may even make her hang up: it can still be tried again.
    qtbot.waitUntil(lambda: controller.state in ("listening", "finished"))
    assert view.retry_button.isEnabled()
    if controller.debrief is not None:  # she hung up: the debrief offers to take it back
        assert controller.debrief.retry_button.isVisible()
        controller.debrief.retry_button.click()
    else:
        qtbot.keyClick(view.reply, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: controller.state == "listening")
    assert session.trust == trust_at_start and session.turns == []
    assert "Trying that answer again" in view.conversation.toPlainText()

    listener.say(session.conversation.model_reply())
    qtbot.waitUntil(lambda: len(session.turns) == 1)
    assert session.turns[0].attempt == 2
    with SessionStore.open(database_path(private_data_dir)) as store:
        session_id = store.sessions()[0].id
        attempts = store.turns(session_id, with_superseded=True)
        assert [(t.attempt, t.superseded) for t in attempts] == [(1, True), (2, False)]
        assert store.session(session_id).turn_count == 1
    assert attempts[1].empathy > attempts[0].empathy


def test_an_unsure_transcript_is_replaced_by_whatever_is_typed(
    qtbot: QtBot, window: Window
) -> None:
    view, controller, _speaker, listener = window
    listener.say("I'll ~lock~ the card right now so no more money can be taken.")
    qtbot.waitUntil(lambda: controller.state == "confirming")
    assert view.reply.property("unsure") is True  # highlighted by the theme's style sheet
    assert view.reply.selectedText() == view.reply.text() != ""
    assert QApplication.focusWidget() is view.reply
    qtbot.keyClicks(view.reply, "Let me check that for you.")
    assert view.reply.text() == "Let me check that for you."  # nothing to clear first
    qtbot.keyClick(view.reply, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Reply 1" in view.feedback.toPlainText())
    assert view.reply.property("unsure") is False and view.reply.text() == ""


def test_trying_again_is_announced_as_information_not_as_an_error(
    qtbot: QtBot, window: Window
) -> None:
    view, controller, _speaker, listener = window
    listener.say(CURT)
    qtbot.waitUntil(lambda: controller.session is not None and len(controller.session.turns) == 1)
    qtbot.waitUntil(lambda: controller.state in ("listening", "finished"))
    controller.retry_answer()
    html = view.conversation.toHtml()
    note = html[: html.index("Trying that answer again")].rsplit("<p", 1)[1]
    theme = current_theme()
    assert theme.info in note and theme.error not in note
