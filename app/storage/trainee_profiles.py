"""Trainee profiles: who they are, whether their replies are recorded, and complete deletion."""

from __future__ import annotations

from app.storage import recordings
from app.storage.database import sqlite_errors_explained, write_transaction
from app.storage.erasure import ErasedTrainee, backup_files, erase_from_backup
from app.storage.records import trainee_name, utc_now
from app.storage.store_base import StoreBase
from app.storage.trainees import (
    TraineeRecord,
    all_trainees,
    existing_trainee,
    find_trainee,
    optional_text,
)


class TraineeProfiles(StoreBase):
    def trainees(self) -> list[TraineeRecord]:
        """Every trainee, by name."""
        with sqlite_errors_explained(self.db):
            return all_trainees(self.db)

    def trainee(self, name: str) -> TraineeRecord:
        """The trainee's profile; LookupError when there is no such trainee."""
        with sqlite_errors_explained(self.db):
            return existing_trainee(self.db, name)

    def save_trainee(
        self, name: str, *, team: str | None = None, branch: str | None = None
    ) -> TraineeRecord:
        """Add the trainee, or set their team and branch (None or blank: not given)."""
        name = trainee_name(name)
        with sqlite_errors_explained(self.db):
            with write_transaction(self.db):
                trainee_id = self._trainee_id(name)
                self.db.execute(
                    "UPDATE trainees SET team = ?, branch = ? WHERE id = ?",
                    [optional_text(team), optional_text(branch), trainee_id],
                )
            return existing_trainee(self.db, name)

    def set_recording_consent(self, trainee: str, records_replies: bool) -> None:
        """Switch the keeping of the trainee's spoken replies on or off (adding the trainee if
        new). Switching it off keeps recordings already made; delete them separately."""
        name = trainee_name(trainee)
        with sqlite_errors_explained(self.db), write_transaction(self.db):
            trainee_id = self._trainee_id(name)
            self.db.execute(
                "UPDATE trainees SET records_replies = ?, records_replies_since = "
                "CASE WHEN ? THEN coalesce(records_replies_since, ?) END WHERE id = ?",
                [int(records_replies), int(records_replies), utc_now(), trainee_id],
            )

    def recording_consent(self, trainee: str) -> bool:
        """True when the trainee's spoken replies are kept; False for an unknown trainee."""
        with sqlite_errors_explained(self.db):
            found = find_trainee(self.db, trainee)
        return found is not None and found.records_replies

    def delete_trainee(self, trainee: str) -> ErasedTrainee:
        """Remove every trace of a trainee: profile, calls, turns, recordings, and their rows
        in the backup copies taken before upgrades. Deleted rows are overwritten on disk."""
        with sqlite_errors_explained(self.db):
            found = existing_trainee(self.db, trainee)
            self.db.execute("PRAGMA secure_delete = ON")
            with write_transaction(self.db):
                calls, turns, kept = self.db.execute(
                    "SELECT count(DISTINCT sessions.id), count(turns.id), count(turns.recording) "
                    "FROM sessions LEFT JOIN turns ON turns.session_id = sessions.id "
                    "WHERE sessions.trainee_id = ?",
                    [found.id],
                ).fetchone()
                self.db.execute(
                    "DELETE FROM turns WHERE session_id IN "
                    "(SELECT id FROM sessions WHERE trainee_id = ?)",
                    [found.id],
                )
                self.db.execute("DELETE FROM sessions WHERE trainee_id = ?", [found.id])
                self.db.execute("DELETE FROM trainees WHERE id = ?", [found.id])
                recordings.remove_folder(
                    self.data_folder,
                    recordings.trainee_recordings_folder(self.data_folder, found.id),
                )
            # Empty the write-ahead log, which still holds the deleted rows' old pages.
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            backups = backup_files(self.path)
            cleaned = sum(erase_from_backup(backup, found.name) for backup in backups)
        return ErasedTrainee(found.name, calls, turns, kept, cleaned)
