"""The debrief screen at the end of a call."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QDialog, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from app.core.debrief import Debrief, ReplyHighlight
from app.gui.feedback_html import ENDING_TITLES, score_bar
from app.gui.flow_layout import FlowLayout
from app.gui.focus import return_focus, take_focus
from app.gui.window_size import fit_to_screen
from app.gui.wording import plural


def debrief_html(debrief: Debrief) -> str:
    summary = debrief.summary
    parts = [
        f"<h1>{escape(ENDING_TITLES.get(summary.ending.kind, summary.ending.kind))}</h1>",
        f"<p>{plural(summary.turn_count, 'reply', 'replies')}; the customer's trust ended at "
        f"{summary.final_trust}/100.</p>",
        score_bar("Empathy", summary.empathy),
        score_bar("Composure", summary.composure),
    ]
    skills = debrief.skills
    if skills.components:
        weakest, strongest = skills.components[0], skills.components[-1]
        parts.append(
            f"<p><b>Strongest:</b> {escape(strongest.label)} ({strongest.score}). "
            f"<b>Weakest:</b> {escape(weakest.label)} ({weakest.score}).</p>"
            f"<p>{escape(skills.strength)}</p>"
        )
    if debrief.best_reply:
        parts.append(_reply("Your best reply", debrief.best_reply, show_better=False))
    if debrief.weakest_reply:
        parts.append(_reply("The reply to work on", debrief.weakest_reply, show_better=True))
    for retried in debrief.retried:
        change = retried.final_score - retried.first_score
        last = "Second" if retried.final_attempt == 2 else "Last"
        parts.append(
            f"<h3>Reply {retried.number}, tried again</h3>"
            f"<p>First try: <i>{escape(retried.first_reply)}</i><br>"
            f"Empathy {retried.first_empathy}, composure {retried.first_composure} "
            f"(together {retried.first_score})</p>"
            f"<p>{last} try: <i>{escape(retried.final_reply)}</i><br>"
            f"Empathy {retried.final_empathy}, composure {retried.final_composure} "
            f"(together {retried.final_score}, {change:+d} on the first try)</p>"
        )
    if debrief.voice:
        parts.append("<h3>Your voice</h3><ul>")
        for figure in debrief.voice:
            verdict = "within" if figure.in_range else "outside"
            # Seconds to a tenth: a 1.2 s pause must not read "1 s", nor a 0.4 s one "0 s".
            digits = 1 if figure.unit == "s" else 0
            source = f", in {escape(figure.source)}" if figure.source else ""
            parts.append(
                f"<li>{escape(figure.name.capitalize())}: {figure.value:.{digits}f} "
                f"{figure.unit}{source} ({verdict} the calm range {figure.low:.0f}-"
                f"{figure.high:.0f} {figure.unit})</li>"
            )
        parts.append("</ul>")
    if summary.practise_next:
        parts.append(f"<h2>Practise next</h2><p>{escape(summary.practise_next)}</p>")
    if debrief.techniques:
        parts.append(f"<p><i>{escape(debrief.techniques)}</i></p>")
    if debrief.trainer_note:
        parts.append(f"<h3>Trainer's note</h3><p>{escape(debrief.trainer_note)}</p>")
    return "".join(parts)


def _reply(title: str, reply: ReplyHighlight, show_better: bool) -> str:
    html = (
        f"<h3>{title} (reply {reply.number}: empathy {reply.empathy}, composure "
        f"{reply.composure})</h3><p>The customer: <i>{escape(reply.customer_line)}</i><br>"
        f"You: <b>{escape(reply.reply)}</b></p>"
    )
    if show_better:
        html += f"<p>A stronger way to say it: <i>{escape(reply.better_phrasing)}</i></p>"
    return html


class DebriefDialog(QDialog):
    """Shown when a call ends, beside the window (not blocking it). "Practise again" starts the
    same scenario anew; "Try the last answer again" takes back the answer that ended the call."""

    PREFERRED_SIZE = (720, 640)  # or the screen, if smaller

    def __init__(
        self, debrief: Debrief, can_retry: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Debrief")
        fit_to_screen(self, *self.PREFERRED_SIZE)
        self.text = QTextBrowser()
        self.text.setHtml(debrief_html(debrief))
        # A row that wraps (not a QDialogButtonBox, which cannot), so large fonts still fit.
        self.again_button = QPushButton("Practise &again")
        self.again_button.setDefault(True)
        self.retry_button = QPushButton("&Try the last answer again")
        self.retry_button.setVisible(can_retry)
        self.history_button = QPushButton("Open &history")
        self.close_button = QPushButton("&Close")
        self.again_button.clicked.connect(self.accept)
        self.close_button.clicked.connect(self.reject)
        buttons = FlowLayout()
        for button in (self.again_button, self.retry_button, self.history_button):
            buttons.addWidget(button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addLayout(buttons)
        self.finished.connect(lambda _result: return_focus(parent))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self, lambda: take_focus(self, self.again_button))
