"""The About dialog: Skeptic's version and licence, and every main part's version and licence.

The figures come from app/about.py, the same source as `skeptic --version`. The licence and
the third-party notices open in a plain text view, so they can be read without a browser.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app import __version__
from app.about import APP_LICENCE, LICENCE_FILE, Component, components, notices_file


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About Skeptic")
        self.resize(640, 560)
        self.parts = components()
        self.heading = QLabel(
            f"<h2>Skeptic {html.escape(__version__)}</h2>"
            "<p>Practise customer-service calls with a suspicious customer, offline.</p>"
            f"<p>Free software under the GNU General Public License, version 3 or later "
            f"({APP_LICENCE}): you may share and change it under its terms. It comes with no "
            "warranty.</p>",
            wordWrap=True,
        )
        self.table = QTextBrowser()
        self.table.setAccessibleName("Parts of Skeptic, their versions and licences")
        self.table.setHtml(_parts_table(self.parts[1:]))

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.licence_button = QPushButton("&Licence")
        self.notices_button = QPushButton("Third-party &notices")
        self.buttons.addButton(self.licence_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.notices_button, QDialogButtonBox.ButtonRole.ActionRole)
        notices = notices_file()
        if notices is None:
            self.notices_button.setEnabled(False)
            self.notices_button.setToolTip(
                "Only a built bundle has them; in a source checkout run scripts/third-party-notices"
            )
        self.buttons.rejected.connect(self.reject)
        self.licence_button.clicked.connect(lambda: self.show_text(LICENCE_FILE))
        if notices is not None:
            self.notices_button.clicked.connect(lambda: self.show_text(notices))
        self.text_view: QDialog | None = None

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)

    def show_text(self, path: Path) -> None:
        """A read-only view of a licence file; says so plainly when the file is missing."""
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError as error:
            text = f"{path} could not be read: {error.strerror or error}"
        view = QDialog(self)
        view.setWindowTitle(path.name)
        view.resize(720, 600)
        body = QPlainTextEdit(text, readOnly=True)
        body.setAccessibleName(path.name)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(view.reject)
        layout = QVBoxLayout(view)
        layout.addWidget(body)
        layout.addWidget(close)
        self.text_view = view
        view.show()


def _parts_table(parts: list[Component]) -> str:
    rows = "".join(
        f"<tr><td><b>{html.escape(part.name)}</b><br><small>{html.escape(part.role)}</small></td>"
        f"<td>{html.escape(part.version)}</td><td>{html.escape(part.licence)}</td></tr>"
        for part in parts
    )
    return (
        "<table cellpadding='4' width='100%'>"
        "<tr><th align='left'>Part</th><th align='left'>Version</th>"
        "<th align='left'>Licence</th></tr>"
        f"{rows}</table>"
    )


def show_about(parent: QWidget | None) -> AboutDialog:
    dialog = AboutDialog(parent)
    dialog.show()
    return dialog
