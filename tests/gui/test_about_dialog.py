"""The About dialog, opened from the window: versions and licences of what is installed."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

from PySide6.QtWidgets import QApplication, QPlainTextEdit
from pytestqt.qtbot import QtBot

from app import __version__
from app.gui.about_dialog import AboutDialog
from app.gui.run import build_window
from tests.doubles import fake_backends


def test_the_window_opens_about_with_versions_and_licences(
    qtbot: QtBot, private_data_dir: Path
) -> None:
    backends, _speaker, _listener = fake_backends()
    view, controller = build_window(private_data_dir, backends, seed=7)
    qtbot.addWidget(view)
    view.show()
    try:
        view.about_button.click()
        qtbot.waitUntil(lambda: _open_about() is not None)
        dialog = _open_about()
        assert dialog is not None
        table = dialog.table.toPlainText()
        assert f"Skeptic {__version__}" in dialog.heading.text()
        assert "GPL-3.0-or-later" in dialog.heading.text()
        assert metadata.version("PySide6-Essentials") in table
        assert "LGPL-3.0-only" in table
        assert "espeak-ng" in table and "GPL-3.0-or-later" in table
        assert "not found" not in table  # every part is installed in the test environment
    finally:
        controller.shutdown()


def _open_about() -> AboutDialog | None:
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, AboutDialog)]
    return found[0] if found and found[0].isVisible() else None


def test_the_licence_opens_as_text(qtbot: QtBot) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    dialog.show()

    dialog.licence_button.click()

    assert dialog.text_view is not None
    body = dialog.text_view.findChild(QPlainTextEdit)
    assert body is not None
    assert "GNU GENERAL PUBLIC LICENSE" in body.toPlainText()
    assert "Version 3, 29 June 2007" in body.toPlainText()
