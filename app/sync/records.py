"""Records as they travel between copies: one dict per trainee, call, turn or tombstone.

A record holds the shared fields of a row, with references by UUID instead of local row ids and
lists and objects as JSON values, so the same record reads the same on every workstation and in
the central store. Local-only fields (row ids, where a recording lies on disk) never travel.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

import sqlite_utils

Record = dict[str, Any]
KINDS = ("trainee", "call", "turn", "tombstone")

_JSON_FIELDS = {
    "call": ("components",),
    "turn": ("evidence", "tips", "components", "signals", "concerns_addressed", "voice"),
}
_BOOL_FIELDS = {"trainee": ("records_replies",), "turn": ("superseded",)}

SELECTS = {
    "trainee": """
        SELECT trainees.uuid, trainees.workstation_id,
            coalesce(trainees.shared_name, trainees.name) AS name, trainees.team,
            trainees.branch, trainees.records_replies, trainees.records_replies_since,
            trainees.created_at, trainees.revised_at
        FROM trainees""",
    "call": """
        SELECT sessions.uuid, sessions.workstation_id, trainees.uuid AS trainee_uuid,
            sessions.scenario_id, sessions.scenario_title, sessions.difficulty,
            sessions.started_at, sessions.ended_at, sessions.ending, sessions.starting_trust,
            sessions.final_trust, sessions.empathy, sessions.composure, sessions.turn_count,
            sessions.components, sessions.words_per_minute, sessions.revised_at
        FROM sessions JOIN trainees ON trainees.id = sessions.trainee_id""",
    "turn": """
        SELECT turns.uuid, turns.workstation_id, sessions.uuid AS call_uuid,
            trainees.uuid AS trainee_uuid, turns.number, turns.attempt, turns.superseded,
            turns.customer_line, turns.customer_mood, turns.transcript, turns.transcript_heard,
            turns.recogniser, turns.confidence, turns.empathy, turns.composure, turns.evidence,
            turns.tips, turns.components, turns.signals, turns.concerns_addressed,
            turns.trust_before, turns.trust_after, turns.reaction, turns.audio_seconds,
            turns.listen_seconds, turns.transcribe_seconds, turns.score_seconds,
            turns.response_gap_ms, turns.started_at, turns.ended_at, turns.words_per_minute,
            turns.voice, turns.revised_at
        FROM turns JOIN sessions ON sessions.id = turns.session_id
        JOIN trainees ON trainees.id = sessions.trainee_id""",
    "tombstone": """
        SELECT tombstones.uuid, tombstones.replaced_by, tombstones.deleted_at,
            tombstones.workstation_id
        FROM tombstones""",
}
_TABLES = {"trainee": "trainees", "call": "sessions", "turn": "turns", "tombstone": "tombstones"}


def read_records(
    db: sqlite_utils.Database, kind: str, where: str = "", params: Iterable[object] = ()
) -> list[Record]:
    """The local rows of one kind as records, in the order they were made."""
    order = "rowid" if kind == "tombstone" else "id"
    sql = f"{SELECTS[kind]} {where} ORDER BY {_TABLES[kind]}.{order}"
    return [as_record(kind, row) for row in db.query(sql, list(params))]


def records_by_uuid(db: sqlite_utils.Database, kind: str, uuids: list[str]) -> list[Record]:
    """The current records with these UUIDs (those still there), in the order given."""
    found: dict[str, Record] = {}
    table = _TABLES[kind]
    for start in range(0, len(uuids), 500):
        chunk = uuids[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        for record in read_records(db, kind, f"WHERE {table}.uuid IN ({marks})", chunk):
            found[record["uuid"]] = record
    return [found[uuid] for uuid in uuids if uuid in found]


def as_record(kind: str, row: dict[str, Any]) -> Record:
    record = dict(row)
    for name in _JSON_FIELDS.get(kind, ()):
        if record[name] is not None:
            record[name] = json.loads(record[name])
    for name in _BOOL_FIELDS.get(kind, ()):
        record[name] = bool(record[name])
    return record


def canonical(record: Record) -> bytes:
    """The record's bytes for checksums: keys sorted, no spaces, UTF-8."""
    return json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def digest(record: Record) -> str:
    """SHA-256 of the record's shared content; breaks ties between revisions made in the same
    millisecond the same way on every copy."""
    shared = {key: value for key, value in record.items() if key != "recording"}
    return hashlib.sha256(canonical(shared)).hexdigest()


def newer(incoming: Record, kept: Record) -> bool:
    """Whether `incoming` is a later revision than `kept` (the newest copy wins)."""
    return (incoming["revised_at"] or "", digest(incoming)) > (
        kept["revised_at"] or "",
        digest(kept),
    )


def fingerprint(records: dict[str, list[Record]]) -> str:
    """One SHA-256 over a whole history, whatever order its records come in: equal
    fingerprints mean equal histories."""
    total = hashlib.sha256()
    for kind in KINDS:
        for line in sorted(canonical(_without_recording(r)) for r in records.get(kind, [])):
            total.update(kind.encode() + b"\0" + line + b"\n")
    return total.hexdigest()


def local_history(db: sqlite_utils.Database) -> dict[str, list[Record]]:
    return {kind: read_records(db, kind) for kind in KINDS}


def _without_recording(record: Record) -> Record:
    return {key: value for key, value in record.items() if key != "recording"}
