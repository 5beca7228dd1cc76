"""Recordings of the trainee's spoken replies, kept only when the trainee agreed."""

from __future__ import annotations

from pathlib import Path

from app.core.ports import SAMPLE_RATE, Samples
from app.storage import recordings
from app.storage.calls import recording_file
from app.storage.database import sqlite_errors_explained, write_transaction
from app.storage.store_base import StoreBase
from app.storage.trainees import existing_trainee


class RecordingFiles(StoreBase):
    def save_recording(
        self, turn_id: int, samples: Samples, sample_rate: int = SAMPLE_RATE
    ) -> Path:
        """Keep the audio of a saved turn's reply as FLAC and return its path.

        Refused (ValueError) unless recording is switched on for the turn's trainee.
        """
        with sqlite_errors_explained(self.db), write_transaction(self.db):
            row = self.db.execute(
                "SELECT sessions.trainee_id, turns.session_id, turns.number, turns.attempt, "
                "trainees.records_replies, trainees.name FROM turns "
                "JOIN sessions ON sessions.id = turns.session_id "
                "JOIN trainees ON trainees.id = sessions.trainee_id WHERE turns.id = ?",
                [turn_id],
            ).fetchone()
            if row is None:
                raise LookupError(f"there is no turn {turn_id}")
            trainee_id, session_id, number, attempt, records_replies, name = row
            if not records_replies:
                raise ValueError(f"recording is switched off for {name}; switch it on first")
            location = recordings.recording_location(trainee_id, session_id, number, attempt)
            path = self.data_folder / location
            recordings.write_flac(path, samples, sample_rate)
            try:
                self.db.execute("UPDATE turns SET recording = ? WHERE id = ?", [location, turn_id])
            except BaseException:
                recordings.remove_recording(self.data_folder, location)
                raise
            return path

    def recording(self, turn_id: int) -> Path | None:
        """The audio file of a turn's reply, when it was kept and is still on disk."""
        with sqlite_errors_explained(self.db):
            row = self.db.execute("SELECT recording FROM turns WHERE id = ?", [turn_id]).fetchone()
        return recording_file(self.data_folder, row[0]) if row else None

    def delete_call_recordings(self, session_id: int) -> int:
        """Delete every recording of a call; returns how many files were removed."""
        with sqlite_errors_explained(self.db), write_transaction(self.db):
            session = self._session(session_id)
            trainee_id = self._trainee_id(session.trainee)
            return self._delete_recordings(
                "turns.session_id = ?",
                [session_id],
                recordings.trainee_recordings_folder(self.data_folder, trainee_id)
                / str(session_id),
            )

    def delete_trainee_recordings(self, trainee: str) -> int:
        """Delete every recording of a trainee; returns how many files were removed."""
        with sqlite_errors_explained(self.db), write_transaction(self.db):
            found = existing_trainee(self.db, trainee)
            return self._delete_recordings(
                "turns.session_id IN (SELECT id FROM sessions WHERE trainee_id = ?)",
                [found.id],
                recordings.trainee_recordings_folder(self.data_folder, found.id),
            )

    def _delete_recordings(self, condition: str, params: list[object], folder: Path) -> int:
        locations = [
            location
            for (location,) in self.db.execute(
                f"SELECT recording FROM turns WHERE recording IS NOT NULL AND {condition}", params
            ).fetchall()
        ]
        self.db.execute(
            f"UPDATE turns SET recording = NULL WHERE recording IS NOT NULL AND {condition}",
            params,
        )
        removed = sum(recordings.remove_recording(self.data_folder, loc) for loc in locations)
        recordings.remove_folder(self.data_folder, folder)
        return removed
