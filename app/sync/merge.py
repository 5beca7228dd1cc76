"""Merging records from another copy into the local history, all or nothing.

The rules, the same on every copy so that all copies converge:
- a record is matched by UUID; one not seen before is added, one seen before is replaced only by
  a newer revision (`records.newer`);
- a tombstone removes its trainee with every call, turn and recording, and stops later copies of
  them coming back; a tombstone with `replaced_by` (two trainees merged) moves the calls to the
  trainee kept;
- a trainee whose name is already used by a different trainee (another UUID) is kept apart under
  a marked name and listed by `trainees.name_clashes`, never merged silently.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils

from app.storage import recordings
from app.storage.database import database_file, sqlite_errors_explained, write_transaction
from app.storage.erasure import backup_files, erase_from_backup
from app.sync.records import Record, newer, records_by_uuid

_TRAINEE_FIELDS = ("team", "branch", "records_replies", "records_replies_since", "created_at")
_CALL_FIELDS = (
    *("scenario_id", "scenario_title", "difficulty", "started_at", "ended_at", "ending"),
    *("starting_trust", "final_trust", "empathy", "composure", "turn_count", "components"),
    "words_per_minute",
)
_TURN_FIELDS = (
    *("number", "attempt", "superseded", "customer_line", "customer_mood", "transcript"),
    *("transcript_heard", "recogniser", "confidence", "empathy", "composure", "evidence"),
    *("tips", "components", "signals", "concerns_addressed", "trust_before", "trust_after"),
    *("reaction", "audio_seconds", "listen_seconds", "transcribe_seconds", "score_seconds"),
    *("response_gap_ms", "started_at", "ended_at", "words_per_minute", "voice"),
)
_JSON = {"components", "evidence", "tips", "signals", "concerns_addressed", "voice"}


@dataclass
class MergeReport:
    """What a merge changed: records added and replaced by kind, trainees removed by
    tombstones, and trainees kept apart because their name was taken."""

    added: dict[str, int] = field(default_factory=dict)
    replaced: dict[str, int] = field(default_factory=dict)
    trainees_removed: int = 0
    removed_names: list[str] = field(default_factory=list)
    clashes: list[str] = field(default_factory=list)
    recordings: int = 0

    def count(self, table: dict[str, int], kind: str) -> None:
        table[kind] = table.get(kind, 0) + 1


def merge_history(
    db: sqlite_utils.Database,
    history: Mapping[str, list[Record]],
    *,
    audio: Mapping[str, bytes] | None = None,
) -> MergeReport:
    """Merge validated records (by kind) in one transaction; `audio` holds recordings by the
    name a turn record gives in `recording`. Files are removed and written after the commit."""
    merger = _Merger(db, audio or {})
    with sqlite_errors_explained(db):
        with write_transaction(db):
            # While set, edits made here keep the revision they came with (see the triggers).
            db.execute("INSERT OR REPLACE INTO sync_state (key, value) VALUES ('merging', '1')")
            for tombstone in history.get("tombstone", []):
                merger.tombstone(tombstone)
            for kind in ("trainee", "call", "turn"):
                for record in history.get(kind, []):
                    getattr(merger, kind)(record)
            db.execute("DELETE FROM sync_state WHERE key = 'merging'")
        merger.after_commit()
    return merger.report


class _Merger:
    def __init__(self, db: sqlite_utils.Database, audio: Mapping[str, bytes]) -> None:
        self.db = db
        self.audio = audio
        self.report = MergeReport()
        self.data_folder = database_file(db).parent
        self.folders_to_remove: list[Path] = []
        self.recordings_to_write: list[tuple[str, bytes]] = []

    # Tombstones --------------------------------------------------------------------------------

    def tombstone(self, record: Record) -> None:
        self.db.execute(
            "INSERT OR IGNORE INTO tombstones (uuid, replaced_by, deleted_at, workstation_id) "
            "VALUES (?, ?, ?, ?)",
            [record["uuid"], record["replaced_by"], record["deleted_at"], record["workstation_id"]],
        )
        apply_tombstone(self.db, record["uuid"], self.folders_to_remove, self.report)

    def resolved(self, trainee_uuid: str) -> str | None:
        """The trainee a UUID stands for now: itself, the one it was merged into, or None
        when it was deleted."""
        return resolve_trainee(self.db, trainee_uuid)

    # Records -----------------------------------------------------------------------------------

    def trainee(self, record: Record) -> None:
        if self.resolved(record["uuid"]) != record["uuid"]:
            return
        kept = self._kept("trainee", record["uuid"])
        if kept is not None and not newer(record, kept):
            return
        name, shared_name = self._name_for(record)
        values = {field: record[field] for field in _TRAINEE_FIELDS}
        values.update(name=name, shared_name=shared_name, revised_at=record["revised_at"])
        # The maker is set on updates too: a placeholder (see apply_tombstone) takes the real one.
        values["workstation_id"] = record["workstation_id"]
        if kept is None:
            values["uuid"] = record["uuid"]
            self.db.table("trainees").insert(values)
            self.report.count(self.report.added, "trainee")
            if shared_name is not None:
                self.report.clashes.append(name)
        else:
            self._update("trainees", values, record["uuid"])
            self.report.count(self.report.replaced, "trainee")

    def call(self, record: Record) -> None:
        trainee_uuid = self.resolved(record["trainee_uuid"])
        if trainee_uuid is None:
            return
        trainee_id = self._id("trainees", trainee_uuid)
        if trainee_id is None:
            raise LookupError(f"call {record['uuid']} refers to a trainee that is not there")
        incoming = {**record, "trainee_uuid": trainee_uuid}
        kept = self._kept("call", record["uuid"])
        if kept is not None and not newer(incoming, kept):
            return
        values = self._values(record, _CALL_FIELDS)
        values.update(trainee_id=trainee_id, revised_at=record["revised_at"])
        if kept is None:
            values.update(uuid=record["uuid"], workstation_id=record["workstation_id"])
            self.db.table("sessions").insert(values)
            self.report.count(self.report.added, "call")
        else:
            self._update("sessions", values, record["uuid"])
            self.report.count(self.report.replaced, "call")

    def turn(self, record: Record) -> None:
        if self.resolved(record["trainee_uuid"]) is None:
            return
        session_id = self._id("sessions", record["call_uuid"])
        if session_id is None:
            raise LookupError(f"turn {record['uuid']} refers to a call that is not there")
        kept = self._kept("turn", record["uuid"])
        shared = {key: value for key, value in record.items() if key != "recording"}
        if kept is not None:
            shared["trainee_uuid"] = kept["trainee_uuid"]
            if not newer(shared, kept):
                return
        values = self._values(record, _TURN_FIELDS)
        values.update(session_id=session_id, revised_at=record["revised_at"])
        if kept is None:
            values.update(uuid=record["uuid"], workstation_id=record["workstation_id"])
            turn_id = self.db.table("turns").insert(values).last_rowid
            self.report.count(self.report.added, "turn")
            self._keep_recording(record, turn_id)
        else:
            self._update("turns", values, record["uuid"])
            self.report.count(self.report.replaced, "turn")

    def after_commit(self) -> None:
        for folder in self.folders_to_remove:
            recordings.remove_folder(self.data_folder, folder)
        for location, audio in self.recordings_to_write:
            path = self.data_folder / location
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(audio)
        if self.report.removed_names:
            # As when deleting here: the old pages leave the log, and the upgrade backups
            # (which know trainees by name) lose them too.
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            for backup in backup_files(database_file(self.db)):
                for name in self.report.removed_names:
                    erase_from_backup(backup, name)

    # Helpers -----------------------------------------------------------------------------------

    def _kept(self, kind: str, uuid: str) -> Record | None:
        found = records_by_uuid(self.db, kind, [uuid])
        return found[0] if found else None

    def _id(self, table: str, uuid: str) -> int | None:
        row = self.db.execute(f"SELECT id FROM {table} WHERE uuid = ?", [uuid]).fetchone()
        return None if row is None else int(row[0])

    def _name_for(self, record: Record) -> tuple[str, str | None]:
        """The local name, and the shared one when it had to be marked to stay apart."""
        name = str(record["name"])
        holder = self.db.execute("SELECT uuid FROM trainees WHERE name = ?", [name]).fetchone()
        if holder is None or holder[0] == record["uuid"]:
            return name, None
        return f"{name} ({record['uuid'][:8]})", name

    def _values(self, record: Record, names: tuple[str, ...]) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for name in names:
            value = record[name]
            if name in _JSON and value is not None:
                value = json.dumps(value)
            elif isinstance(value, bool):
                value = int(value)
            values[name] = value
        return values

    def _update(self, table: str, values: dict[str, Any], uuid: str) -> None:
        assignments = ", ".join(f"{name} = ?" for name in values)
        self.db.execute(
            f"UPDATE {table} SET {assignments} WHERE uuid = ?", [*values.values(), uuid]
        )

    def _keep_recording(self, record: Record, turn_id: int | None) -> None:
        name = record.get("recording")
        if not name or name not in self.audio or turn_id is None:
            return
        row = self.db.execute(
            "SELECT sessions.trainee_id, turns.session_id, turns.number, turns.attempt, "
            "trainees.records_replies FROM turns JOIN sessions ON sessions.id = turns.session_id "
            "JOIN trainees ON trainees.id = sessions.trainee_id WHERE turns.id = ?",
            [turn_id],
        ).fetchone()
        trainee_id, session_id, number, attempt, consents = row
        if not consents:
            return
        location = recordings.recording_location(trainee_id, session_id, number, attempt)
        self.db.execute("UPDATE turns SET recording = ? WHERE id = ?", [location, turn_id])
        self.recordings_to_write.append((location, self.audio[name]))
        self.report.recordings += 1


def resolve_trainee(db: sqlite_utils.Database, trainee_uuid: str) -> str | None:
    """Follow tombstones: the UUID itself when it stands, the trainee it was merged into, or
    None when it was deleted."""
    seen: set[str] = set()
    current = trainee_uuid
    while current not in seen:
        seen.add(current)
        row = db.execute("SELECT replaced_by FROM tombstones WHERE uuid = ?", [current]).fetchone()
        if row is None:
            return current
        if row[0] is None:
            return None
        current = str(row[0])
    return None  # a loop of merges: treat as deleted rather than guess


def apply_tombstone(
    db: sqlite_utils.Database, trainee_uuid: str, folders: list[Path], report: MergeReport
) -> None:
    """Carry out a tombstone already in the table: remove the trainee, or move their calls to
    the trainee they were merged into. Must run inside a write transaction with the merging
    flag set."""
    row = db.execute(
        "SELECT trainees.id, tombstones.deleted_at, trainees.name FROM trainees JOIN tombstones "
        "ON tombstones.uuid = trainees.uuid WHERE trainees.uuid = ?",
        [trainee_uuid],
    ).fetchone()
    if row is None:
        return
    trainee_id, deleted_at, name = row
    kept_uuid = resolve_trainee(db, trainee_uuid)
    kept = (
        None
        if kept_uuid is None
        else db.execute("SELECT id FROM trainees WHERE uuid = ?", [kept_uuid]).fetchone()
    )
    if kept_uuid is not None and kept is None:
        # The trainee kept is not here yet: this row becomes a placeholder for them, with the
        # oldest possible revision, so their own record replaces it when it arrives.
        db.execute(
            "UPDATE trainees SET uuid = ?, revised_at = '' WHERE id = ?", [kept_uuid, trainee_id]
        )
        _stamp_calls(db, trainee_id, trainee_id, deleted_at)
        return
    if kept is not None:
        # The calls' recordings stay where they are; their turns still point at them.
        _stamp_calls(db, trainee_id, int(kept[0]), deleted_at)
    else:
        folders.append(recordings.trainee_recordings_folder(database_file(db).parent, trainee_id))
        db.execute("PRAGMA secure_delete = ON")
        db.execute(
            "DELETE FROM turns WHERE session_id IN (SELECT id FROM sessions WHERE trainee_id = ?)",
            [trainee_id],
        )
        db.execute("DELETE FROM sessions WHERE trainee_id = ?", [trainee_id])
        report.removed_names.append(name)
    db.execute("DELETE FROM trainees WHERE id = ?", [trainee_id])
    report.trainees_removed += 1


def _stamp_calls(db: sqlite_utils.Database, from_id: int, to_id: int, moved_at: str) -> None:
    """Move calls to another trainee; the move is a revision dated by the tombstone, so every
    copy that makes it ends with the same record."""
    db.execute(
        "UPDATE sessions SET trainee_id = ?, revised_at = max(coalesce(revised_at, ''), ?) "
        "WHERE trainee_id = ?",
        [to_id, moved_at, from_id],
    )
