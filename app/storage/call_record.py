"""The database side of one call, for every executor of the turn loop: every turn saved before
the customer answers, recordings when the trainee agreed, and nothing lost when the database
refuses (the turns wait in memory and are saved as soon as it allows). Problems are reported,
never raised."""

from __future__ import annotations

from collections.abc import Callable

from app.core.ports import SAMPLE_RATE, Samples
from app.core.scenario import Scenario
from app.core.session import CallSummary, CompletedTurn
from app.core.voice import VoiceFeatures
from app.errors import one_line
from app.storage.completed_turns import turn_record, voice_baseline
from app.storage.database import StorageError
from app.storage.repository import SessionStore


class CallRecord:
    def __init__(self, store: SessionStore | None, show_problem: Callable[[str], None]) -> None:
        self.store = store
        self._show_problem = show_problem
        self.session_id: int | None = None
        # Turns not yet in the database, with the reply's audio when it is to be recorded.
        self.unsaved_turns: list[tuple[CompletedTurn, Samples | None]] = []
        self._recording = False  # the trainee agreed to keep their spoken replies
        self._ended = False

    def voice_baseline(self, trainee: str) -> VoiceFeatures | None:
        """The trainee's usual voice from their recent replies, to judge this call's against."""
        if self.store is None:
            return None
        try:
            return voice_baseline(self.store, trainee)
        except StorageError:
            return None

    def start(self, trainee: str, scenario: Scenario, starting_trust: int) -> None:
        self.session_id = None
        self._ended = False
        self.unsaved_turns = []
        self._recording = False
        if self.store is None:
            return
        try:
            self.session_id = self.store.start_session(
                trainee, scenario.id, scenario.title, scenario.difficulty, starting_trust
            )
            self._recording = self.store.recording_consent(trainee)
        except StorageError as error:
            self._show_problem(f"This call cannot be saved: {one_line(error)}")

    def save(self, turn: CompletedTurn, samples: Samples | None) -> bool:
        """Saved before the customer answers; if the database refuses, kept for a retry."""
        self.unsaved_turns.append((turn, samples if self._recording else None))
        return self.save_waiting()

    def save_waiting(self) -> bool:
        """Try again to save the turns kept while the database refused; True when none wait."""
        if self.store is None or self.session_id is None:
            return not self.unsaved_turns
        try:
            self._save_pending()
        except StorageError as error:
            self._show_problem(
                f"Not saved yet ({one_line(error)}); {len(self.unsaved_turns)} turn(s) kept "
                "and saved as soon as the database allows."
            )
            return False
        return True

    def set_response_gap(self, number: int, gap_ms: float) -> None:
        if self.store is None or self.session_id is None:
            return
        try:
            self.store.set_response_gap(self.session_id, number, gap_ms)
        except StorageError as error:
            self._show_problem(f"Not saved: {one_line(error)}")

    def reopen(self) -> bool:
        """The answer that ended the call was taken back: the call is in progress again."""
        if self.store is None or self.session_id is None:
            return True
        try:
            self.store.reopen_session(self.session_id)
            self._ended = False
        except StorageError as error:
            self._show_problem(f"The call could not be reopened: {one_line(error)}")
            return False
        return True

    def finish(self, summary: CallSummary) -> bool:
        """Saves the turns still waiting and the end of the call; False when the database
        refused (nothing is lost: calling it again retries)."""
        if self.store is None or self.session_id is None or self._ended:
            return True
        try:
            self._save_pending()
            self.store.finish_session(self.session_id, summary.ending.kind, summary.final_trust)
        except StorageError as error:
            self._show_problem(f"The end of the call was not saved: {one_line(error)}")
            return False
        self._ended = True  # a second finish changes nothing
        return True

    def close(self) -> None:
        if self.store is not None:
            self.store.close()

    def _save_pending(self) -> None:
        assert self.store is not None and self.session_id is not None
        while self.unsaved_turns:
            turn, samples = self.unsaved_turns[0]
            turn_id = self.store.save_turn(self.session_id, turn_record(turn))
            self.unsaved_turns.pop(0)
            if samples is not None:
                self.store.save_recording(turn_id, samples, SAMPLE_RATE)
