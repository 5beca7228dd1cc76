"""Opening Skeptic's SQLite file safely: refuse what is not ours, back up, then upgrade.

A file that is not SQLite, that belongs to another program, or that a newer Skeptic wrote is
refused before anything is written to it, so the user's data is never altered by a version that
does not understand it.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from app.storage.migrations import APPLICATION_ID, MIGRATIONS, Migration

DEFAULT_BUSY_TIMEOUT = 5.0


class StorageError(Exception):
    """A database problem, explained in one line a person can act on."""


def open_database(
    path: Path,
    *,
    migrations: Sequence[Migration] = MIGRATIONS,
    busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
) -> sqlite_utils.Database:
    """Open (creating if needed) and upgrade the database at `path`.

    `busy_timeout` is how many seconds to wait for another program's write lock before giving up.
    Every problem is raised as StorageError.
    """
    path = Path(path)
    try:
        return _open(path, migrations, busy_timeout, read_only=False)
    except StorageError as error:
        # A read-only disk, a folder that cannot be written or a full disk: SQLite cannot make
        # the files it shares with other programs (-shm, -wal), so even reading fails. The
        # history must still open there; every write then fails in one line.
        if not (_for_lack_of_room(error) and path.is_file()):
            raise
        try:
            return _open(path, migrations, busy_timeout, read_only=True)
        except _UpgradeCannotBeWritten as cannot:
            raise cannot from None
        except StorageError:
            raise error from None


class _UpgradeCannotBeWritten(StorageError):
    """A readable file of an older version on a disk where the upgrade cannot be written."""


def _for_lack_of_room(error: StorageError) -> bool:
    code = getattr(error.__cause__, "sqlite_errorname", "")
    return isinstance(code, str) and code.startswith(_NO_ROOM)


_NO_ROOM = ("SQLITE_CANTOPEN", "SQLITE_READONLY", "SQLITE_IOERR", "SQLITE_FULL")


def _open(
    path: Path, migrations: Sequence[Migration], busy_timeout: float, *, read_only: bool
) -> sqlite_utils.Database:
    try:
        # `timeout` is SQLite's busy timeout: how long a write waits for another writer.
        # Read-only, the file is opened immutable: nothing can write where we cannot.
        target = f"{path.resolve().as_uri()}?mode=ro&immutable=1" if read_only else str(path)
        connection = sqlite3.connect(target, timeout=busy_timeout, uri=read_only)
    except sqlite3.Error as error:
        raise explain(error, path, busy_timeout) from error
    try:
        db = sqlite_utils.Database(connection)
        db.execute("PRAGMA foreign_keys = ON")
        # Nothing is written before these checks pass (even switching to WAL rewrites the
        # file's header), so a refused file keeps every byte.
        version = pragma_int(db, "user_version")
        _refuse_foreign(db, path, version)
        if version > len(migrations):
            raise StorageError(
                f"{path} was written by a newer version of Skeptic (database version {version}, "
                f"this version knows up to {len(migrations)}); update Skeptic to open it"
            )
        if read_only:
            if version < len(migrations):
                raise _UpgradeCannotBeWritten(
                    f"{path} is from an older Skeptic and must be upgraded, which cannot be "
                    "written there (read-only or full disk): copy it to a writable folder"
                )
            return db
        db.execute("PRAGMA journal_mode = WAL")
        if version < len(migrations):
            if version > 0:
                _back_up(db, path, version)
            _migrate(db, migrations)
    except sqlite3.Error as error:
        connection.close()
        raise explain(error, path, busy_timeout) from error
    except BaseException:
        connection.close()
        raise
    return db


@contextmanager
def write_transaction(db: sqlite_utils.Database) -> Iterator[None]:
    """One write, all or nothing, committed on exit.

    The write lock is taken at the start (BEGIN IMMEDIATE) so that a busy database makes us wait
    for the busy timeout up front instead of failing half-way after a read.
    """
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
        db.execute("COMMIT")
    except BaseException:
        db.rollback()
        raise


@contextmanager
def sqlite_errors_explained(db: sqlite_utils.Database) -> Iterator[None]:
    """Turn any SQLite error raised inside the block into a one-line StorageError."""
    try:
        yield
    except sqlite3.Error as error:
        raise explain(error, database_file(db), pragma_int(db, "busy_timeout") / 1000) from error


def explain(error: sqlite3.Error, path: Path, busy_timeout: float) -> StorageError:
    """A human sentence for an SQLite error about the file at `path`."""
    code = getattr(error, "sqlite_errorname", "")
    if code.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return StorageError(
            f"{path} is in use by another program (perhaps another Skeptic window) and stayed "
            f"locked for {busy_timeout:g} s; close that program and try again"
        )
    if code.startswith("SQLITE_NOTADB"):
        return _not_sqlite(path)
    if code.startswith("SQLITE_CORRUPT"):
        return StorageError(
            f"{path} is damaged ({error}); move it away or put a backup copy in its place"
        )
    if code.startswith("SQLITE_READONLY") and _disk_is_full(path):
        return StorageError(f"cannot save to {path}: the disk is full")
    if code.startswith("SQLITE_READONLY"):
        return StorageError(f"{path} cannot be written to ({error}); check its permissions")
    if code.startswith("SQLITE_CANTOPEN"):
        return StorageError(f"cannot open {path}: check that its folder exists and is writable")
    if code.startswith(("SQLITE_FULL", "SQLITE_IOERR_SHMSIZE")):
        return StorageError(f"cannot save to {path}: the disk is full")
    return StorageError(f"{path}: {error}")


def _disk_is_full(path: Path) -> bool:
    try:
        return shutil.disk_usage(path.parent).free == 0
    except OSError:
        return False


def pragma_int(db: sqlite_utils.Database, name: str) -> int:
    row = db.execute(f"PRAGMA {name}").fetchone()
    return int(row[0])


def database_file(db: sqlite_utils.Database) -> Path:
    for _, name, file in db.execute("PRAGMA database_list").fetchall():
        if name == "main":
            return Path(file)
    return Path("(unknown database)")


def _not_sqlite(path: Path) -> StorageError:
    return StorageError(
        f"{path} is not a Skeptic database (it is not an SQLite file); "
        "move it away or choose another data folder"
    )


def _refuse_foreign(db: sqlite_utils.Database, path: Path, version: int) -> None:
    """Accept only a file Skeptic marked, or a blank one it may claim."""
    application_id = pragma_int(db, "application_id")
    if application_id == APPLICATION_ID:
        return
    has_tables = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0
    if application_id == 0 and version == 0 and not has_tables:
        return
    raise StorageError(
        f"{path} is another program's SQLite database, not Skeptic's; "
        "Skeptic leaves it untouched: choose another data folder"
    )


def _back_up(db: sqlite_utils.Database, path: Path, version: int) -> None:
    """Copy the file beside itself before an upgrade, so a failed upgrade loses nothing.

    The copy is written under a temporary name and renamed, so an earlier backup is only ever
    replaced by a complete one.
    """
    backup = path.with_name(f"{path.name}.bak-v{version}")
    partial = backup.with_name(f"{backup.name}.partial")
    try:
        partial.unlink(missing_ok=True)
        db.execute("VACUUM INTO ?", [str(partial)])
        os.replace(partial, backup)
    except OSError as error:
        raise StorageError(f"cannot back up {path} to {backup}: {error.strerror}") from error


def _migrate(db: sqlite_utils.Database, migrations: Sequence[Migration]) -> None:
    """Apply the missing steps, each in its own transaction.

    The version is read again inside each transaction, so two programs upgrading the same file at
    once cannot apply a step twice.
    """
    while True:
        with write_transaction(db):
            version = pragma_int(db, "user_version")
            if version >= len(migrations):
                return
            migrations[version](db)
            db.execute(f"PRAGMA user_version = {version + 1}")
