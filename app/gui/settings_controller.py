"""The user's settings in the window: shown at start, changed in the settings dialog or the
first-run guide (with its microphone and voice tests), saved to the settings file; and the
trainee's profile in the database: team, branch, and whether they agreed to keep recordings of
their replies."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QApplication

from app.core.call_events import AnswerMode
from app.core.ports import Transcriber
from app.core.scenario import Scenario
from app.errors import one_line
from app.gui.appearance import apply_appearance
from app.gui.backends import Backends
from app.gui.main_window import MainWindowView
from app.gui.settings_dialog import Profile, SettingsDialog
from app.settings import Settings, save_settings
from app.storage import SessionStore, StorageError


class SettingsController:
    def __init__(
        self,
        view: MainWindowView,
        backends: Backends,
        store: SessionStore | None,
        settings: Settings,
        wait_for_transcriber: Callable[[], Transcriber | None],
        selected_scenario: Callable[[], Scenario | None],
        show_problem: Callable[[str], None],
    ) -> None:
        self.view = view
        self.backends = backends
        self.store = store
        self.settings = settings
        self._wait_for_transcriber = wait_for_transcriber
        self._selected_scenario = selected_scenario
        self._show_problem = show_problem
        self.show()
        backends.use_speaker(settings.speaker)

    def show(self) -> None:
        # Never the login name: on a shared training PC it names the wrong person (or "root").
        self.view.trainee.setText(self.settings.trainee)
        self.view.mode.setCurrentIndex(max(0, self.view.mode.findData(self.settings.mode)))
        last = self.view.scenario.findData(self.settings.last_scenario)
        if last >= 0:
            self.view.scenario.setCurrentIndex(last)

    def apply(self, settings: Settings) -> None:
        """New settings from the settings dialog: saved, and used from the next reply on."""
        self.settings = settings
        self.save()
        self.show()
        self.backends.use_speaker(settings.speaker)

    def open(self, first_run: bool = False) -> SettingsDialog:
        """The settings dialog, or the first-run guide."""
        shown_name = self.view.trainee.text().strip()
        trainee = self.settings.trainee or shown_name
        dialog = SettingsDialog(
            self.settings.model_copy(update={"trainee": trainee}),
            self.backends.microphones(),
            self.backends.speakers(),
            self._hear_once,
            self._say_sample,
            first_run=first_run,
            profile=self.profile,
            voice_packs=self.backends.voice_packs() if self.backends.voice_packs else ([], []),
            play_voice_pack=self.backends.play_voice_pack,
            parent=self.view,
        )

        def accepted() -> None:
            self.apply(dialog.chosen())
            self._save_profile(self.settings.trainee, dialog.chosen_profile())
            app = QApplication.instance()
            if isinstance(app, QApplication):
                apply_appearance(app, self.settings)

        def rejected() -> None:
            if first_run:  # asked once: the defaults stand until the user opens Settings
                self.apply(self.settings.model_copy(update={"first_run_done": True}))

        dialog.accepted.connect(accepted)
        dialog.rejected.connect(rejected)
        dialog.open()
        return dialog

    def remember_call(self, trainee: str, scenario_id: str) -> None:
        """The name, scenario and mode of the call just started, for the next start."""
        mode = "push-to-talk" if self.view.mode.currentData() == "push-to-talk" else "hands-free"
        self.settings = self.settings.model_copy(
            update={"trainee": trainee, "last_scenario": scenario_id, "mode": mode}
        )
        self.save()

    def profile(self, trainee: str) -> Profile:
        """The trainee's stored team, branch and recording choice; empty for someone new."""
        if self.store is None or not trainee:
            return Profile()
        try:
            record = self.store.trainee(trainee)
        except (LookupError, StorageError):
            return Profile()
        return Profile(record.team or "", record.branch or "", record.records_replies)

    def _save_profile(self, trainee: str, profile: Profile) -> None:
        if self.store is None or not trainee:
            return
        stored = self.profile(trainee)
        try:
            if (profile.team, profile.branch) != (stored.team, stored.branch):
                self.store.save_trainee(trainee, team=profile.team, branch=profile.branch)
        except StorageError as error:
            self._show_problem(f"Team and branch not saved: {one_line(error)}")
        self._set_recording(trainee, profile.keeps_recordings)

    def keeps_recordings(self, trainee: str) -> bool:
        """Whether the trainee agreed to keep their spoken replies."""
        if self.store is None or not trainee:
            return False
        try:
            return self.store.recording_consent(trainee)
        except StorageError:
            return False

    def _set_recording(self, trainee: str, keep: bool) -> None:
        if self.store is None or not trainee or keep == self.keeps_recordings(trainee):
            return
        try:
            self.store.set_recording_consent(trainee, keep)
        except StorageError as error:
            self._show_problem(f"Recording choice not saved: {one_line(error)}")

    def _hear_once(self, device: str | None, on_level: Callable[[float], None]) -> str:
        """The settings' microphone test: one phrase, and the words understood.

        Heard as a call's reply is, so that it ends when the phrase does (and its words are
        ready then) rather than when an energy threshold finally gives up in a noisy room.
        """
        hearer = self.backends.hearer(AnswerMode.HANDS_FREE, device, self._wait_for_transcriber)
        return hearer.transcribe(hearer.record(on_level)).transcript.text

    def _say_sample(self, device: str | None) -> None:
        self.backends.use_speaker(device)
        scenario = self._selected_scenario()
        voice = scenario.persona.voice if scenario else "older-woman"
        try:
            self.backends.speaker.say(
                "Hello? Is this really the bank? I want to know who I'm speaking to.", voice, "wary"
            )
        finally:
            self.backends.use_speaker(self.settings.speaker)

    def save(self) -> None:
        try:
            save_settings(self.settings)
        except OSError as error:
            self.view.statusBar().showMessage(f"Settings not saved: {one_line(error)}", 15000)
