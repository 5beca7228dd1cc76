"""The practice window's behaviour: the turn loop, driven by the user and the voice worker.

States: idle -> speaking -> (listening | waiting_to_talk | typing) -> transcribing -> speaking ...
-> finished. Every audio request carries a turn id; a result with a stale id is ignored, which is
how a typed reply safely overtakes a recording in progress.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from html import escape

from PySide6.QtCore import QEvent, QObject, Qt, QThread, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QTextEdit

from app.audio.next_lines import likely_next_lines
from app.audio.reply import HeardReply
from app.core.debrief import build_debrief
from app.core.dialogue import CustomerLine
from app.core.ports import Listener
from app.core.scenario import Scenario, ScenarioError
from app.core.session import PracticeSession
from app.errors import one_line
from app.gui.appearance import repolish
from app.gui.backends import Backends
from app.gui.call_record import CallRecord
from app.gui.debrief_dialog import DebriefDialog
from app.gui.feedback_html import (
    ENDING_STATES,
    call_summary,
    doubtful_words_html,
    turn_feedback,
)
from app.gui.history_window import HistoryWindow
from app.gui.main_window import MODES, MainWindowView
from app.gui.settings_controller import SettingsController
from app.gui.settings_dialog import SettingsDialog
from app.gui.theme import current_theme
from app.gui.voice_worker import VoiceWorker
from app.settings import Settings
from app.storage import SessionStore

HANDS_FREE, PUSH_TO_TALK = MODES
# A whole listening turn below this input level (0..1) means a muted or dead microphone.
SILENT_INPUT_LEVEL = 0.05
HEARING_STATES = ("opening_microphone", "listening", "recording")
# The trainee's turn: the moments a reply, a repeat, a hint or a pause make sense.
ANSWERING_STATES = (*HEARING_STATES, "waiting_to_talk", "typing", "confirming")
STATE_TEXT = {
    "idle": "Ready: pick a scenario and start",
    "speaking": "Customer speaking...",
    "opening_microphone": "Opening the microphone...",
    "listening": "Listening: answer now",
    "recording": "Recording: release Space when done",
    "waiting_to_talk": "Your turn: hold Space or the Talk button",
    "typing": "Your turn: type your reply",
    "transcribing": "Transcribing...",
    "confirming": "Check what was heard, then press Enter",
    "paused": "Paused: press Ctrl+P to go on",
    "finished": "Call ended",
}


class CallController(QObject):
    speak_requested = Signal(int, str, str, str)
    hear_requested = Signal(int, object, object)
    transcriber_loaded = Signal(object, object)  # Transcriber | None, message | None

    def __init__(
        self,
        view: MainWindowView,
        backends: Backends,
        store: SessionStore | None,
        scenarios: list[Scenario],
        scenario_errors: list[ScenarioError],
        settings: Settings | None = None,
        seed: int | None = None,
    ) -> None:
        super().__init__()
        self.view = view
        self.backends = backends
        self.store = store
        self.scenarios = scenarios
        self.seed = seed
        self.state = "idle"
        self.session: PracticeSession | None = None
        self.record = CallRecord(store, self.show_problem)
        self._turn_id = 0
        self._listener: Listener | None = None
        self._listener_key: tuple[str, str | None] = ("", None)
        self._peak_level = 0.0
        self.debrief: DebriefDialog | None = None
        self.history: HistoryWindow | None = None
        # (turn number, when the trainee's voice stopped), until the customer's answer starts.
        self._gap_after: tuple[int, float] | None = None
        self._hearing = threading.Event()  # cancels the current hearing request when set
        self._closing_line = False
        self._voice_warned = False
        self._hints_shown = 0
        self._heard: HeardReply | None = None  # an unsure transcript awaiting the trainee's check
        self._state_before_pause = "idle"

        self._thread = QThread()
        self._worker = VoiceWorker(backends.speaker)
        self._worker.moveToThread(self._thread)
        self.speak_requested.connect(self._worker.speak)
        self.hear_requested.connect(self._worker.hear)
        self._worker.line_spoken.connect(self._on_line_spoken)
        self._worker.speech_failed.connect(self._on_speech_failed)
        self._worker.reply_heard.connect(self._on_reply_heard)
        self._worker.hearing_failed.connect(self._on_hearing_failed)
        self._worker.listening_started.connect(self._on_listening_started)
        self._worker.recording_finished.connect(self._on_recording_finished)
        self._worker.level.connect(self._on_level)
        self.transcriber_loaded.connect(self._on_transcriber_loaded)
        self._thread.start()
        threading.Thread(target=self._load_transcriber, name="model-loader", daemon=True).start()

        self._fill_scenarios(scenario_errors)
        self.preferences = SettingsController(
            view,
            backends,
            store,
            settings or Settings(),
            self._worker.wait_for_transcriber,
            self._selected_scenario,
            self.show_problem,
        )
        view.start_button.clicked.connect(self.start_call)
        view.end_button.clicked.connect(self.end_call)
        view.send_button.clicked.connect(self.send_typed_reply)
        view.reply.returnPressed.connect(self.send_typed_reply)
        view.talk_button.pressed.connect(self.talk_pressed)
        view.talk_button.released.connect(self.talk_released)
        view.stop_voice_button.clicked.connect(backends.speaker.stop)
        view.repeat_button.clicked.connect(self.repeat_line)
        view.hint_button.clicked.connect(self.show_hint)
        view.retry_button.clicked.connect(self.retry_answer)
        view.pause_button.clicked.connect(self.toggle_pause)
        view.settings_button.clicked.connect(self.open_settings)
        view.history_button.clicked.connect(self.open_history)
        view.scenario.currentIndexChanged.connect(self._show_scenario_summary)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self._show_scenario_summary()
        self._set_state("idle")

    # Start-up -----------------------------------------------------------------------------

    def _load_transcriber(self) -> None:
        try:
            transcriber, warning = self.backends.load_transcriber()
        except Exception as error:
            self.transcriber_loaded.emit(None, f"No speech recogniser: {one_line(error)}")
            return
        self.transcriber_loaded.emit(transcriber, warning)

    def _on_transcriber_loaded(self, transcriber: object, message: object) -> None:
        self._worker.set_transcriber(transcriber)  # type: ignore[arg-type]
        status = self.view.recogniser_status
        if transcriber is None or message:
            status.setText(f"⚠ {message}")
            status.setProperty("tone", "warning")
            repolish(status)
        else:
            status.setText(f"Speech recogniser ready ({getattr(transcriber, 'name', '')}, offline)")

    def _fill_scenarios(self, errors: list[ScenarioError]) -> None:
        for scenario in self.scenarios:
            self.view.scenario.addItem(f"{scenario.title}  [{scenario.difficulty}]", scenario.id)
        for error in errors:
            self._note(f"Scenario file not loaded: {error}")

    @property
    def settings(self) -> Settings:
        return self.preferences.settings

    def open_settings(self, first_run: bool = False) -> SettingsDialog | None:
        """The settings dialog (or the first-run guide); not during a call."""
        if self.call_active:
            self.view.statusBar().showMessage("Settings can be changed between calls.", 8000)
            return None
        return self.preferences.open(first_run)

    def open_history(self) -> HistoryWindow | None:
        if self.store is None:
            self.show_problem("There is no history: the database could not be opened.")
            return None
        if self.history is None:
            self.history = HistoryWindow(self.store, self.backends.play, self.view)
        else:
            self.history.refresh()
        self.history.show()
        self.history.raise_()
        return self.history

    def _show_scenario_summary(self) -> None:
        scenario = self._selected_scenario()
        if scenario is None:
            self.view.scenario_summary.setText("")
            return
        # The brief a trainee gets before a call: who is calling and why, never what the
        # account shows (that is the scenario's trainer_note, for the debrief).
        self.view.scenario_summary.setText(
            f"<b>{escape(scenario.title)}</b> ({escape(scenario.difficulty)}): "
            f"{escape(scenario.summary)}"
        )

    def _selected_scenario(self) -> Scenario | None:
        index = self.view.scenario.currentIndex()
        return self.scenarios[index] if 0 <= index < len(self.scenarios) else None

    # The call ------------------------------------------------------------------------------

    @property
    def call_active(self) -> bool:
        return self.session is not None and self.state not in ("idle", "finished")

    def start_call(self) -> None:
        if self.call_active:
            return
        if self.debrief is not None:
            self.debrief.close()
        trainee = self.view.trainee.text().strip()
        scenario = self._selected_scenario()
        if not trainee:
            self.show_problem("Enter your name before starting.")
            self.view.trainee.setFocus()
            return
        if scenario is None:
            self.show_problem("No scenario to practise: check the scenario files.")
            return
        self.view.conversation.clear()
        self.view.feedback.clear()
        self.preferences.remember_call(trainee, scenario.id)
        self._prepare_listener()
        self.session = PracticeSession(
            scenario, seed=self.seed, voice_baseline=self.record.voice_baseline(trainee)
        )
        self.record.start(trainee, scenario, self.session.trust)
        self.view.trust.setValue(self.session.trust)
        self._closing_line = False
        self._voice_warned = False
        self._say(self.session.opening())

    def _prepare_listener(self) -> None:
        """One listener per call, in the chosen mode; without a microphone, replies are typed."""
        key = (self.settings.mode, self.settings.microphone)
        if self._listener is not None and self._listener_key == key:
            return
        try:
            self._listener = self.backends.make_listener(*key)
            self._listener_key = key
        except Exception as error:
            self._listener = None
            self.show_problem(_with_typing_advice(one_line(error)))

    def _say(self, line: CustomerLine, again: bool = False) -> None:
        assert self.session is not None
        self._turn_id += 1
        self.view.caption.setText(f"{self.session.scenario.persona.name}: {line.text}")
        if not again:
            self._append("customer", line.text, line.mood)
            self._hints_shown = 0
        self._set_state("speaking")
        voice = self.session.scenario.persona.voice
        self.speak_requested.emit(self._turn_id, line.text, voice, line.mood)

    def _on_line_spoken(self, turn_id: int, first_sound_at: float = 0.0) -> None:
        if turn_id != self._turn_id or self.session is None:
            return
        self._record_response_gap(first_sound_at)
        if self._closing_line or self.session.finished:
            self._finish()
        else:
            self._await_reply()

    def _on_speech_failed(self, turn_id: int, message: str) -> None:
        if not self._voice_warned:  # once per call, not for every line
            self._voice_warned = True
            self.show_problem(
                f"The customer's voice is unavailable ({message}): read the captions."
            )
        self._on_line_spoken(turn_id)

    def _record_response_gap(self, first_sound_at: float) -> None:
        """How long the trainee waited between their last word and the customer's first."""
        waiting, self._gap_after = self._gap_after, None
        if waiting is None or not first_sound_at:
            return
        number, speech_ended_at = waiting
        gap_ms = max(0.0, (first_sound_at - speech_ended_at) * 1000)
        self.view.statusBar().showMessage(f"The customer answered after {gap_ms:.0f} ms", 5000)
        self.record.set_response_gap(number, gap_ms)

    def _await_reply(self) -> None:
        assert self.session is not None
        # While the trainee answers, the customer's likely next lines are made ready to say.
        self.backends.speaker.prepare(
            likely_next_lines(self.session.conversation), self.session.scenario.persona.voice
        )
        # Keyboard focus follows the way of answering: the talk button for push-to-talk (so
        # Space talks), the reply box otherwise (typing is always possible).
        if self._listener is None:
            self._set_state("typing")
            self.view.reply.setFocus()
        elif self.view.mode.currentText() == PUSH_TO_TALK:
            self._set_state("waiting_to_talk")
            self.view.talk_button.setFocus()
        else:
            self._start_hearing()
            self.view.reply.setFocus()

    def _start_hearing(self) -> None:
        hands_free = self.view.mode.currentText() == HANDS_FREE
        self._set_state("opening_microphone" if hands_free else "recording")
        self._hearing = threading.Event()
        self._peak_level = 0.0
        self.hear_requested.emit(self._turn_id, self._listener, self._hearing)

    def _stop_hearing(self) -> None:
        self._hearing.set()
        if self._listener is not None:
            self._listener.stop()

    def _on_listening_started(self, turn_id: int) -> None:
        if turn_id == self._turn_id and self.state == "opening_microphone":
            self.view.statusBar().clearMessage()
            self._set_state("listening")

    def talk_pressed(self) -> None:
        if self.state == "waiting_to_talk":
            self._start_hearing()

    def talk_released(self) -> None:
        if self.state == "recording" and self._listener is not None:
            self._listener.finish()

    def _on_recording_finished(self, turn_id: int) -> None:
        if turn_id == self._turn_id and self.state in HEARING_STATES:
            self._set_state("transcribing")
            self.view.mic_level.setValue(0)

    def _on_level(self, level: float) -> None:
        self._peak_level = max(self._peak_level, level)
        self.view.mic_level.setValue(round(level * 100))

    def _on_reply_heard(self, turn_id: int, heard: HeardReply) -> None:
        if turn_id != self._turn_id or not self.call_active:
            return
        if heard.is_empty:
            if self._peak_level < SILENT_INPUT_LEVEL:
                self.show_problem(
                    "No sound reaches the microphone: check that it is not muted, or type "
                    "your reply."
                )
            else:
                self.view.statusBar().showMessage("I didn't catch that: say it again, or type it.")
            self._await_reply()
            return
        if heard.transcript.is_uncertain:
            self._ask_to_check(heard)
            return
        self._submit(heard)

    def _ask_to_check(self, heard: HeardReply) -> None:
        """The recogniser was unsure: the trainee fixes the words before they are scored, so
        a misheard word is never graded as the trainee's mistake."""
        self._heard = heard
        self.view.check_transcript.setText(
            "The recogniser was unsure of the highlighted words. Press Enter to score the reply "
            "as heard, or just type what you said: typing replaces it."
            f"<br>{doubtful_words_html(heard.transcript)}"
        )
        self.view.check_transcript.show()
        # Shown selected and highlighted: Enter scores it as heard, and the first key typed
        # replaces it all, so saying something else never means clearing the box first.
        self.view.show_unsure_reply(heard.transcript.text)
        self.view.reply.setFocus()
        self._set_state("confirming")

    def _on_hearing_failed(self, turn_id: int, message: str) -> None:
        if turn_id != self._turn_id or not self.call_active:
            return
        # The microphone may have gone: fall back to typing for the rest of the call.
        self._listener = None
        self.show_problem(_with_typing_advice(message))
        self._set_state("typing")
        self.view.reply.setFocus()

    def send_typed_reply(self) -> None:
        text = self.view.reply.text().strip()
        if not text:
            return
        if not self.call_active or self.state in ("speaking", "transcribing"):
            self.view.statusBar().showMessage("Wait for the customer to finish, then reply.")
            return
        if self.state in HEARING_STATES:
            self._stop_hearing()
        self._turn_id += 1  # whatever the microphone was hearing is now stale
        self.view.reply.clear()
        if self.state == "confirming" and self._heard is not None:
            heard = replace(self._heard, transcript=self._heard.transcript.corrected(text))
            self._hide_check()
            self._submit(heard)
            return
        self._submit(HeardReply.typed(text))

    def _hide_check(self) -> None:
        self._heard = None
        self.view.check_transcript.hide()
        self.view.show_unsure_reply(None)

    def _submit(self, heard: HeardReply) -> None:
        assert self.session is not None
        transcript = heard.transcript
        turn = self.session.submit(transcript, heard.voice, heard.timings)
        if heard.speech_ended_at is not None:
            self._gap_after = (turn.number, heard.speech_ended_at)
        self.record.save(turn, heard.samples)
        marker = " (typed)" if transcript.engine == "typed" else ""
        if transcript.original_text is not None and transcript.original_text != transcript.text:
            marker = f" (corrected from: {transcript.original_text})"
        self._append("trainee", transcript.text + marker, "")
        self.view.feedback.setHtml(turn_feedback(turn))
        self.view.trust.setValue(turn.outcome.trust_after)
        if turn.outcome.next_line is not None:
            self._say(turn.outcome.next_line)
        elif turn.outcome.ending is not None:
            self._say_ending(turn.outcome.ending.line)

    def _say_ending(self, text: str) -> None:
        self._closing_line = True
        if text:
            self._say(CustomerLine(text=text, mood="calm", stage_id="ending"))
        else:
            self._finish()

    # Controls of the call ------------------------------------------------------------------

    def _interrupt_answering(self) -> None:
        """Stops listening or checking, so that the customer can speak again."""
        if self.state in HEARING_STATES:
            self._stop_hearing()
        self._hide_check()
        self.view.reply.clear()

    def repeat_line(self) -> None:
        if self.session is None or self.session.current_line is None:
            return
        if self.state not in ANSWERING_STATES:
            return
        self._interrupt_answering()
        self._say(self.session.current_line, again=True)

    def show_hint(self) -> None:
        """First the stage's hint; asked again, an example of a good reply."""
        if self.session is None or not self.call_active:
            return
        conversation = self.session.conversation
        if self._hints_shown == 0:
            html = f"<h3>Hint</h3><p>{escape(conversation.hint())}</p>"
        else:
            html = f"<h3>One way to say it</h3><p><i>{escape(conversation.model_reply())}</i></p>"
        self._hints_shown += 1
        self.view.feedback.setHtml(html)

    def retry_answer(self) -> None:
        """Puts the customer back to before the last reply; both attempts are kept."""
        if self.session is None or not self._retry_possible(self.state):
            return
        if self.state == "finished" and not self.record.reopen():
            return
        self._turn_id += 1
        self._closing_line = False
        self.backends.speaker.stop()
        self._interrupt_answering()
        line = self.session.retry_last()
        self.view.trust.setValue(self.session.trust)
        self._note("Trying that answer again: the customer is back where they were.", "info")
        self._say(line, again=True)

    def _retry_possible(self, state: str) -> bool:
        """After any answer during the call, and after the answer that ended it."""
        session = self.session
        if session is None or not session.can_retry:
            return False
        if state == "finished":
            return session.ending is not None and session.ending.kind != "ended_early"
        return state in (*ANSWERING_STATES, "speaking")

    def toggle_pause(self) -> None:
        if self.state == "paused":
            line = self.session.current_line if self.session else None
            if self._state_before_pause == "speaking" and line is not None:
                self._say(line, again=True)
            else:
                self._await_reply()
            return
        if self.state not in (*ANSWERING_STATES, "speaking"):
            return
        self._state_before_pause = "speaking" if self.state == "speaking" else "answering"
        self._turn_id += 1  # what was being said or heard is now stale
        self.backends.speaker.stop()
        self._interrupt_answering()
        self._set_state("paused")

    def end_call(self) -> None:
        if not self.call_active or self.session is None:
            return
        self._turn_id += 1
        self.backends.speaker.stop()
        self._stop_hearing()
        if not self.session.finished:
            self.session.end_early()
        self._finish()

    def _finish(self) -> None:
        assert self.session is not None
        summary = self.session.summary()
        self.record.finish(summary)
        self.view.feedback.setHtml(call_summary(summary))
        self._set_state("finished")
        self._show_debrief()
        self.view.state.setText(ENDING_STATES.get(summary.ending.kind, "Call ended"))
        self.view.start_button.setFocus()

    def _show_debrief(self) -> None:
        assert self.session is not None
        if self.debrief is not None:
            self.debrief.close()
        debrief = DebriefDialog(
            build_debrief(self.session), self._retry_possible("finished"), self.view
        )
        debrief.accepted.connect(self.start_call)  # "Practise again"
        debrief.retry_button.clicked.connect(debrief.close)
        debrief.retry_button.clicked.connect(self.retry_answer)
        debrief.history_button.clicked.connect(self.open_history)
        debrief.show()
        self.debrief = debrief

    # Push-to-talk on the Space bar, except while typing ------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            key_event = event if isinstance(event, QKeyEvent) else None
            if key_event is not None and self._is_talk_key(key_event):
                if event.type() == QEvent.Type.KeyPress:
                    self.talk_pressed()
                else:
                    self.talk_released()
                return True
        return super().eventFilter(watched, event)

    def _is_talk_key(self, event: QKeyEvent) -> bool:
        if event.key() != Qt.Key.Key_Space or event.isAutoRepeat():
            return False
        if self.state not in ("waiting_to_talk", "recording"):
            return False
        focus = QApplication.focusWidget()
        return not isinstance(focus, QLineEdit | QTextEdit)

    # Presentation ------------------------------------------------------------------------

    def _set_state(self, state: str) -> None:
        self.state = state
        self.view.state.setText(STATE_TEXT[state])
        active = state not in ("idle", "finished")
        self.view.start_button.setEnabled(not active)
        self.view.end_button.setEnabled(active)
        self.view.trainee.setEnabled(not active)
        self.view.scenario.setEnabled(not active)
        self.view.talk_button.setEnabled(state in ("waiting_to_talk", "recording"))
        self.view.send_button.setEnabled(active)
        self.view.stop_voice_button.setEnabled(state == "speaking")
        answering = state in ANSWERING_STATES
        self.view.repeat_button.setEnabled(answering)
        self.view.hint_button.setEnabled(active)
        self.view.retry_button.setEnabled(self._retry_possible(state))
        self.view.pause_button.setEnabled(answering or state in ("speaking", "paused"))
        self.view.set_button_text(
            self.view.pause_button, "Res&ume" if state == "paused" else "&Pause"
        )

    def _append(self, who: str, text: str, mood: str) -> None:
        if who == "customer":
            assert self.session is not None
            name = escape(self.session.scenario.persona.name)
            mood_note = f" <i>({escape(mood)})</i>" if mood else ""
            colour = current_theme().customer
            html = f"<p><b style='color:{colour}'>{name}</b>{mood_note}: {escape(text)}</p>"
        else:
            colour = current_theme().trainee
            html = f"<p><b style='color:{colour}'>You</b>: {escape(text)}</p>"
        self.view.conversation.append(html)

    def _note(self, text: str, tone: str = "error") -> None:
        """A line in the conversation that is not part of it: a problem (red), or something
        to know (blue), in the theme's colours."""
        theme = current_theme()
        colour = theme.info if tone == "info" else theme.error
        self.view.conversation.append(f"<p style='color:{colour}'>{escape(text)}</p>")

    def show_problem(self, text: str) -> None:
        """A problem the user should know about, in the status bar and the conversation."""
        self.view.statusBar().showMessage(text, 15000)
        self._note(text)

    def shutdown(self) -> None:
        """Stop the workers first, then let the window close."""
        if self.call_active:
            self.end_call()
        self.backends.speaker.stop()
        self._stop_hearing()
        self._worker.release()
        self._thread.quit()
        self._thread.wait(5000)
        self.backends.close()
        self.record.close()


def _with_typing_advice(problem: str) -> str:
    """A microphone problem, ending with what to do instead (unless it already says so)."""
    text = problem.rstrip(". ")
    if "type" not in text.lower():
        text += "; type your replies instead"
    return text + "."
