"""The practice window's executor of the turn loop: user actions become `SessionMachine`
events; the machine's commands run in the shared `CallExecutor`, with the window's presenter
and the voice thread (app.gui.voice_service). Results with a stale turn id are dropped by the
machine, which is how a typed reply safely overtakes a recording in progress.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from app.calls.executor import CallExecutor
from app.calls.presenter import Presenter
from app.core.call_events import (
    ANSWERING_PHASES,
    AnswerMode,
    EndRequested,
    Event,
    HintRequested,
    PauseRequested,
    Phase,
    RepeatRequested,
    ReplyTyped,
    ResumeRequested,
    RetryRequested,
    TalkPressed,
    TalkReleased,
)
from app.core.debrief import Debrief
from app.core.ports import Hearer
from app.core.scenario import Scenario, ScenarioError
from app.core.session import PracticeSession
from app.core.session_machine import SessionMachine, with_typing_advice
from app.core.voice import VoiceFeatures
from app.errors import one_line
from app.gui.appearance import repolish
from app.gui.backends import Backends, TakesVocabulary
from app.gui.call_navigation import CallNavigation
from app.gui.call_presenter import WindowPresenter, selected_mode
from app.gui.debrief_dialog import DebriefDialog
from app.gui.history_window import HistoryWindow
from app.gui.main_window import MainWindowView
from app.gui.settings_controller import SettingsController
from app.gui.settings_dialog import SettingsDialog
from app.gui.talk_key import TalkKey
from app.gui.voice_service import TranscriberLoaded, VoiceService
from app.room.hot_seat import SeatPresenter
from app.settings import Settings
from app.storage import SessionStore
from app.storage.call_record import CallRecord

if TYPE_CHECKING:
    from app.gui.room_controller import RoomController


class CallController(QObject):
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
        self.presenter = WindowPresenter(view, self._show_debrief)
        self.record = CallRecord(store, self.show_problem)
        self.voice = VoiceService(backends.load_transcriber)
        self.transcriber_loaded = self.voice.transcriber_loaded
        self.executor: CallExecutor | None = None
        self._hearer: Hearer | None = None
        self._hearer_key: tuple[AnswerMode, str | None] | None = None
        self._shut_down = False
        self._voices_told: set[str] = set()  # which engine speaks for a persona, said once
        self._quitting = False
        self.navigation = CallNavigation(view, backends, store, self.show_problem)
        self.room: RoomController | None = None
        self.talk_key = TalkKey(self._talk_key_wanted, self.talk_pressed, self.talk_released)

        for scenario in scenarios:
            view.scenario.addItem(f"{scenario.title}  [{scenario.difficulty}]", scenario.id)
        for error in scenario_errors:
            self.presenter.note(f"Scenario file not loaded: {error}")
        self.preferences = SettingsController(
            view,
            backends,
            store,
            settings or Settings(),
            self.voice.wait_for_transcriber,
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
        view.room_button.clicked.connect(self.open_room)
        view.scenario.currentIndexChanged.connect(self._show_scenario_summary)
        view.closing.connect(self.shutdown)
        self.voice.transcriber_loaded.connect(self._on_transcriber_loaded)
        # A method of this QObject, so that the level arrives on the GUI thread.
        self.voice.worker.level.connect(self._show_level)
        self._show_scenario_summary()
        self.presenter.show_phase(Phase.IDLE)

    def start(self) -> None:
        """Starts the voice thread and the recogniser's loading (not in the constructor, so
        that building the window has no side effects)."""
        self.voice.start(self._post)
        self.talk_key.install()

    # What the window shows -----------------------------------------------------------------

    @property
    def machine(self) -> SessionMachine | None:
        return self.executor.machine if self.executor is not None else None

    @property
    def session(self) -> PracticeSession | None:
        return self.machine.session if self.machine is not None else None

    @property
    def state(self) -> Phase:
        return self.machine.phase if self.machine is not None else Phase.IDLE

    @property
    def call_active(self) -> bool:
        return self.machine is not None and self.machine.active

    @property
    def settings(self) -> Settings:
        return self.preferences.settings

    @property
    def debrief(self) -> DebriefDialog | None:
        return self.navigation.debrief

    @property
    def history(self) -> HistoryWindow | None:
        return self.navigation.history

    def show_problem(self, text: str) -> None:
        self.presenter.show_problem(text)

    def _show_level(self, level: float) -> None:
        self.presenter.show_level(level)

    def _on_transcriber_loaded(self, loaded: TranscriberLoaded) -> None:
        status = self.view.recogniser_status
        if loaded.transcriber is None or loaded.message:
            status.setText(f"⚠ {loaded.message}")
            status.setProperty("tone", "warning")
            repolish(status)
        else:
            status.setText(f"Speech recogniser ready ({loaded.transcriber.name}, offline)")

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

    # Navigation ----------------------------------------------------------------------------

    def open_settings(self, first_run: bool = False) -> SettingsDialog | None:
        """The settings dialog (or the first-run guide); not during a call."""
        if self.call_active:
            self.view.statusBar().showMessage("Settings can be changed between calls.", 8000)
            return None
        return self.preferences.open(first_run)

    def open_history(self) -> HistoryWindow | None:
        """The history, on the trainee whose name is in the window (when they have calls)."""
        history = self.navigation.open_history()
        if history is not None and self.view.trainee.text().strip():
            history.show_trainee(self.view.trainee.text().strip())
        return history

    def open_room(self) -> RoomController:
        """The facilitator's room window (one per app run; it stays open between seats)."""
        if self.room is None:
            from app.gui.room_controller import RoomController
            from app.gui.room_window import RoomWindowView

            view = RoomWindowView(self.scenarios)
            self.room = RoomController(view, self, self.store, self.scenarios, self.seed)
        self.room.view.show()
        self.room.view.raise_()
        return self.room

    def _show_debrief(self, debrief: Debrief, can_retry: bool) -> None:
        if self._quitting:  # never a dialog while the app is quitting
            return
        dialog = self.navigation.show_debrief(debrief, can_retry)
        dialog.accepted.connect(self.start_call)  # "Practise again"
        dialog.retry_button.clicked.connect(dialog.close)
        dialog.retry_button.clicked.connect(self.retry_answer)

    # The call ------------------------------------------------------------------------------

    def start_call(self) -> None:
        if self.call_active or self._shut_down:
            return
        self.navigation.close_debrief()
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
        mode = selected_mode(self.view)
        hearer = self._prepare_hearer(mode)
        self._prepare_barge_in(mode, hearer)
        if isinstance(hearer, TakesVocabulary):
            hearer.use_vocabulary(self.backends.vocabulary(scenario))
        machine = SessionMachine(
            scenario, mode=mode, seed=self.seed, voice_baseline=self.record.voice_baseline(trainee)
        )
        self.presenter.bind(machine)
        self.executor = CallExecutor(
            machine, self.record, self.backends.speaker, hearer, self.presenter, self.voice
        )
        self.executor.start(trainee)
        describe = self.backends.describe_voice
        told = describe(scenario.persona.voice) if describe else ""
        if told and told not in self._voices_told:  # once per persona a session
            self._voices_told.add(told)
            self.view.statusBar().showMessage(told, 8000)

    def start_seat(
        self,
        trainee: str,
        make_machine: Callable[[AnswerMode, VoiceFeatures | None], SessionMachine],
        wrap: Callable[[Presenter], SeatPresenter],
    ) -> bool:
        """A training room's seat: the trainee's call, run like any other, with the room's
        presenter in front of the window's. False when a call is still going on."""
        if self.call_active or self._shut_down:
            return False
        self.navigation.close_debrief()
        self.view.trainee.setText(trainee)
        self.view.conversation.clear()
        self.view.feedback.clear()
        mode = selected_mode(self.view)
        hearer = self._prepare_hearer(mode)
        machine = make_machine(mode, self.record.voice_baseline(trainee))
        self.presenter.bind(machine)
        presenter = wrap(self.presenter)
        presenter.post = self._post
        self.executor = CallExecutor(
            machine, self.record, self.backends.speaker, hearer, presenter, self.voice
        )
        self.executor.start(trainee)
        return True

    def _prepare_barge_in(self, mode: AnswerMode, hearer: Hearer | None) -> None:
        """Hands-free, the trainee can talk over the customer; otherwise only the keyboard
        interrupts (push-to-talk and typing say when the trainee answers)."""
        make = self.backends.make_barge_in
        hands_free = mode is AnswerMode.HANDS_FREE and hearer is not None
        watch = self.voice.worker.barge_in
        if not hands_free or make is None:
            self.voice.worker.barge_in = None
        elif watch is None or watch.device != self.settings.microphone:
            self.voice.worker.barge_in = make(self.settings.microphone)

    def _prepare_hearer(self, mode: AnswerMode) -> Hearer | None:
        """One hearer per way of answering and microphone; without one, replies are typed."""
        key = (mode, self.settings.microphone)
        if self._hearer is not None and self._hearer_key == key:
            return self._hearer
        try:
            self._hearer = self.backends.hearer(mode, key[1], self.voice.wait_for_transcriber)
            self._hearer_key = key
        except Exception as error:  # no microphone, or it refused to open
            self._hearer = None
            self.show_problem(with_typing_advice(one_line(error)))
        return self._hearer

    def _post(self, event: Event) -> None:
        if self.executor is not None and not self._shut_down:
            self.executor.post(event)

    def send_typed_reply(self) -> None:
        text = self.view.reply.text().strip()
        if not text:
            return
        if self.state in ANSWERING_PHASES:
            self.view.reply.clear()
        elif self.call_active:
            self.view.statusBar().showMessage("Wait for the customer to finish, then reply.")
            return
        self._post(ReplyTyped(text))

    def talk_pressed(self) -> None:
        self._post(TalkPressed())

    def talk_released(self) -> None:
        self._post(TalkReleased())

    def _talk_key_wanted(self) -> bool:
        return self.state in (Phase.WAITING_TO_TALK, Phase.RECORDING)

    def repeat_line(self) -> None:
        self._post(RepeatRequested())

    def show_hint(self) -> None:
        self._post(HintRequested())

    def retry_answer(self) -> None:
        """Puts the customer back to before the last reply; both attempts are kept."""
        self._post(RetryRequested())

    def toggle_pause(self) -> None:
        self._post(ResumeRequested() if self.state is Phase.PAUSED else PauseRequested())

    def end_call(self) -> None:
        self._post(EndRequested())

    def shutdown(self) -> None:
        """Stop the workers first, then let the window close; no dialog opens meanwhile."""
        if self._shut_down:
            return
        self._quitting = True
        if self.call_active:
            self._post(EndRequested())
        self._shut_down = True
        if self.room is not None:
            self.room.shutdown()  # the observers' page stops with the app
        self.talk_key.remove()
        if self.executor is not None:
            self.executor.stop()
        self.voice.stop()
        self.backends.close()
        self.record.close()
