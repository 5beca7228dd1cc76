"""Syncing with a real PostgreSQL central store: complete, idempotent, resumable, private."""

from __future__ import annotations

import os
import subprocess
import threading
from pathlib import Path
from typing import Any

import psycopg
import pytest

from app.sync.central import connection as central_connection
from app.sync.central.progress import my_trainees, organisation_progress
from app.sync.central.push import outbox_batch, send_batch, sync
from app.sync.errors import SyncError
from app.sync.workstation import workstation_id
from tests.sync.conftest import (
    MANAGER,
    Central,
    local_counts,
    local_fingerprint,
    practise,
    workstation,
)


def test_a_sync_sends_the_whole_history_and_a_second_sends_nothing(
    central: Central, tmp_path: Path
) -> None:
    leeds = workstation(tmp_path / "leeds")
    practise(leeds, "Ana", calls=3, turns=4)
    leeds.save_trainee("Ana", team="Cards", branch="Leeds")

    report = sync(leeds.db, central.url("ws_one"), batch_size=7)
    assert report.batches > 1
    assert central.counts() == {"trainee": 1, "call": 3, "turn": 12, "tombstone": 0}
    assert central.fingerprint() == local_fingerprint(leeds)

    again = sync(leeds.db, central.url("ws_one"))
    assert again.sent == {} and again.batches == 0
    assert central.fingerprint() == local_fingerprint(leeds)

    # Later work goes in the next sync.
    practise(leeds, "Ana")
    sync(leeds.db, central.url("ws_one"))
    assert central.counts()["call"] == 4
    assert central.fingerprint() == local_fingerprint(leeds)


def test_the_same_batch_replayed_changes_nothing(central: Central, tmp_path: Path) -> None:
    leeds = workstation(tmp_path / "leeds")
    practise(leeds, "Ana", calls=2)
    entries = leeds.db.execute("SELECT seq, kind, uuid FROM outbox ORDER BY seq").fetchall()
    batch = outbox_batch(leeds.db, entries)
    sync(leeds.db, central.url("ws_one"))
    with central.connect() as admin:
        changes = admin.execute("SELECT count(*) FROM skeptic.changes").fetchone()
    before = central.fingerprint()

    with psycopg.connect(central.url("ws_one"), autocommit=True) as connection:
        send_batch(connection, workstation_id(leeds.db), batch)
        send_batch(connection, workstation_id(leeds.db), batch)

    with central.connect() as admin:
        assert admin.execute("SELECT count(*) FROM skeptic.changes").fetchone() == changes
    assert central.fingerprint() == before == local_fingerprint(leeds)


def test_a_connection_cut_mid_batch_loses_nothing_and_the_next_sync_carries_on(
    central: Central, tmp_path: Path
) -> None:
    leeds = workstation(tmp_path / "leeds")
    practise(leeds, "Ana", calls=5, turns=3)
    batches: list[int] = []

    def cut_the_second_batch(connection: psycopg.Connection[Any], last_seq: int) -> None:
        batches.append(last_seq)
        if len(batches) == 2:
            with central.connect() as admin:  # the server drops the connection mid-transaction
                admin.execute("SELECT pg_terminate_backend(%s)", [connection.info.backend_pid])

    with pytest.raises(SyncError, match="connection to the central store was lost") as cut:
        sync(leeds.db, central.url("ws_one"), batch_size=5, before_commit=cut_the_second_batch)
    assert "\n" not in str(cut.value)
    with central.connect() as admin:
        # The first batch arrived whole; the cut one not at all.
        assert admin.execute("SELECT max(seq) FROM skeptic.changes").fetchone() == (batches[0],)

    # The workstation keeps working offline, then the next sync completes the history.
    practise(leeds, "Ben")
    sync(leeds.db, central.url("ws_one"), batch_size=5)
    assert central.fingerprint() == local_fingerprint(leeds)
    assert central.counts() == local_counts(leeds)


