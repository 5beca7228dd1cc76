"""The window's side of a call: widget states for each phase, the conversation, captions and
the feedback pane (an implementation of app.calls.presenter.Presenter). No call logic here."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from app.core.call_events import ANSWERING_PHASES, AnswerMode, Phase, ShowNote
from app.core.debrief import Debrief
from app.core.dialogue import CustomerLine
from app.core.reply import HeardReply
from app.core.scenario import Scenario
from app.core.session import CompletedTurn
from app.core.session_machine import SessionMachine
from app.gui.feedback_html import ENDING_STATES, call_summary, doubtful_words_html, turn_feedback
from app.gui.main_window import MainWindowView
from app.gui.theme import current_theme

PHASE_TEXT = {
    Phase.IDLE: "Ready: pick a scenario and start",
    Phase.SPEAKING: "Customer speaking...",
    Phase.OPENING_MICROPHONE: "Opening the microphone...",
    Phase.LISTENING: "Listening: answer now",
    Phase.RECORDING: "Recording: release Space when done",
    Phase.WAITING_TO_TALK: "Your turn: hold Space or the Talk button",
    Phase.TYPING: "Your turn: type your reply",
    Phase.TRANSCRIBING: "Transcribing...",
    Phase.CONFIRMING: "Check what was heard, then press Enter",
    Phase.SCORING: "Scoring...",
    Phase.PAUSED: "Paused: press Ctrl+P to go on",
    Phase.FINISHED: "Call ended",
}


class WindowPresenter:
    """Shows the call in the main window; `bind()` gives it each new call's machine."""

    def __init__(self, view: MainWindowView, show_debrief: Callable[[Debrief, bool], None]) -> None:
        self.view = view
        self._show_debrief = show_debrief
        self.machine: SessionMachine | None = None
        self.phase = Phase.IDLE
        self._ending_kind = ""

    def bind(self, machine: SessionMachine) -> None:
        self.machine = machine
        self._ending_kind = ""
        self.view.trust.setValue(machine.session.trust)

    @property
    def scenario(self) -> Scenario | None:
        return self.machine.scenario if self.machine is not None else None

    # Presenter ---------------------------------------------------------------------------

    def show_phase(self, phase: Phase) -> None:
        view = self.view
        if self.phase is Phase.CONFIRMING and phase is not Phase.CONFIRMING:
            view.check_transcript.hide()
            view.show_unsure_reply(None)
            if phase is not Phase.SCORING:
                view.reply.clear()
        if phase is Phase.TRANSCRIBING:
            view.mic_level.setValue(0)
        if phase is Phase.LISTENING and self.phase is Phase.OPENING_MICROPHONE:
            view.statusBar().clearMessage()
        entering = phase is not self.phase
        self.phase = phase
        if phase is Phase.FINISHED and self.scenario is not None:
            view.state.setText(ENDING_STATES.get(self._ending_kind, "Call ended"))
        else:
            view.state.setText(PHASE_TEXT[phase])
        active = phase not in (Phase.IDLE, Phase.FINISHED)
        view.start_button.setEnabled(not active)
        view.end_button.setEnabled(active)
        view.trainee.setEnabled(not active)
        view.scenario.setEnabled(not active)
        view.mode.setEnabled(not active)
        view.talk_button.setEnabled(phase in (Phase.WAITING_TO_TALK, Phase.RECORDING))
        view.send_button.setEnabled(active)
        view.stop_voice_button.setEnabled(phase is Phase.SPEAKING)
        answering = phase in ANSWERING_PHASES
        view.repeat_button.setEnabled(answering)
        view.hint_button.setEnabled(active)
        view.retry_button.setEnabled(self.machine is not None and self.machine.can_retry)
        if self.machine is not None and active:
            view.trust.setValue(self.machine.session.trust)
        view.pause_button.setEnabled(answering or phase in (Phase.SPEAKING, Phase.PAUSED))
        paused = phase is Phase.PAUSED
        view.set_button_text(view.pause_button, "Res&ume" if paused else "&Pause")
        if entering:
            self._move_focus(phase)

    def show_line(self, line: CustomerLine, again: bool) -> None:
        name = self.scenario.persona.name if self.scenario else "Customer"
        self.view.caption.setText(f"{name}: {line.text}")
        if not again:
            mood = f" <i>({escape(line.mood)})</i>" if line.mood else ""
            colour = current_theme().customer
            self.view.conversation.append(
                f"<p><b style='color:{colour}'>{escape(name)}</b>{mood}: {escape(line.text)}</p>"
            )

    def line_spoken(self, first_sound_at: float | None) -> None:
        return None

    def show_level(self, level: float) -> None:
        self.view.mic_level.setValue(round(level * 100))

    def ask_for_typed_reply(self) -> None:
        self.view.reply.setFocus()

    def ask_to_confirm(self, reply: HeardReply) -> None:
        view = self.view
        view.check_transcript.setText(
            "The recogniser was unsure of the highlighted words. Press Enter to score the reply "
            "as heard, or just type what you said: typing replaces it."
            f"<br>{doubtful_words_html(reply.transcript)}"
        )
        view.check_transcript.show()
        # Shown selected and highlighted: Enter scores it as heard, and the first key typed
        # replaces it all, so saying something else never means clearing the box first.
        view.show_unsure_reply(reply.transcript.text)

    def show_feedback(self, turn: CompletedTurn) -> None:
        transcript = turn.transcript
        marker = " (typed)" if transcript.engine == "typed" else ""
        if transcript.original_text is not None and transcript.original_text != transcript.text:
            marker = f" (corrected from: {transcript.original_text})"
        colour = current_theme().trainee
        self.view.conversation.append(
            f"<p><b style='color:{colour}'>You</b>: {escape(transcript.text + marker)}</p>"
        )
        self.view.feedback.setHtml(turn_feedback(turn))
        self.view.trust.setValue(turn.outcome.trust_after)

    def show_hint(self, title: str, text: str) -> None:
        body = f"<i>{escape(text)}</i>" if title != "Hint" else escape(text)
        self.view.feedback.setHtml(f"<h3>{escape(title)}</h3><p>{body}</p>")

    def show_note(self, note: ShowNote) -> None:
        if note.problem:
            self.show_problem(note.text)
        elif note.in_conversation:  # something to know (trying again), not an error
            self.note(note.text, tone="info")
        else:
            self.view.statusBar().showMessage(note.text, 8000)

    def call_finished(self, debrief: Debrief, can_retry: bool) -> None:
        self._ending_kind = debrief.summary.ending.kind
        self.view.feedback.setHtml(call_summary(debrief.summary))
        self.view.trust.setValue(debrief.summary.final_trust)
        self._show_debrief(debrief, can_retry)

    # Outside a call ----------------------------------------------------------------------

    def note(self, text: str, tone: str = "error") -> None:
        """A line in the conversation that is not part of it: a problem (the theme's error
        colour) or something to know (its info colour)."""
        theme = current_theme()
        colour = theme.info if tone == "info" else theme.error
        self.view.conversation.append(f"<p style='color:{colour}'>{escape(text)}</p>")

    def show_problem(self, text: str) -> None:
        """A problem the user should know about, in the status bar and the conversation."""
        self.view.statusBar().showMessage(text, 15000)
        self.note(text)

    def _move_focus(self, phase: Phase) -> None:
        # Keyboard focus follows the way of answering: the talk button for push-to-talk (so
        # Space talks), the reply box otherwise (typing is always possible).
        if phase is Phase.WAITING_TO_TALK:
            self.view.talk_button.setFocus()
        elif phase in (Phase.OPENING_MICROPHONE, Phase.TYPING):
            self.view.reply.setFocus()
        elif phase is Phase.FINISHED:
            self.view.start_button.setFocus()


def selected_mode(view: MainWindowView) -> AnswerMode:
    data = view.mode.currentData()
    return AnswerMode(data) if data else AnswerMode.HANDS_FREE
