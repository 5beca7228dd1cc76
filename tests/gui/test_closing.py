"""Closing the window stops the workers first, ends the call, and opens no dialog."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from app.gui.run import build_window
from app.paths import database_path
from app.storage import SessionStore
from tests.doubles import fake_backends


def test_closing_mid_call_stops_the_voice_thread_and_opens_no_debrief(
    qtbot: QtBot, private_data_dir: Path
) -> None:
    backends, _speaker, listener = fake_backends()
    view, controller = build_window(private_data_dir, backends, seed=7)
    view.trainee.setText("Dana")  # never pre-filled from the login name
    qtbot.addWidget(view)
    view.show()
    view.start_button.click()
    qtbot.waitUntil(lambda: controller.state == "listening")
    assert listener.listening.is_set()  # the voice thread is busy recording

    view.close()

    assert not controller.voice.thread_running()
    assert controller.debrief is None
    assert controller.state == "finished"
    with SessionStore.open(database_path(private_data_dir)) as store:
        assert [s.ending for s in store.sessions()] == ["ended_early"]