def test_a_sync_killed_mid_way_is_completed_by_the_next(central: Central, tmp_path: Path) -> None:
    import subprocess
    import sys

    leeds_folder = tmp_path / "leeds"
    leeds = workstation(leeds_folder)
    practise(leeds, "Ana", calls=30, turns=5)
    leeds.close()
    command = [sys.executable, "-m", "app", "--data-dir", str(leeds_folder), "sync",
               "--central", central.url("ws_one"), "--batch-size", "3"]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    with central.connect() as admin:
        for _ in range(2000):  # until some batches have arrived, then kill without warning
            arrived = admin.execute("SELECT count(*) FROM skeptic.changes").fetchone()
            if (arrived and arrived[0] >= 9) or process.poll() is not None:
                break
            admin.execute("SELECT pg_sleep(0.01)")
    process.kill()
    process.wait(timeout=30)
    assert process.returncode != 0, "the sync finished before it could be killed"
    assert central.counts()["turn"] < 150

    leeds = workstation(leeds_folder)
    sync(leeds.db, central.url("ws_one"))
    assert central.counts() == {"trainee": 1, "call": 30, "turn": 150, "tombstone": 0}
    assert central.fingerprint() == local_fingerprint(leeds)


def test_two_workstations_syncing_at_once(central: Central, tmp_path: Path) -> None:
    stores = [workstation(tmp_path / name) for name in ("leeds", "york")]
    practise(stores[0], "Ana", calls=20, turns=3)
    practise(stores[1], "Ben", calls=20, turns=3)
    paths = [store.path for store in stores]
    for store in stores:
        store.close()
    errors: list[BaseException] = []

    def run(path: Path, login: str) -> None:
        try:
            with workstation(path.parent) as store:
                sync(store.db, central.url(login), batch_size=4)
        except BaseException as error:
            errors.append(error)

    threads = [
        threading.Thread(target=run, args=(path, login))
        for path, login in zip(paths, ("ws_one", "ws_two"), strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert central.counts() == {"trainee": 2, "call": 40, "turn": 120, "tombstone": 0}
    histories = [workstation(path.parent) for path in paths]
    merged: dict[str, list[dict[str, object]]] = {}
    for store in histories:
        from app.sync.records import local_history

        for kind, records in local_history(store.db).items():
            merged.setdefault(kind, []).extend(records)
    from app.sync.records import fingerprint

    assert central.fingerprint() == fingerprint(merged)


def test_deletions_travel_both_ways(central: Central, tmp_path: Path) -> None:
    leeds = workstation(tmp_path / "leeds")
    york = workstation(tmp_path / "york")
    practise(leeds, "Ana")
    practise(leeds, "Ben")
    practise(leeds, "Cy")
    from app.sync.bundle import export_bundle, import_bundle

    export_bundle(leeds.db, tmp_path / "leeds.skeptic")
    import_bundle(york.db, tmp_path / "leeds.skeptic")
    sync(leeds.db, central.url("ws_one"))
    sync(york.db, central.url("ws_two"))

    # On a workstation: York deletes Ana; Leeds removes her at its next sync.
    york.delete_trainee("Ana")
    sync(york.db, central.url("ws_two"))
    report = sync(leeds.db, central.url("ws_one"))
    assert report.merged.trainees_removed == 1
    # Centrally: an administrator deletes Ben; both workstations remove him.
    (ben,) = leeds.db.execute("SELECT uuid FROM trainees WHERE name = 'Ben'").fetchone()
    with central.connect() as admin:
        admin.execute("SELECT skeptic.delete_trainee(%s)", [ben])
    sync(leeds.db, central.url("ws_one"))
    sync(york.db, central.url("ws_two"))

    for store in (leeds, york):
        assert [t.name for t in store.trainees()] == ["Cy"]
        assert local_fingerprint(store) == central.fingerprint()
    assert central.counts() == {"trainee": 1, "call": 1, "turn": 2, "tombstone": 2}


def test_a_workstation_may_insert_only_its_own_rows_and_a_manager_only_read(
    central: Central, tmp_path: Path
) -> None:
    leeds = workstation(tmp_path / "leeds")
    york = workstation(tmp_path / "york")
    practise(leeds, "Ana")
    sync(leeds.db, central.url("ws_one"))
    leeds_id = workstation_id(leeds.db)

    with psycopg.connect(central.url("ws_two"), autocommit=True) as other:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # row-level security
            other.execute(
                "INSERT INTO skeptic.changes (workstation_id, seq, kind, uuid, record, digest) "
                "VALUES (%s, 999, 'checkpoint', NULL, '{}', '')",
                [leeds_id],
            )
        # Nor read what others sent, nor touch the records.
        assert other.execute("SELECT count(*) FROM skeptic.changes").fetchone() == (0,)
        for statement in (
            "SELECT * FROM skeptic.trainees",
            "DELETE FROM skeptic.calls",
            "UPDATE skeptic.workstations SET login = current_user",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                other.execute(statement)
    # A workstation id claimed by another login is refused in one line.
    york.db.execute("UPDATE workstation SET id = ?", [leeds_id])
    york.db.conn.commit()
    with pytest.raises(SyncError, match="registered to another login"):
        sync(york.db, central.url("ws_two"))

    with psycopg.connect(central.url(MANAGER), autocommit=True) as manager:
        assert manager.execute("SELECT count(*) FROM skeptic.calls").fetchone() == (1,)
        for statement in (
            "DELETE FROM skeptic.calls",
            "INSERT INTO skeptic.scenarios (id, body) VALUES ('x', 'y')",
            "SELECT skeptic.delete_trainee(gen_random_uuid())",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                manager.execute(statement)


def test_progress_by_branch_and_team_for_a_manager(central: Central, tmp_path: Path) -> None:
    leeds = workstation(tmp_path / "leeds")
    york = workstation(tmp_path / "york")
    practise(leeds, "Ana", calls=2)
    leeds.save_trainee("Ana", team="Cards", branch="Leeds")
    practise(york, "Ben", calls=1)
    york.save_trainee("Ben", team="Cards", branch="York")
    sync(leeds.db, central.url("ws_one"))
    sync(york.db, central.url("ws_two"))

    by_branch = organisation_progress(central.url(MANAGER), "branch")
    assert [(g.group, g.trainees, g.calls, g.turns) for g in by_branch] == [
        ("Leeds", 1, 2, 4),
        ("York", 1, 1, 2),
    ]
    assert by_branch[0].empathy == pytest.approx(51.5)
    (cards,) = organisation_progress(central.url(MANAGER), "team")
    assert (cards.group, cards.trainees, cards.calls, cards.resolved_percent) == (
        "Cards",
        2,
        3,
        100.0,
    )
    with pytest.raises(SyncError, match="skeptic_manager"):
        organisation_progress(central.url("ws_one"), "branch")

    # The trainees a manager looks after: those of the teams and branches assigned to them.
    assert my_trainees(central.url(MANAGER)) == []
    with central.connect() as admin:
        admin.execute(
            "INSERT INTO skeptic.manager_scope (login, branch) VALUES (%s, 'York')", [MANAGER]
        )
    (ben,) = my_trainees(central.url(MANAGER))
    assert (ben.name, ben.branch, ben.calls) == ("Ben", "York", 1)


def test_published_scenarios_come_down_with_a_sync(central: Central, tmp_path: Path) -> None:
    from app.paths import SHIPPED_SCENARIOS_DIR
    from app.scenario_library import load_library

    leeds = workstation(tmp_path / "leeds")
    shipped = (SHIPPED_SCENARIOS_DIR / "account-locked.toml").read_text()
    published = shipped.replace('id = "account-locked"', 'id = "central-locked"', 1)
    assert published != shipped
    with central.connect() as admin:
        admin.execute(
            "INSERT INTO skeptic.scenarios (id, body) VALUES ('central-locked', %s), "
            "('broken', 'not = [a scenario')",
            [published],
        )
    report = sync(leeds.db, central.url("ws_one"))
    assert report.scenarios == ["central-locked"]
    scenarios, errors = load_library(tmp_path / "leeds")
    assert "central-locked" in {s.id for s in scenarios}
    assert errors == []
    assert sync(leeds.db, central.url("ws_one")).scenarios == []  # unchanged: not rewritten


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("postgresql://ws_one@127.0.0.1:99999/x", "not valid|cannot reach"),
        ("host=127.0.0.1 port=1 dbname=x user=ws_one connect_timeout=2", "cannot reach"),
        ("postgresql://ws_one:secret@127.0.0.1/x", "holds a password"),
        ("port=notanumber =", "not valid"),
        ("", "no central store"),
    ],
)
def test_bad_addresses_give_one_line(address: str, message: str, tmp_path: Path) -> None:
    leeds = workstation(tmp_path / "leeds")
    with pytest.raises(SyncError, match=message) as refused:
        sync(leeds.db, address)
    assert "\n" not in str(refused.value)
    practise(leeds, "Ana")  # and the workstation keeps working offline


def test_wrong_password_unknown_database_tls_and_versions_give_one_line(
    central: Central, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    leeds = workstation(tmp_path / "leeds")
    wrong = tmp_path / "wrong-pgpass"
    wrong.write_text(f"127.0.0.1:{central.port}:*:ws_one:not-the-password\n")
    wrong.chmod(0o600)
    with monkeypatch.context() as patched:
        patched.setenv("PGPASSFILE", str(wrong))
        with pytest.raises(SyncError, match="refused the password"):
            sync(leeds.db, central.url("ws_one"))

    with pytest.raises(SyncError, match="has no database"):
        sync(leeds.db, central.url("ws_one").replace(central.dbname, "nowhere"))
    # TLS: the test server's certificate is its own; trusted, the sync is encrypted and
    # verified; not trusted, a workstation that insists on verification is told so in one line.
    authority = os.environ["SKEPTIC_TEST_POSTGRES_CA"]
    verified = central.url("ws_one", sslmode="verify-full", sslrootcert=authority)
    with psycopg.connect(verified) as encrypted:
        assert encrypted.execute(
            "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"
        ).fetchone() == (True,)
    sync(leeds.db, verified)
    stranger = tmp_path / "another-authority.crt"
    subprocess.run(
        ["openssl", "req", "-new", "-x509", "-days", "1", "-nodes", "-subj", "/CN=127.0.0.1",
         "-keyout", str(tmp_path / "other.key"), "-out", str(stranger)],
        check=True, capture_output=True,
    )  # fmt: skip
    for untrusted in (str(stranger), str(tmp_path / "missing.crt")):
        with pytest.raises(SyncError, match="secure connection") as refused:
            sync(leeds.db, central.url("ws_one", sslmode="verify-full", sslrootcert=untrusted))
        assert "\n" not in str(refused.value)

    with central.connect() as admin:
        admin.execute("INSERT INTO skeptic.schema_version (version) VALUES (99)")
    with pytest.raises(SyncError, match="newer version"):
        sync(leeds.db, central.url("ws_one"))
    with central.connect() as admin:
        admin.execute("DELETE FROM skeptic.schema_version WHERE version = 99")

    with monkeypatch.context() as patched:
        patched.setattr(central_connection, "MIN_SERVER_VERSION", 990000)
        with pytest.raises(SyncError, match="older than 99"):
            sync(leeds.db, central.url("ws_one"))

    # Through all of it the history stayed here, unsent, and goes at the next good sync.
    practise(leeds, "Ana")
    sync(leeds.db, central.url("ws_one"))
    assert central.fingerprint() == local_fingerprint(leeds)


def test_a_store_without_skeptic_tables_is_named(tmp_path: Path, central: Central) -> None:
    with central.connect() as admin:
        admin.execute("DROP SCHEMA skeptic CASCADE")
    leeds = workstation(tmp_path / "leeds")
    with pytest.raises(SyncError, match="skeptic central setup"):
        sync(leeds.db, central.url("ws_one"))
