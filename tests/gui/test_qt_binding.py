"""Guards against a Qt binding that corrupts Python's reference counts (PySide6 6.12.0 on
Python 3.11 releases None on most calls, and the app aborts after a few minutes)."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QProgressBar
from pytestqt.qtbot import QtBot


def test_qt_calls_keep_reference_counts_intact(qtbot: QtBot) -> None:
    bar = QProgressBar()
    qtbot.addWidget(bar)
    bar.show()
    app = QApplication.instance()
    assert app is not None
    before = sys.getrefcount(None)
    for value in range(2000):
        bar.setValue(value % 100)
        app.processEvents()
    # A few new references to None are normal; a binding that leaks a release per call would
    # have dropped the count by thousands.
    assert sys.getrefcount(None) - before > -100
