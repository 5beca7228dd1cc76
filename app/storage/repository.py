"""Typed reads and writes of trainees, practice sessions, their turns and recordings.

`SessionStore` gathers the store's parts, each in a module of its own: the writes the turn loop
needs (call_writer), the history's reads (history_reads), trainee profiles and consent
(trainee_profiles) and recordings (recording_files).
"""

from __future__ import annotations

from app.storage.call_writer import CallWriter
from app.storage.history_reads import HistoryReads
from app.storage.recording_files import RecordingFiles
from app.storage.records import SavedTurn, SessionRecord, TurnRecord, utc_now
from app.storage.trainee_profiles import TraineeProfiles

__all__ = ["SavedTurn", "SessionRecord", "SessionStore", "TurnRecord", "utc_now"]


class SessionStore(CallWriter, HistoryReads, TraineeProfiles, RecordingFiles):
    """The practice history in one SQLite file. Use from the thread that opened it."""
