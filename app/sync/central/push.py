"""Syncing with the central store: push the outbox, pull tombstones and scenarios.

Pushing is resumable and idempotent. The central store's highest sequence number from this
workstation is what it has acknowledged; each batch is sent as one INSERT in one transaction,
`ON CONFLICT DO NOTHING`, so a batch cut off mid-way is sent again whole, and a batch that did
arrive (even if the answer was lost) changes nothing the second time. Within a batch only the
newest entry of each record is sent, read as the record is now.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
import sqlite_utils

from app.storage.database import sqlite_errors_explained
from app.sync.central.connection import connect, explain, parse_address
from app.sync.errors import SyncError
from app.sync.merge import MergeReport, merge_history
from app.sync.records import Record, digest, records_by_uuid
from app.sync.validation import checked
from app.sync.workstation import (
    CENTRAL_ADDRESS,
    LAST_SYNC,
    TOMBSTONES_SEEN,
    set_state,
    state,
    workstation_id,
)

BATCH_SIZE = 1000
__all__ = ["CENTRAL_ADDRESS", "LAST_SYNC", "SyncReport", "sync"]
SCENARIOS_FOLDER = "central"  # under the data folder's scenarios/

_INSERT = """
    INSERT INTO skeptic.changes (workstation_id, seq, kind, uuid, record, digest)
    SELECT %(workstation)s, seq, kind, uuid, record, digest
    FROM jsonb_to_recordset(%(batch)s::jsonb)
        AS sent(seq bigint, kind text, uuid uuid, record jsonb, digest text)
    ON CONFLICT (workstation_id, seq) DO NOTHING
"""


@dataclass
class SyncReport:
    """What one sync did."""

    sent: dict[str, int] = field(default_factory=dict)
    batches: int = 0
    acknowledged: int = 0
    tombstones: int = 0
    scenarios: list[str] = field(default_factory=list)
    merged: MergeReport = field(default_factory=MergeReport)


# Called inside each batch's transaction just before it commits (tests cut the connection here).
BeforeCommit = Callable[[psycopg.Connection[Any], int], None]


def sync(
    db: sqlite_utils.Database,
    address: str,
    *,
    batch_size: int = BATCH_SIZE,
    before_commit: BeforeCommit | None = None,
) -> SyncReport:
    """Push everything not yet acknowledged, then pull tombstones and scenarios."""
    report = SyncReport()
    with sqlite_errors_explained(db), connect(address) as connection:
        try:
            push(connection, db, report, batch_size=batch_size, before_commit=before_commit)
            pull_tombstones(connection, db, report)
            pull_scenarios(connection, db, report)
        except psycopg.errors.InsufficientPrivilege as error:
            raise SyncError(
                f"the central store refused this login ({error.diag.message_primary}); "
                "it needs the skeptic_workstation role (working offline)"
            ) from None
        except psycopg.OperationalError as error:
            raise SyncError(
                "the connection to the central store was lost; nothing sent is lost, the next "
                f"sync carries on ({explain(error, parse_address(address))})"
            ) from None
        except psycopg.Error as error:
            raise SyncError(
                f"the central store refused the sync ({error.diag.message_primary or error}); "
                "nothing was lost, the history stays here"
            ) from None
    with sqlite_errors_explained(db):
        set_state(db, CENTRAL_ADDRESS, address)
        set_state(db, LAST_SYNC, datetime.now(UTC).isoformat(timespec="seconds"))
    return report


def register(connection: psycopg.Connection[Any], workstation: str) -> None:
    """Claim this workstation id for the login (once); refused if another login holds it."""
    connection.execute(
        "INSERT INTO skeptic.workstations (id) VALUES (%s) ON CONFLICT (id) DO NOTHING",
        [workstation],
    )
    row = connection.execute(
        "SELECT login FROM skeptic.workstations WHERE id = %s", [workstation]
    ).fetchone()
    if row is None:
        raise SyncError(
            f"workstation {workstation} is registered to another login on the central store; "
            "each workstation syncs with its own login"
        )


def acknowledged(connection: psycopg.Connection[Any], workstation: str) -> int:
    row = connection.execute(
        "SELECT coalesce(max(seq), 0) FROM skeptic.changes WHERE workstation_id = %s",
        [workstation],
    ).fetchone()
    return int(row[0]) if row else 0


def push(
    connection: psycopg.Connection[Any],
    db: sqlite_utils.Database,
    report: SyncReport,
    *,
    batch_size: int = BATCH_SIZE,
    before_commit: BeforeCommit | None = None,
) -> None:
    workstation = workstation_id(db)
    register(connection, workstation)
    done = acknowledged(connection, workstation)
    while True:
        entries = db.execute(
            "SELECT seq, kind, uuid FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?",
            [done, batch_size],
        ).fetchall()
        if not entries:
            break
        batch = outbox_batch(db, entries)
        send_batch(connection, workstation, batch, before_commit)
        for change in batch:
            report.sent[change["kind"]] = report.sent.get(change["kind"], 0) + 1
        report.batches += 1
        done = int(entries[-1][0])
    report.acknowledged = done
    # What the central store holds need not be kept twice.
    db.execute("DELETE FROM outbox WHERE seq <= ?", [done])
    db.conn.commit()


def outbox_batch(db: sqlite_utils.Database, entries: list[tuple[int, str, str]]) -> list[Record]:
    """The changes to send for these outbox entries: the newest entry of each record, with
    the record as it is now. The last entry is always sent (as a checkpoint if its record has
    gone), so the central store's highest sequence number moves past the whole batch."""
    latest: dict[tuple[str, str], int] = {}
    for seq, kind, uuid in entries:
        latest[(kind, uuid)] = seq
    by_kind: dict[str, list[str]] = {}
    for kind, uuid in latest:
        by_kind.setdefault(kind, []).append(uuid)
    found: dict[tuple[str, str], Record] = {}
    for kind, uuids in by_kind.items():
        for record in records_by_uuid(db, kind, uuids):
            found[(kind, record["uuid"])] = record
    batch = [
        {"seq": seq, "kind": kind, "uuid": uuid, "record": found[(kind, uuid)],
         "digest": digest(found[(kind, uuid)])}
        for (kind, uuid), seq in sorted(latest.items(), key=lambda item: item[1])
        if (kind, uuid) in found
    ]  # fmt: skip
    last = int(entries[-1][0])
    if not batch or batch[-1]["seq"] != last:
        batch.append({"seq": last, "kind": "checkpoint", "uuid": None, "record": {}, "digest": ""})
    return batch


