"""The history window on a real database: list, sort, read a call, progress, PDF, deletion."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from app.core.session import PracticeSession
from app.core.transcript import Transcript
from app.gui.history_window import HistoryWindow
from app.paths import database_path
from app.scenario_library import scenario_by_id
from app.storage import SessionStore
from app.storage.completed_turns import turn_record

CURT = "OK. Give me your card number."


def _practise(store: SessionStore, folder: Path, trainee: str, good: bool, seed: int) -> None:
    scenario = scenario_by_id(folder, "unrecognised-charge")
    session = PracticeSession(scenario, seed=seed)
    session.opening()
    session_id = store.start_session(
        trainee, scenario.id, scenario.title, scenario.difficulty, session.trust
    )
    while not session.finished:
        reply = session.conversation.model_reply() if good else CURT
        store.save_turn(session_id, turn_record(session.submit(Transcript.typed(reply))))
    assert session.ending is not None
    store.finish_session(session_id, session.ending.kind, session.trust)


@pytest.fixture
def history(qtbot: QtBot, private_data_dir: Path) -> Iterator[HistoryWindow]:
    store = SessionStore.open(database_path(private_data_dir))
    for seed, (trainee, good) in enumerate(
        [("Dana", False), ("Dana", True), ("Lee", True), ("Dana", True)]
    ):
        _practise(store, private_data_dir, trainee, good, seed)
    window = HistoryWindow(store, None)
    qtbot.addWidget(window)
    window.show()
    yield window
    store.close()


def test_calls_are_listed_sorted_and_filtered(history: HistoryWindow) -> None:
    assert history.calls.rowCount() == 4
    empathy_column = 5
    history.calls.horizontalHeader().sectionClicked.emit(empathy_column)
    scores = [float(_cell(history, row, empathy_column)) for row in range(4)]
    assert scores == sorted(scores, reverse=True)
    history.trainee.setCurrentText("Lee")
    assert history.calls.rowCount() == 1
    assert _cell(history, 0, 1) == "Lee"


def _cell(history: HistoryWindow, row: int, column: int) -> str:
    item = history.calls.item(row, column)
    assert item is not None
    return item.text()


def test_a_call_opens_with_its_transcript_and_feedback(history: HistoryWindow) -> None:
    history.calls.selectRow(0)
    text = history.details.toPlainText()
    assert "Reply 1" in text and "Customer:" in text and "Trainee:" in text


def test_progress_of_a_trainee_with_a_chart_and_a_pdf(
    history: HistoryWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    history.trainee.setCurrentText("Dana")
    assert "3 calls" in history.standing.text() and "Practise next" in history.standing.text()
    assert history.chart is not None
    pdf = tmp_path / "dana.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: (str(pdf), "PDF"))
    history.progress_pdf.click()
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 10_000


def test_a_pdf_that_cannot_be_written_is_said_in_a_message(
    history: HistoryWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    history.trainee.setCurrentText("Dana")
    pdf = tmp_path / "no-such-folder" / "dana.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: (str(pdf), "PDF"))
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: shown.append(text))

    history.progress_pdf.click()

    assert shown == [f"cannot write {pdf}: the folder {pdf.parent} does not exist"]
    assert history.last_error == shown[0]
    assert not pdf.parent.exists()


def test_deleting_a_trainee_removes_every_call_of_theirs(
    history: HistoryWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    history.trainee.setCurrentText("Dana")
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.Yes)
    history.delete_trainee.click()
    assert [history.trainee.itemText(i) for i in range(history.trainee.count())] == [
        "All trainees",
        "Lee",
    ]
    assert history.calls.rowCount() == 1
    assert [s.trainee for s in history.store.sessions()] == ["Lee"]


@pytest.fixture
def one_trainee(qtbot: QtBot, private_data_dir: Path) -> Iterator[HistoryWindow]:
    store = SessionStore.open(database_path(private_data_dir))
    _practise(store, private_data_dir, "Dana", True, 0)
    window = HistoryWindow(store, None)
    qtbot.addWidget(window)
    window.show()
    yield window
    store.close()


def test_with_one_trainee_progress_opens_on_them_in_plain_english(
    one_trainee: HistoryWindow,
) -> None:
    assert one_trainee.chosen_trainee == "Dana"
    text = one_trainee.standing.text()
    assert "Dana: 1 call<" in text and "1 calls" not in text
    strongest = text.split("Strongest: ")[1].split(".")[0]
    # Listed inside a sentence: "a level tone, a steady pitch", not "A level tone, A steady pitch".
    assert all(not item[0].isupper() for item in strongest.split(", ")), strongest
    assert one_trainee.chart is not None


def test_the_chart_reads_dates_along_the_bottom(one_trainee: HistoryWindow) -> None:
    chart = one_trainee.chart
    assert isinstance(chart, pg.PlotWidget)
    axis = chart.getAxis("bottom")
    labels = [text for level in axis._tickLevels for _position, text in level if text]
    started = one_trainee.store.calls()[0].started_at
    day = datetime.fromisoformat(started)
    assert labels and labels[0].startswith(f"{day.day} {day:%b}")


def test_alt_r_opens_the_progress_tab(qtbot: QtBot, history: HistoryWindow) -> None:
    qtbot.waitUntil(history.isActiveWindow)
    assert history.tabs.currentIndex() == 0
    qtbot.keyClick(history, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    assert history.tabs.currentIndex() == 1
    qtbot.keyClick(history, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)
    assert history.tabs.currentIndex() == 0


def test_the_window_takes_the_keyboard_when_it_opens(qtbot: QtBot, history: HistoryWindow) -> None:
    qtbot.waitUntil(history.isActiveWindow)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is history.calls)


def test_deleting_recordings_is_offered_only_for_a_recorded_call(
    history: HistoryWindow,
) -> None:
    history.calls.selectRow(0)
    assert not history.delete_recordings.isVisibleTo(history)
    call = history.selected_call()
    assert call is not None
    history.store.set_recording_consent(call.trainee, True)
    first_turn = history.store.call_turns(call.id)[0]
    history.store.save_recording(first_turn.id, np.zeros(16000, dtype=np.float32))
    history.calls.selectRow(1)
    history.calls.selectRow(0)
    assert history.delete_recordings.isVisibleTo(history)
    history.delete_recordings.click()
    assert not history.delete_recordings.isVisibleTo(history)
