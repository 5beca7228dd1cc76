"""Bundles: one file that carries history from an offline branch to another copy.

A bundle is a ZIP file holding `manifest.json` and one JSON Lines file per kind of record
(`trainees.jsonl`, `calls.jsonl`, `turns.jsonl`, `tombstones.jsonl`), plus `recordings/<turn
uuid>.flac` when recordings were asked for and the trainee agreed to them. The manifest gives the
count and SHA-256 of every member; a file whose members do not match it, that is cut short, or
that is not a Skeptic bundle is refused whole, before anything is merged.

The checksums find damage and edits to the records; they do not prove who made the file (anyone
can write a new manifest), so import bundles from people you trust.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from app.storage.database import database_file, sqlite_errors_explained
from app.sync.errors import SyncError
from app.sync.merge import MergeReport, merge_history
from app.sync.records import KINDS, Record, canonical, read_records
from app.sync.validation import checked
from app.sync.workstation import workstation_id

FORMAT = "skeptic-bundle"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEMBERS = {"trainee": "trainees.jsonl", "call": "calls.jsonl", "turn": "turns.jsonl",
           "tombstone": "tombstones.jsonl"}  # fmt: skip
# Far above any real history; stops a crafted file from filling memory or the disk.
MAX_MEMBER_BYTES = 2_000_000_000
MAX_RECORDS = 5_000_000


@dataclass(frozen=True)
class BundleSummary:
    """What a bundle holds: records by kind, recordings, and who made it when."""

    counts: dict[str, int]
    recordings: int
    workstation_id: str
    created_at: str


def parse_since(value: str) -> str:
    """A --since value (YYYY-MM-DD or an ISO-8601 time) as a time to compare stored times with."""
    try:
        if len(value) == 10:
            return date.fromisoformat(value).isoformat()
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise SyncError(f"--since {value!r} is not a date (YYYY-MM-DD)") from None
    if moment.utcoffset() is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


def select_history(
    db: sqlite_utils.Database, *, since: str | None = None, trainee: str | None = None
) -> dict[str, list[Record]]:
    """The records to export: calls started since `since` (all when None) of `trainee` (all
    when None), with their turns and trainees, and the tombstones made since then."""
    conditions: list[str] = []
    params: list[object] = []
    if since is not None:
        conditions.append("sessions.started_at >= ?")
        params.append(since)
    if trainee is not None:
        found = db.execute("SELECT id FROM trainees WHERE name = ?", [trainee.strip()]).fetchone()
        if found is None:
            raise LookupError(f"there is no trainee called {trainee.strip()!r}")
        conditions.append("sessions.trainee_id = ?")
        params.append(found[0])
    where = " AND ".join(conditions) or "1"
    calls = read_records(db, "call", f"WHERE {where}", params)
    turns = read_records(db, "turn", f"WHERE {where}", params)
    if since is None and trainee is None:
        trainees = read_records(db, "trainee")
    else:
        wanted = {call["trainee_uuid"] for call in calls}
        if trainee is not None:
            wanted.add(str(db.execute("SELECT uuid FROM trainees WHERE id = ?",
                                      [params[-1]]).fetchone()[0]))  # fmt: skip
        trainees = [t for t in read_records(db, "trainee") if t["uuid"] in wanted]
    tombstones = read_records(
        db, "tombstone", "WHERE deleted_at >= ?" if since else "", [since] if since else []
    )
    return {"trainee": trainees, "call": calls, "turn": turns, "tombstone": tombstones}


def export_bundle(
    db: sqlite_utils.Database,
    out: Path,
    *,
    since: str | None = None,
    trainee: str | None = None,
    with_recordings: bool = False,
) -> BundleSummary:
    """Write the chosen history to `out` (replaced only once the new file is complete)."""
    with sqlite_errors_explained(db):
        history = select_history(db, since=since, trainee=trainee)
        audio = _recordings(db, history) if with_recordings else {}
        made_by = workstation_id(db)
    created_at = datetime.now(UTC).isoformat(timespec="milliseconds")
    members: dict[str, bytes] = {
        MEMBERS[kind]: b"".join(canonical(record) + b"\n" for record in history[kind])
        for kind in KINDS
    }
    members.update(audio)
    counts = {kind: len(history[kind]) for kind in KINDS}
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "workstation_id": made_by,
        "created_at": created_at,
        "since": since,
        "trainee": trainee,
        "counts": counts,
        "recordings": len(audio),
        "sha256": {name: hashlib.sha256(data).hexdigest() for name, data in members.items()},
    }
    partial = out.with_name(out.name + ".partial")
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
            bundle.writestr(MANIFEST, json.dumps(manifest, indent=2))
            for name, data in members.items():
                bundle.writestr(name, data)
        partial.replace(out)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise SyncError(f"cannot write {out}: {error.strerror or error}") from error
    return BundleSummary(counts, len(audio), made_by, created_at)


def _recordings(db: sqlite_utils.Database, history: dict[str, list[Record]]) -> dict[str, bytes]:
    """Audio of the chosen turns whose trainee agreed to recordings (and whose file is there);
    each turn record names its file."""
    consenting = {t["uuid"] for t in history["trainee"] if t["records_replies"]}
    folder = database_file(db).parent
    audio: dict[str, bytes] = {}
    for turn in history["turn"]:
        if turn["trainee_uuid"] not in consenting:
            continue
        row = db.execute("SELECT recording FROM turns WHERE uuid = ?", [turn["uuid"]]).fetchone()
        if not row or not row[0] or not (folder / row[0]).is_file():
            continue
        name = f"recordings/{turn['uuid']}.flac"
        audio[name] = (folder / row[0]).read_bytes()
        turn["recording"] = name
    return audio


def read_bundle(path: Path) -> tuple[BundleSummary, dict[str, list[Record]], dict[str, bytes]]:
    """The bundle's records and recordings, every one checked; SyncError (one line) for a file
    that is not a complete, unaltered Skeptic bundle."""
    try:
        with zipfile.ZipFile(path) as bundle:
            manifest = _manifest(bundle, path)
            data = {name: _member(bundle, name, path) for name in manifest["sha256"]}
    except FileNotFoundError:
        raise SyncError(f"{path} does not exist") from None
    except (zipfile.BadZipFile, EOFError):
        raise SyncError(f"{path} is not a Skeptic bundle (not a complete ZIP file)") from None
    except OSError as error:
        raise SyncError(f"cannot read {path}: {error.strerror or error}") from None
    for name, expected in manifest["sha256"].items():
        if hashlib.sha256(data[name]).hexdigest() != expected:
            raise SyncError(f"{path} is damaged or was altered: {name} does not match its checksum")
    history: dict[str, list[Record]] = {}
    for kind in KINDS:
        history[kind] = _records(kind, data[MEMBERS[kind]], path)
        if len(history[kind]) != manifest["counts"].get(kind):
            raise SyncError(f"{path} is damaged: {MEMBERS[kind]} holds a different count")
    audio = {name: blob for name, blob in data.items() if name.startswith("recordings/")}
    _check_references(history, audio, path)
    summary = BundleSummary(
        manifest["counts"], len(audio), manifest["workstation_id"], manifest["created_at"]
    )
    return summary, history, audio


def import_bundle(db: sqlite_utils.Database, path: Path) -> tuple[BundleSummary, MergeReport]:
    """Check the whole bundle, then merge it in one transaction (importing again changes
    nothing)."""
    summary, history, audio = read_bundle(path)
    try:
        return summary, merge_history(db, history, audio=audio)
    except LookupError as error:  # a record whose trainee or call is neither here nor in the file
        raise SyncError(f"{path} cannot be merged here: {error}") from None


def _manifest(bundle: zipfile.ZipFile, path: Path) -> dict[str, Any]:
    if MANIFEST not in bundle.namelist():
        raise SyncError(f"{path} is not a Skeptic bundle (it has no manifest)")
    try:
        manifest = json.loads(_member(bundle, MANIFEST, path))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise SyncError(f"{path} is not a Skeptic bundle (its manifest is not JSON)") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise SyncError(f"{path} is not a Skeptic bundle")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise SyncError(
            f"{path} is a bundle of format version {manifest.get('format_version')!r}; this "
            f"Skeptic reads version {FORMAT_VERSION}: update Skeptic"
        )
    checksums = manifest.get("sha256")
    counts = manifest.get("counts")
    if (
        not isinstance(checksums, dict)
        or not isinstance(counts, dict)
        or not set(MEMBERS.values()) <= set(checksums)
        or not all(isinstance(v, str) for v in checksums.values())
        or not isinstance(manifest.get("workstation_id"), str)
        or not isinstance(manifest.get("created_at"), str)
    ):
        raise SyncError(f"{path} is damaged: its manifest is incomplete")
    listed = set(checksums) | {MANIFEST}
    if set(bundle.namelist()) != listed:
        raise SyncError(f"{path} is damaged or was altered: its files differ from its manifest")
    for name in checksums:
        if name not in MEMBERS.values() and not name.startswith("recordings/"):
            raise SyncError(f"{path} is not a Skeptic bundle (unexpected file {name})")
    return manifest


def _member(bundle: zipfile.ZipFile, name: str, path: Path) -> bytes:
    info = bundle.getinfo(name)
    if info.file_size > MAX_MEMBER_BYTES:
        raise SyncError(f"{path}: {name} is larger than any history")
    try:
        return bundle.read(name)
    except (zipfile.BadZipFile, EOFError, ValueError) as error:
        # A cut-short file, or a member whose own CRC does not match.
        raise SyncError(f"{path} is damaged or cut short ({name}: {error})") from None
    except Exception as error:  # zlib.error and friends: the compressed data is broken
        raise SyncError(f"{path} is damaged ({name}: {error})") from None


def _records(kind: str, data: bytes, path: Path) -> list[Record]:
    try:
        lines = data.decode("utf-8").splitlines()
    except UnicodeDecodeError:
        raise SyncError(f"{path}: {MEMBERS[kind]} is not UTF-8 text") from None
    if len(lines) > MAX_RECORDS:
        raise SyncError(f"{path}: {MEMBERS[kind]} holds too many records")
    records = []
    for number, line in enumerate(lines, start=1):
        where = f"{path}: {MEMBERS[kind]} line {number}"
        try:
            raw = json.loads(line)
        except (json.JSONDecodeError, RecursionError):
            raise SyncError(f"{where} is not JSON") from None
        records.append(checked(kind, raw, where))
    return records


def _check_references(
    history: dict[str, list[Record]], audio: dict[str, bytes], path: Path
) -> None:
    """Every call's trainee and every turn's call is in the bundle, every recording named is
    there, and no UUID is given twice."""
    for kind in KINDS:
        uuids = [record["uuid"] for record in history[kind]]
        if len(uuids) != len(set(uuids)):
            raise SyncError(f"{path} is damaged: a {kind} appears twice")
    trainees = {t["uuid"] for t in history["trainee"]}
    tombstoned = {t["uuid"] for t in history["tombstone"]}
    calls = {c["uuid"]: c["trainee_uuid"] for c in history["call"]}
    for call in history["call"]:
        if call["trainee_uuid"] not in trainees | tombstoned:
            raise SyncError(f"{path} is damaged: call {call['uuid']} has no trainee in the bundle")
    for turn in history["turn"]:
        if calls.get(turn["call_uuid"]) is None:
            raise SyncError(f"{path} is damaged: turn {turn['uuid']} has no call in the bundle")
        if turn.get("recording") is not None and turn["recording"] not in audio:
            raise SyncError(f"{path} is damaged: recording {turn['recording']} is missing")
