"""A real PostgreSQL server for the central store's tests, and workstations to sync with it.

./scripts/test starts a throwaway server and gives its administrator's connection string in
SKEPTIC_TEST_POSTGRES. Each test gets a database of its own, set up by `skeptic central setup`'s
code; the workstation and manager logins (cluster-wide) use passwords, over TCP, read from a
pgpass file as a real workstation's would be.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest

from app.storage import SessionStore
from app.sync.central.setup import set_up
from app.sync.records import KINDS, Record, fingerprint, local_history
from tests.storage.helpers import make_turn

PASSWORD = "correct horse battery staple"
LOGINS = ("ws_one", "ws_two", "ws_three")
MANAGER = "manager_mia"
_numbers = itertools.count(1)
_TABLES = {"trainee": "trainees", "call": "calls", "turn": "turns", "tombstone": "tombstones"}


def admin_dsn() -> str:
    dsn = os.environ.get("SKEPTIC_TEST_POSTGRES")
    if not dsn:
        pytest.skip("needs the PostgreSQL server that ./scripts/test starts")
    return dsn


@dataclass
class Central:
    """One test's central store."""

    admin: str  # the owner's connection string (Unix socket, no password)
    dbname: str
    port: str

    def url(self, login: str, **options: str) -> str:
        extra = "".join(f"&{key}={value}" for key, value in options.items())
        return f"postgresql://{login}@127.0.0.1:{self.port}/{self.dbname}?connect_timeout=5{extra}"

    def connect(self) -> psycopg.Connection[Any]:
        return psycopg.connect(self.admin, autocommit=True)

    def history(self) -> dict[str, list[Record]]:
        with self.connect() as connection:
            return {
                kind: [row[0] for row in connection.execute(f"SELECT record FROM skeptic.{table}")]
                for kind, table in _TABLES.items()
            }

    def fingerprint(self) -> str:
        return fingerprint(self.history())

    def counts(self) -> dict[str, int]:
        return {kind: len(records) for kind, records in self.history().items()}


@pytest.fixture(scope="session")
def logins() -> None:
    with psycopg.connect(admin_dsn(), autocommit=True) as connection:
        for role in ("skeptic_workstation", "skeptic_manager"):
            if not connection.execute(
                "SELECT 1 FROM pg_roles WHERE rolname = %s", [role]
            ).fetchone():
                connection.execute(f"CREATE ROLE {role} NOLOGIN")
        for login, group in [*((name, "skeptic_workstation") for name in LOGINS),
                             (MANAGER, "skeptic_manager")]:  # fmt: skip
            if not connection.execute(
                "SELECT 1 FROM pg_roles WHERE rolname = %s", [login]
            ).fetchone():
                connection.execute(
                    f"CREATE ROLE {login} LOGIN PASSWORD '{PASSWORD}' IN ROLE {group}"
                )


@pytest.fixture
def central(logins: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Central]:
    dsn = admin_dsn()
    dbname = f"skeptic_test_{os.getpid()}_{next(_numbers)}"
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {dbname}")
    admin = dsn.replace("dbname=postgres", f"dbname={dbname}")
    set_up(admin)
    port = os.environ["SKEPTIC_TEST_POSTGRES_PORT"]
    pgpass = tmp_path / "pgpass"
    pgpass.write_text(
        "".join(f"127.0.0.1:{port}:*:{login}:{PASSWORD}\n" for login in (*LOGINS, MANAGER))
    )
    pgpass.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    yield Central(admin, dbname, port)
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {dbname} WITH (FORCE)")


def workstation(folder: Path) -> SessionStore:
    folder.mkdir(parents=True, exist_ok=True)
    return SessionStore.open(folder / "skeptic.db")


def practise(store: SessionStore, trainee: str, calls: int = 1, turns: int = 2) -> list[int]:
    """Finished calls of `turns` turns each, as the window would save them."""
    made = []
    for _ in range(calls):
        session_id = store.start_session(trainee, "unrecognised-charge", "A charge", "standard", 30)
        for number in range(1, turns + 1):
            store.save_turn(session_id, make_turn(number, empathy=50 + number))
        store.finish_session(session_id, "resolved", 70)
        made.append(session_id)
    return made


def local_fingerprint(store: SessionStore) -> str:
    return fingerprint(local_history(store.db))


def local_counts(store: SessionStore) -> dict[str, int]:
    history = local_history(store.db)
    return {kind: len(history[kind]) for kind in KINDS}
