"""Syncing with the central store in the background while the window is open.

Runs only when a central store has been configured (by `skeptic sync --central URL`). Each sync
is `skeptic sync` in a child process: the window's own thread never waits on the network, the
child has its own database connection, and no Python thread of ours runs beside Qt's objects.
Its one line of output becomes the status bar's. A failed sync changes nothing here: the window
keeps working offline and tries again later.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, QProcess, QTimer, Signal
from PySide6.QtWidgets import QLabel, QMainWindow

from app.storage import SessionStore
from app.sync.workstation import CENTRAL_ADDRESS, LAST_SYNC, state

INTERVAL_MS = 5 * 60 * 1000
STOP_WAIT_MS = 15_000  # a sync in flight gives up on an unreachable server within seconds


def configured_address(store: SessionStore) -> str | None:
    """The central store this workstation syncs with, if one was set up."""
    try:
        return state(store.db, CENTRAL_ADDRESS)
    except Exception:  # an older or read-only file: no central store
        return None


def last_synced_text(store: SessionStore) -> str:
    when = state(store.db, LAST_SYNC)
    return f"Last synced {_local_time(when)}" if when else "Not synced yet"


class BackgroundSync(QObject):
    """Syncs now and then every `interval_ms`; `finished` carries the status line."""

    finished = Signal(str, bool)  # the status line, and whether the sync succeeded

    def __init__(self, database: Path, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__()
        self.database = database
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.sync_now)
        self.process: QProcess | None = None
        self.status: QLabel | None = None

    def start(self) -> None:
        self.timer.start()
        QTimer.singleShot(0, self.sync_now)

    def sync_now(self) -> None:
        if self.busy():
            return  # one sync at a time
        process = QProcess(self)
        process.setProgram(sys.executable)
        process.setArguments([*_skeptic_arguments(), "--data-dir", str(self.database.parent),
                              "sync"])  # fmt: skip
        process.finished.connect(lambda code, _status: self._done(process, code))
        self.process = process
        process.start()

    def busy(self) -> bool:
        return self.process is not None and self.process.state() != QProcess.ProcessState.NotRunning

    def stop(self) -> None:
        """Stop the timer, and let a sync in flight finish (or end it after STOP_WAIT_MS)."""
        self.timer.stop()
        if (
            self.process is not None
            and self.busy()
            and not self.process.waitForFinished(STOP_WAIT_MS)
        ):
            self.process.kill()
            self.process.waitForFinished(1000)

    def _done(self, process: QProcess, code: int) -> None:
        if code == 0:
            self.finished.emit(f"Last synced {datetime.now().strftime('%H:%M')}", True)
            return
        error = bytes(process.readAllStandardError().data()).decode("utf-8", "replace").strip()
        line = error.splitlines()[-1] if error else f"the sync stopped (exit code {code})"
        self.finished.emit(f"Not synced ({line.removeprefix('skeptic: ')})", False)


def _skeptic_arguments() -> list[str]:
    """How to run the skeptic command with this interpreter (or this frozen app)."""
    return [] if getattr(sys, "frozen", False) else ["-m", "app"]


def _local_time(iso: str) -> str:
    try:
        moment = datetime.fromisoformat(iso).astimezone()
    except ValueError:
        return iso
    return (
        moment.strftime("%H:%M")
        if moment.date() == datetime.now().date()
        else (moment.strftime("%d %b %H:%M"))
    )


def attach_background_sync(
    window: QMainWindow, store: SessionStore | None, database: Path
) -> BackgroundSync | None:
    """When a central store is configured: a status-bar line saying when this workstation last
    synced, kept up to date by a BackgroundSync (started by the caller)."""
    if store is None or not configured_address(store):
        return None
    background = BackgroundSync(database)
    background.setParent(window)
    status = QLabel(last_synced_text(store))
    status.setAccessibleName("Central store")
    status.setToolTip("Calls are sent to the central store in the background")
    window.statusBar().addPermanentWidget(status)
    background.finished.connect(lambda line, ok: status.setText(line if ok else f"⚠ {line}"))
    background.status = status
    return background