def send_batch(
    connection: psycopg.Connection[Any],
    workstation: str,
    batch: list[Record],
    before_commit: BeforeCommit | None = None,
) -> None:
    """One batch in one transaction; sending it again changes nothing."""
    with connection.transaction():
        connection.execute(_INSERT, {"workstation": workstation, "batch": json.dumps(batch)})
        if before_commit is not None:
            before_commit(connection, int(batch[-1]["seq"]))


def pull_tombstones(
    connection: psycopg.Connection[Any], db: sqlite_utils.Database, report: SyncReport
) -> None:
    """Deletions and merges made elsewhere since the last sync, carried out here."""
    seen = int(state(db, TOMBSTONES_SEEN) or 0)
    rows = connection.execute(
        "SELECT id, record FROM skeptic.tombstones WHERE id > %s ORDER BY id", [seen]
    ).fetchall()
    if not rows:
        return
    tombstones = [checked("tombstone", record, "central tombstone") for _, record in rows]
    report.merged = merge_history(db, {"tombstone": tombstones})
    report.tombstones = len(tombstones)
    set_state(db, TOMBSTONES_SEEN, str(rows[-1][0]))


def pull_scenarios(
    connection: psycopg.Connection[Any], db: sqlite_utils.Database, report: SyncReport
) -> None:
    """Scenarios published centrally, written to the data folder's scenarios/central/ (each
    file replaced whole, and only when it changed); ones withdrawn centrally are removed. A
    central scenario that does not load is left out rather than stop the sync."""
    from app.core.scenario import ScenarioError, load_scenario

    folder = _data_folder(db) / "scenarios" / SCENARIOS_FOLDER
    rows = connection.execute("SELECT id, body FROM skeptic.scenarios ORDER BY id").fetchall()
    wanted: set[str] = set()
    for scenario_id, body in rows:
        name = f"{_safe_name(str(scenario_id))}.toml"
        path = folder / name
        if path.exists() and path.read_text(encoding="utf-8") == body:
            wanted.add(name)
            continue
        folder.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(name + ".partial")
        partial.write_text(str(body), encoding="utf-8")
        try:
            load_scenario(partial)
        except ScenarioError:
            partial.unlink()
            continue
        partial.replace(path)
        wanted.add(name)
        report.scenarios.append(str(scenario_id))
    if folder.is_dir():
        for old in folder.glob("*.toml"):
            if old.name not in wanted:
                old.unlink()


def _safe_name(scenario_id: str) -> str:
    kept = "".join(c if c.isalnum() or c in "-_" else "-" for c in scenario_id)
    return kept.strip("-")[:80] or "scenario"


def _data_folder(db: sqlite_utils.Database) -> Path:
    from app.storage.database import database_file

    return database_file(db).parent
