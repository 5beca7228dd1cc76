"""The window and the central store (a real PostgreSQL): background sync with its status line,
working offline when the store cannot be reached, and the organisation view in the History."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QTableWidgetItem
from pytestqt.qtbot import QtBot

from app.gui.call_controller import CallController
from app.gui.history_window import HistoryWindow
from app.gui.main_window import MainWindowView
from app.gui.run import build_window
from app.paths import database_path
from app.storage import SessionStore
from app.sync.central.push import CENTRAL_ADDRESS, sync
from app.sync.workstation import set_state
from tests.doubles import fake_backends
from tests.sync.conftest import MANAGER, Central, local_fingerprint, practise

Opened = list[tuple[MainWindowView, CallController]]


@pytest.fixture
def opened(qtbot: QtBot, private_data_dir: Path) -> Iterator[Opened]:
    """Windows opened by the test; their syncs and workers are stopped after it."""
    windows: Opened = []
    yield windows
    for view, controller in windows:
        if view.central_sync is not None:
            view.central_sync.stop()
        controller.shutdown()


def _open(qtbot: QtBot, folder: Path, windows: Opened) -> MainWindowView:
    backends, _speaker, _listener = fake_backends()
    view, controller = build_window(folder, backends, seed=7)
    windows.append((view, controller))
    qtbot.addWidget(view)
    view.show()
    return view


def test_the_window_syncs_in_the_background_and_says_when(
    qtbot: QtBot, central: Central, private_data_dir: Path, opened: Opened
) -> None:
    with SessionStore.open(database_path(private_data_dir)) as store:
        practise(store, "Ana")
        sync(store.db, central.url("ws_one"))
        practise(store, "Ana")  # made after the last sync: waits to be sent

    view = _open(qtbot, private_data_dir, opened)
    background = view.central_sync
    assert background is not None and background.status is not None
    assert background.status.text().startswith("Last synced ")
    with qtbot.waitSignal(background.finished, timeout=30_000) as done:
        background.start()
    assert done.args is not None and done.args[1] is True
    assert background.status.text().startswith("Last synced ")
    with SessionStore.open(database_path(private_data_dir)) as store:
        assert central.fingerprint() == local_fingerprint(store)


def test_an_unreachable_store_leaves_the_window_working_offline(
    qtbot: QtBot, private_data_dir: Path, opened: Opened
) -> None:
    with SessionStore.open(database_path(private_data_dir)) as store:
        set_state(store.db, CENTRAL_ADDRESS, "host=127.0.0.1 port=1 dbname=x user=ws_one")
    view = _open(qtbot, private_data_dir, opened)
    background = view.central_sync
    assert background is not None and background.status is not None
    assert background.status.text() == "Not synced yet"
    with qtbot.waitSignal(background.finished, timeout=30_000) as done:
        background.sync_now()
    assert done.args is not None and done.args[1] is False
    assert background.status.text().startswith("⚠ Not synced (cannot reach the central store")
    with SessionStore.open(database_path(private_data_dir)) as store:
        practise(store, "Ana")  # the history goes on being saved
        assert store.db.execute("SELECT count(*) FROM outbox").fetchone()[0] > 0


def test_a_workstation_that_never_synced_shows_no_central_parts(
    qtbot: QtBot, private_data_dir: Path, opened: Opened
) -> None:
    view = _open(qtbot, private_data_dir, opened)
    assert view.central_sync is None
    with SessionStore.open(database_path(private_data_dir)) as store:
        history = HistoryWindow(store, None)
        qtbot.addWidget(history)
        assert history.organisation is None


def test_a_manager_sees_progress_by_branch_in_the_history_window(
    qtbot: QtBot, central: Central, tmp_path: Path
) -> None:
    for login, folder, trainee, branch, calls in (
        ("ws_one", "leeds", "Ana", "Leeds", 3),
        ("ws_two", "york", "Ben", "York", 1),
    ):
        with SessionStore.open(database_path(_folder(tmp_path / folder))) as station:
            practise(station, trainee, calls=calls)
            station.save_trainee(trainee, team="Cards", branch=branch)
            sync(station.db, central.url(login))

    with SessionStore.open(database_path(tmp_path / "leeds")) as store:
        history = HistoryWindow(store, None)
        qtbot.addWidget(history)
        history.show()
        tab = history.organisation
        assert tab is not None
        history.tabs.setCurrentWidget(tab)
        tab.address.setText(central.url(MANAGER))
        with qtbot.waitSignal(tab.loaded, timeout=30_000):
            tab.refresh()
        rows = [
            [_text(tab.table.item(row, column)) for column in range(3)]
            for row in range(tab.table.rowCount())
        ]
        assert rows == [["Leeds", "1", "3"], ["York", "1", "1"]]
        assert tab.status.text().startswith("From the central store at manager_mia@127.0.0.1")
        # What docs/screenshots/organisation.png shows, taken the same way.
        assert history.grab().save(str(tmp_path / "organisation.png"))

        # With the workstation's own login the view says, in one line, what is missing.
        tab.address.setText(central.url("ws_one"))
        with qtbot.waitSignal(tab.loaded, timeout=30_000):
            tab.refresh()
        assert "skeptic_manager" in tab.status.text()
        assert tab.table.rowCount() == 2  # the last good figures stay


def _text(item: QTableWidgetItem | None) -> str:
    assert item is not None
    return item.text()


def _folder(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path
