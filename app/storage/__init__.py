"""Skeptic's practice history in one local SQLite file."""

from app.storage.calls import SORT_KEYS, CallFilter, CallRow, ProgressPoint
from app.storage.database import DEFAULT_BUSY_TIMEOUT, StorageError, open_database
from app.storage.erasure import ErasedTrainee
from app.storage.migrations import ENDINGS, MIGRATIONS, RECOGNISERS, SCHEMA_VERSION
from app.storage.repository import SavedTurn, SessionRecord, SessionStore, TurnRecord
from app.storage.trainees import TraineeRecord

__all__ = [
    "DEFAULT_BUSY_TIMEOUT",
    "ENDINGS",
    "MIGRATIONS",
    "RECOGNISERS",
    "SCHEMA_VERSION",
    "SORT_KEYS",
    "CallFilter",
    "CallRow",
    "ErasedTrainee",
    "ProgressPoint",
    "SavedTurn",
    "SessionRecord",
    "SessionStore",
    "StorageError",
    "TraineeRecord",
    "TurnRecord",
    "open_database",
]
