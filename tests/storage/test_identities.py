"""Schema version 6: every trainee, call and turn has a UUID and the workstation that made it,
in files upgraded from every earlier version and in rows written afterwards."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from app.storage import SCHEMA_VERSION, SessionStore
from app.sync.workstation import workstation_id
from tests.storage.helpers import make_turn
from tests.storage.test_saved_databases import saved_copy

TABLES = ("trainees", "sessions", "turns")


def identities(store: SessionStore, table: str) -> list[tuple[str, str, str]]:
    return store.db.execute(f"SELECT uuid, workstation_id, revised_at FROM {table}").fetchall()


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION + 1))
def test_every_row_of_an_upgraded_file_gets_an_identity(
    version: int, private_data_dir: Path
) -> None:
    with SessionStore.open(saved_copy(version, private_data_dir)) as store:
        me = workstation_id_of(store)
        assert uuid.UUID(me).version == 4
        seen: set[str] = set()
        for table in TABLES:
            rows = identities(store, table)
            assert rows, table
            for row_uuid, made_by, revised_at in rows:
                assert str(uuid.UUID(row_uuid)) == row_uuid
                assert made_by == me
                assert revised_at
            seen |= {row[0] for row in rows}
        # Every row is queued for the central store, and UUIDs are never shared.
        queued = {row[0] for row in store.db.execute("SELECT uuid FROM outbox").fetchall()}
        assert seen <= queued
        assert len(seen) == sum(len(identities(store, t)) for t in TABLES)


def workstation_id_of(store: SessionStore) -> str:
    return workstation_id(store.db)


def test_new_rows_get_identities_and_edits_are_new_revisions(private_data_dir: Path) -> None:
    with SessionStore.open(private_data_dir / "skeptic.db") as store:
        session_id = store.start_session("Ana", "unrecognised-charge", "A charge", "standard", 30)
        turn_id = store.save_turn(session_id, make_turn(1))
        store.finish_session(session_id, "resolved", 70)
        me = workstation_id_of(store)
        for table in TABLES:
            ((row_uuid, made_by, revised_at),) = identities(store, table)
            assert uuid.UUID(row_uuid).version == 4 and made_by == me and revised_at
        (before,) = store.db.execute("SELECT revised_at FROM trainees").fetchone()
        queued = store.db.execute("SELECT count(*) FROM outbox").fetchone()[0]

        store.save_trainee("Ana", team="Cards", branch="Leeds")

        (after,) = store.db.execute("SELECT revised_at FROM trainees").fetchone()
        assert after >= before
        assert store.db.execute("SELECT count(*) FROM outbox").fetchone()[0] > queued
        # A local-only change (where a recording lies) is not a new revision.
        (turn_revised,) = store.db.execute("SELECT revised_at FROM turns").fetchone()
        store.db.execute("UPDATE turns SET recording = 'x.flac' WHERE id = ?", [turn_id])
        assert store.db.execute("SELECT revised_at FROM turns").fetchone()[0] == turn_revised


def test_deleting_a_trainee_leaves_a_tombstone_without_their_name(private_data_dir: Path) -> None:
    with SessionStore.open(private_data_dir / "skeptic.db") as store:
        session_id = store.start_session(
            "Ana Secret", "unrecognised-charge", "A charge", "easy", 30
        )
        store.save_turn(session_id, make_turn(1))
        (ana,) = store.db.execute("SELECT uuid FROM trainees").fetchone()
        store.delete_trainee("Ana Secret")
        rows = store.db.execute("SELECT * FROM tombstones").fetchall()
        assert [row[0] for row in rows] == [ana]
        assert "Ana Secret" not in repr(rows)
        assert store.db.execute("SELECT kind FROM outbox ORDER BY seq DESC LIMIT 1").fetchone() == (
            "tombstone",
        )
