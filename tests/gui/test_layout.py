"""Every screen at every font size a user can pick from 10 to 24 pt, in both themes, on three
screen sizes: nothing outside its window, no window larger than the screen, no text cut off."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QRect
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabBar,
    QTabWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.core.debrief import build_debrief
from app.core.scenario import Scenario
from app.core.session import PracticeSession
from app.core.transcript import Transcript
from app.core.voice import VoiceFeatures
from app.gui.about_dialog import AboutDialog
from app.gui.appearance import apply_appearance
from app.gui.debrief_dialog import DebriefDialog
from app.gui.history_window import HistoryWindow
from app.gui.main_window import MainWindowView
from app.gui.run import build_window
from app.gui.settings_dialog import SettingsDialog
from app.gui.window_size import fit_to_screen
from app.paths import database_path
from app.scenario_library import scenario_by_id
from app.settings import Settings
from app.storage import SessionStore
from app.storage.completed_turns import turn_record
from tests.doubles import fake_backends
from tests.gui.layout_check import layout_problems, screen_problems

MNEMONIC = re.compile(r"&([^&\s])")
SCREENS = (QRect(0, 0, 1024, 768), QRect(0, 0, 1280, 800), QRect(0, 0, 1920, 1080))
FONT_SIZES = range(10, 25, 2)
CURT = "OK. Give me your card number."
VOICE = VoiceFeatures(
    words_per_minute=150.0,
    pause_count=1,
    longest_pause_seconds=1.2,
    loudness_db=-20.0,
    loudness_variation_db=5.0,
)


@pytest.fixture(autouse=True)
def default_appearance() -> Iterator[None]:
    yield
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_appearance(app, Settings())


def _session_with_a_retry(folder: Path) -> PracticeSession:
    session = PracticeSession(scenario_by_id(folder, "unrecognised-charge"), seed=3)
    session.opening()
    session.submit(Transcript.typed(CURT), VOICE)
    session.retry_last()
    session.submit(Transcript.typed(session.conversation.model_reply()), VOICE)
    session.submit(Transcript.typed(CURT))
    session.end_early()
    return session


def _store_with_calls(folder: Path) -> SessionStore:
    store = SessionStore.open(database_path(folder))
    for trainee in ("Dana Whitfield-Okonkwo", "Lee"):
        session = _session_with_a_retry(folder)
        session_id = store.start_session(
            trainee, session.scenario.id, session.scenario.title, "standard", 35
        )
        for turn in session.turns:
            store.save_turn(session_id, turn_record(turn))
        store.finish_session(session_id, "ended_early", session.trust)
    return store


def _lines(scenario: Scenario) -> list[str]:
    """Every line the customer can say."""
    lines = [*scenario.opening.lines, *scenario.escalation.lines, *scenario.de_escalation.lines]
    for stage in scenario.stages:
        lines += [*stage.warmer, *stage.neutral, *stage.colder]
    return lines


def _pages(window: QWidget) -> Iterator[str]:
    """Each tab of the window in turn (a window without tabs: once)."""
    tabs = [tab for tab in window.findChildren(QTabWidget) if tab.window() is window]
    if not tabs:
        yield ""
        return
    for index in range(tabs[0].count()):
        tabs[0].setCurrentIndex(index)
        yield f" tab {tabs[0].tabText(index).replace('&', '')!r}"


def _check(window: QWidget, preferred: tuple[int, int], name: str) -> list[str]:
    problems = []
    for screen in SCREENS:
        fit_to_screen(window, *preferred, free=screen)
        for page in _pages(window):
            where = f"{name}{page} on {screen.width()}x{screen.height()}: "
            found = screen_problems(window, screen) + layout_problems(window) + _mnemonics(window)
            problems += [where + problem for problem in found]
    return problems


def _mnemonics(window: QWidget) -> list[str]:
    """Two visible controls answering the same Alt+letter: the second is unreachable."""
    seen: dict[str, str] = {}
    clashes = []
    texts = [
        widget.text()
        for widget in window.findChildren(QAbstractButton) + window.findChildren(QLabel)
        if widget.isVisible() and widget.window() is window
    ]
    for bar in window.findChildren(QTabBar):
        if bar.isVisible() and bar.window() is window:
            texts += [bar.tabText(index) for index in range(bar.count())]
    for text in texts:
        found = MNEMONIC.search(text)
        if found is None:
            continue
        key = found.group(1).lower()
        if key in seen:
            clashes.append(f"Alt+{key} is both {seen[key]!r} and {text!r}")
        seen[key] = text
    return clashes


def _presentation(view: MainWindowView, long_line: str) -> list[str]:
    """Full screen with a long customer line in the caption, on each screen."""
    problems = []
    view.caption.setText(long_line)
    view.set_presenting(True)
    for screen in SCREENS:
        view.resize(screen.size())  # full screen
        where = f"presentation mode on {screen.width()}x{screen.height()}: "
        problems += [where + problem for problem in layout_problems(view)]
    view.set_presenting(False)
    return problems


@pytest.mark.parametrize("high_contrast", [False, True], ids=["normal", "high-contrast"])
@pytest.mark.parametrize("font_size", FONT_SIZES, ids=lambda pt: f"{pt}pt")
def test_every_screen_fits_and_shows_all_its_text(
    qtbot: QtBot, private_data_dir: Path, font_size: int, high_contrast: bool
) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    settings = Settings(font_size=font_size, high_contrast=high_contrast, first_run_done=True)
    apply_appearance(app, settings)
    store = _store_with_calls(private_data_dir)
    view, controller = build_window(private_data_dir, fake_backends()[0], settings)
    windows: list[tuple[str, QWidget, tuple[int, int]]] = []
    try:
        view.show()
        windows.append(("main window", view, MainWindowView.PREFERRED_SIZE))
        opened: list[Callable[[], QWidget | None]] = [
            lambda: controller.open_settings(first_run=True),
            lambda: controller.open_settings(),
        ]
        for name, opener in zip(("first-run guide", "settings"), opened, strict=True):
            dialog = opener()
            assert dialog is not None
            windows.append((name, dialog, SettingsDialog.PREFERRED_SIZE))
        debrief = DebriefDialog(build_debrief(_session_with_a_retry(private_data_dir)), True, view)
        debrief.show()
        windows.append(("debrief", debrief, DebriefDialog.PREFERRED_SIZE))
        about = AboutDialog(view)
        about.show()
        windows.append(("about", about, (640, 560)))
        history = HistoryWindow(store, None, view)
        history.show()
        windows.append(("history", history, HistoryWindow.PREFERRED_SIZE))

        problems = []
        for name, window, preferred in windows:
            problems += _check(window, preferred, name)
        longest = max(
            (line for scenario in controller.scenarios for line in _lines(scenario)), key=len
        )
        problems += _presentation(view, f"{controller.scenarios[0].persona.name}: {longest}")
        assert not problems, "\n".join(problems)
    finally:
        controller.shutdown()
        store.close()
        # Deleted now, not at the end of the session: every later change of the style sheet
        # would otherwise restyle these windows too, and the tests would slow down one by one.
        for _name, window, _size in reversed(windows):
            window.close()
            window.deleteLater()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_the_check_finds_clipped_text_and_widgets_outside_the_window(qtbot: QtBot) -> None:
    """The check itself: a row of buttons too wide for its window, and a word-wrapped label
    too low for its text, are both reported."""
    window = QWidget()
    qtbot.addWidget(window)
    row = QHBoxLayout(window)
    for text in ("Start the call now", "End the call now", "Open the settings"):
        row.addWidget(QPushButton(text))
    note = QLabel("A long note that has to wrap over several lines in a narrow window. " * 3)
    note.setWordWrap(True)
    note.setFixedHeight(12)
    row.addWidget(note)
    window.show()
    window.setFixedSize(150, 60)
    problems = layout_problems(window)
    assert any("QPushButton" in problem for problem in problems)
    assert any("QLabel" in problem and "high" in problem for problem in problems)
    assert screen_problems(window, QRect(0, 0, 140, 100)) != []
