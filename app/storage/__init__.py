"""Skeptic's practice history in one local SQLite file."""

from app.storage.database import DEFAULT_BUSY_TIMEOUT, StorageError, open_database
from app.storage.migrations import ENDINGS, MIGRATIONS, RECOGNISERS, SCHEMA_VERSION
from app.storage.repository import SessionRecord, SessionStore, TurnRecord

__all__ = [
    "DEFAULT_BUSY_TIMEOUT",
    "ENDINGS",
    "MIGRATIONS",
    "RECOGNISERS",
    "SCHEMA_VERSION",
    "SessionRecord",
    "SessionStore",
    "StorageError",
    "TurnRecord",
    "open_database",
]
