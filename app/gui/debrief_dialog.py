"""The debrief screen at the end of a call."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QDialog, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from app.core.debrief import Debrief, ReplyHighlight
from app.gui.feedback_html import ENDING_TITLES, score_bar
from app.gui.flow_layout import FlowLayout
from app.gui.window_size import fit_to_screen


def debrief_html(debrief: Debrief) -> str:
    summary = debrief.summary
    parts = [
        f"<h1>{escape(ENDING_TITLES.get(summary.ending.kind, summary.ending.kind))}</h1>",
        f"<p>{_replies(summary.turn_count)}; the customer's trust ended at "
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
        parts.append(
            f"<h3>Reply {retried.number}, tried again</h3>"
            f"<p>First: <i>{escape(retried.first_reply)}</i> ({retried.first_score})<br>"
            f"Then: <i>{escape(retried.final_reply)}</i> ({retried.final_score}, "
            f"{retried.final_score - retried.first_score:+d})</p>"
        )
    if debrief.voice:
        parts.append("<h3>Your voice</h3><ul>")
        for figure in debrief.voice:
            verdict = "within" if figure.in_range else "outside"
            parts.append(
                f"<li>{escape(figure.name)}: {figure.value:.0f} {figure.unit} ({verdict} the "
                f"calm range {figure.low:.0f}-{figure.high:.0f} {figure.unit})</li>"
            )
        parts.append("</ul>")
    if summary.practise_next:
        parts.append(f"<h2>Practise next</h2><p>{escape(summary.practise_next)}</p>")
    if debrief.techniques:
        parts.append(f"<p><i>{escape(debrief.techniques)}</i></p>")
    return "".join(parts)


def _replies(count: int) -> str:
    return "1 reply" if count == 1 else f"{count} replies"


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
