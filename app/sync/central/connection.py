"""Connecting to the central store: one line for every way it can fail.

The address is a libpq connection URL or key=value string (`postgresql://ana@db.example/skeptic
?sslmode=verify-full`). It never holds the password: that comes from a pgpass file (libpq reads
`~/.pgpass` or `PGPASSFILE` itself) or from the system keyring (`skeptic central password`), so
it is never written to settings, the database or a log.
"""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg import conninfo

from app.sync.central.schema import CENTRAL_SCHEMA_VERSION
from app.sync.errors import SyncError

MIN_SERVER_VERSION = 130000  # PostgreSQL 13: the oldest release still tested here and supported
KEYRING_SERVICE = "skeptic-central"
CONNECT_TIMEOUT = 5  # seconds: an unreachable server must not hold up a workstation


def parse_address(address: str) -> dict[str, Any]:
    """The connection parameters; SyncError for a malformed address or one with a password."""
    if not address.strip():
        raise SyncError("no central store address given")
    try:
        params = conninfo.conninfo_to_dict(address)
    except psycopg.ProgrammingError as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else "malformed"
        raise SyncError(f"the central store address is not valid ({first})") from None
    if params.get("password"):
        raise SyncError(
            "the central store address holds a password: remove it, and keep the password in a "
            "pgpass file or the keyring (skeptic central password)"
        )
    return params


def shown_address(address: str) -> str:
    """The address as it may be shown and saved: host, port, database and user only."""
    params = parse_address(address)
    user = f"{params['user']}@" if params.get("user") else ""
    port = f":{params['port']}" if params.get("port") else ""
    return f"{user}{params.get('host', 'localhost')}{port}/{params.get('dbname', '')}"


def keyring_account(params: dict[str, Any]) -> str:
    return (
        f"{params.get('user', '')}@{params.get('host', '')}:{params.get('port', '5432')}"
        f"/{params.get('dbname', '')}"
    )


def stored_password(params: dict[str, Any]) -> str | None:
    """The password kept in the system keyring for this address, if there is a keyring."""
    try:
        import keyring

        return keyring.get_password(KEYRING_SERVICE, keyring_account(params))
    except Exception:  # no keyring back end (a headless machine): pgpass is the other way
        return None


def store_password(address: str, password: str) -> None:
    params = parse_address(address)
    try:
        import keyring

        keyring.set_password(KEYRING_SERVICE, keyring_account(params), password)
    except Exception as error:
        raise SyncError(
            f"there is no usable system keyring here ({type(error).__name__}); "
            "put the password in a pgpass file instead (see docs/central-store.md)"
        ) from None


def connect(address: str, *, timeout: int = CONNECT_TIMEOUT) -> psycopg.Connection[Any]:
    """An open connection to a central store of a version this Skeptic understands."""
    params = parse_address(address)
    extra: dict[str, Any] = {"connect_timeout": timeout, "application_name": "skeptic"}
    password = stored_password(params)
    if password:
        extra["password"] = password
    try:
        connection = psycopg.connect(address, autocommit=True, **extra)
    except psycopg.OperationalError as error:
        raise SyncError(explain(error, params)) from None
    try:
        check_server(connection)
    except BaseException:
        connection.close()
        raise
    return connection


def explain(error: BaseException, params: dict[str, Any]) -> str:
    """One line for a failed connection, naming the server but never a password."""
    text = " ".join(str(error).split())
    where = f"{params.get('host', 'localhost')}:{params.get('port', '5432')}"
    user = params.get("user", "")
    lowered = text.lower()
    if "ssl" in lowered or "certificate" in lowered:
        return f"secure connection to the central store at {where} failed ({_reason(text)})"
    if "password authentication failed" in lowered or "no password supplied" in lowered:
        return (
            f"the central store at {where} refused the password for {user or 'this user'}; "
            "check the pgpass file or keyring (working offline)"
        )
    if "does not exist" in lowered and "database" in lowered:
        return f"the central store at {where} has no database {params.get('dbname', '')!r}"
    if "does not exist" in lowered and "role" in lowered:
        return f"the central store at {where} has no login {user!r}"
    if "timeout" in lowered or "timed out" in lowered:
        return f"the central store at {where} did not answer in time (working offline)"
    if "could not translate host name" in lowered or "name or service not known" in lowered:
        return f"the central store's host {params.get('host', '')!r} is unknown (working offline)"
    if "connection refused" in lowered or "no such file" in lowered or "connect" in lowered:
        return f"cannot reach the central store at {where} (working offline)"
    if "pg_hba" in lowered:
        return f"the central store at {where} does not accept this login from here"
    return f"the central store at {where}: {_tail(text)}"


def check_server(connection: psycopg.Connection[Any]) -> None:
    """Refuse servers too old for this Skeptic, and stores of another schema version."""
    version = connection.info.server_version
    if version < MIN_SERVER_VERSION:
        raise SyncError(server_too_old(version))
    found = connection.execute(
        "SELECT to_regclass('skeptic.schema_version') IS NOT NULL"
    ).fetchone()
    if not found or not found[0]:
        raise SyncError(
            "the central store has no Skeptic tables yet; an administrator sets it up with "
            "`skeptic central setup`"
        )
    row = connection.execute("SELECT max(version) FROM skeptic.schema_version").fetchone()
    schema = int(row[0] or 0) if row else 0
    if schema > CENTRAL_SCHEMA_VERSION:
        raise SyncError(
            f"the central store is of a newer version ({schema}) than this Skeptic knows "
            f"({CENTRAL_SCHEMA_VERSION}); update Skeptic"
        )
    if schema < CENTRAL_SCHEMA_VERSION:
        raise SyncError(
            f"the central store is of an older version ({schema}); an administrator upgrades it "
            "with `skeptic central setup`"
        )


def server_too_old(version: int) -> str:
    return (
        f"the central store runs PostgreSQL {version // 10000}, older than "
        f"{MIN_SERVER_VERSION // 10000}, the oldest this Skeptic supports"
    )


def _tail(text: str) -> str:
    return text[:200]


def _reason(text: str) -> str:
    """libpq's own reason, without the "connection to server at ... failed:" it starts with."""
    return _tail(text.rsplit(" failed: ", 1)[-1])
