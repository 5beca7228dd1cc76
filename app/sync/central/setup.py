"""Setting up and upgrading the central store's schema (run by its administrator)."""

from __future__ import annotations

from typing import Any

import psycopg

from app.sync.central.connection import (
    CONNECT_TIMEOUT,
    MIN_SERVER_VERSION,
    explain,
    parse_address,
    server_too_old,
    stored_password,
)
from app.sync.central.schema import CENTRAL_MIGRATIONS, LOCK_ID
from app.sync.errors import SyncError


def set_up(address: str, migrations: tuple[str, ...] = CENTRAL_MIGRATIONS) -> tuple[int, int]:
    """Bring the central store to the newest schema; returns (version before, version after).

    Each step runs in its own transaction, under an advisory lock, so an interrupted upgrade
    leaves the store at the last completed version and two set-ups never run the same step.
    """
    params = parse_address(address)
    extra: dict[str, Any] = {"connect_timeout": CONNECT_TIMEOUT, "application_name": "skeptic"}
    password = stored_password(params)
    if password:
        extra["password"] = password
    try:
        with psycopg.connect(address, autocommit=True, **extra) as connection:
            if connection.info.server_version < MIN_SERVER_VERSION:
                raise SyncError(server_too_old(connection.info.server_version))
            return _migrate(connection, migrations)
    except psycopg.OperationalError as error:
        raise SyncError(explain(error, params)) from None
    except psycopg.errors.InsufficientPrivilege as error:
        raise SyncError(
            f"this login may not set up the central store ({error.diag.message_primary}); "
            "use the store owner's login"
        ) from None


def _migrate(connection: psycopg.Connection[Any], migrations: tuple[str, ...]) -> tuple[int, int]:
    connection.execute("SELECT pg_advisory_lock(%s)", [LOCK_ID])
    try:
        with connection.transaction():
            connection.execute("CREATE SCHEMA IF NOT EXISTS skeptic")
            connection.execute(
                "CREATE TABLE IF NOT EXISTS skeptic.schema_version ("
                "version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
            )
        before = _version(connection)
        if before > len(migrations):
            raise SyncError(
                f"the central store is of a newer version ({before}) than this Skeptic knows "
                f"({len(migrations)}); update Skeptic"
            )
        for version in range(before + 1, len(migrations) + 1):
            with connection.transaction():
                connection.execute(migrations[version - 1].encode())
                connection.execute(
                    "INSERT INTO skeptic.schema_version (version) VALUES (%s)", [version]
                )
        return before, _version(connection)
    finally:
        connection.execute("SELECT pg_advisory_unlock(%s)", [LOCK_ID])


def _version(connection: psycopg.Connection[Any]) -> int:
    row = connection.execute("SELECT max(version) FROM skeptic.schema_version").fetchone()
    return int(row[0] or 0) if row else 0
