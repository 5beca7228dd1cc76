"""Bundles between workstations: idempotent, order-free, refused whole when damaged."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

from app.storage import SessionStore
from app.sync.bundle import export_bundle, import_bundle, parse_since
from app.sync.errors import SyncError
from app.sync.trainee_merge import merge_trainees, name_clashes
from tests.sync.conftest import local_counts, local_fingerprint, practise, workstation


@pytest.fixture
def two(tmp_path: Path) -> tuple[SessionStore, SessionStore]:
    return workstation(tmp_path / "leeds"), workstation(tmp_path / "york")


def test_importing_a_bundle_twice_changes_nothing_the_second_time(
    two: tuple[SessionStore, SessionStore], tmp_path: Path
) -> None:
    leeds, york = two
    practise(leeds, "Ana", calls=2, turns=3)
    leeds.save_trainee("Ana", team="Cards", branch="Leeds")
    bundle = tmp_path / "leeds.skeptic"
    summary = export_bundle(leeds.db, bundle)
    assert summary.counts == {"trainee": 1, "call": 2, "turn": 6, "tombstone": 0}

    _, first = import_bundle(york.db, bundle)
    assert first.added == {"trainee": 1, "call": 2, "turn": 6}
    assert local_fingerprint(york) == local_fingerprint(leeds)
    assert york.trainee("Ana").branch == "Leeds"
    # The calls read in the history like local ones.
    assert [c.turn_count for c in york.calls()] == [3, 3]

    _, second = import_bundle(york.db, bundle)
    assert second.added == {} and second.replaced == {}
    assert local_fingerprint(york) == local_fingerprint(leeds)


def test_bundles_imported_in_the_wrong_order_end_the_same(
    two: tuple[SessionStore, SessionStore], tmp_path: Path
) -> None:
    leeds, york = two
    practise(leeds, "Ana")
    export_bundle(leeds.db, tmp_path / "monday.skeptic")
    practise(leeds, "Ana")
    practise(leeds, "Ben")
    leeds.save_trainee("Ana", branch="Leeds")
    export_bundle(leeds.db, tmp_path / "tuesday.skeptic")

    import_bundle(york.db, tmp_path / "tuesday.skeptic")
    import_bundle(york.db, tmp_path / "monday.skeptic")  # older revisions lose to newer ones

    assert local_fingerprint(york) == local_fingerprint(leeds)
    assert local_counts(york) == {"trainee": 2, "call": 3, "turn": 6, "tombstone": 0}
    assert york.trainee("Ana").branch == "Leeds"


def test_a_bundle_of_one_trainee_since_a_date(
    two: tuple[SessionStore, SessionStore], tmp_path: Path
) -> None:
    leeds, york = two
    practise(leeds, "Ana", calls=2)
    practise(leeds, "Ben")
    leeds.db.execute(
        "UPDATE sessions SET started_at = '2024-01-01T10:00:00.000+00:00' WHERE id = 1"
    )
    leeds.db.conn.commit()

    summary = export_bundle(
        leeds.db, tmp_path / "b.skeptic", since=parse_since("2024-06-01"), trainee="Ana"
    )
    assert summary.counts["trainee"] == 1 and summary.counts["call"] == 1
    import_bundle(york.db, tmp_path / "b.skeptic")
    assert [(c.trainee, c.turn_count) for c in york.calls()] == [("Ana", 2)]


def test_the_same_name_with_another_identity_is_kept_apart_until_merged(
    two: tuple[SessionStore, SessionStore], tmp_path: Path
) -> None:
    leeds, york = two
    practise(leeds, "Ana", calls=2)
    practise(york, "ana", calls=1)  # names match whatever their case
    export_bundle(leeds.db, tmp_path / "leeds.skeptic")
    _, report = import_bundle(york.db, tmp_path / "leeds.skeptic")

    (clash,) = name_clashes(york.db)
    assert report.clashes == [clash.name]
    assert clash.shared_name == "Ana" and clash.calls == 2
    assert {t.name for t in york.trainees()} == {"ana", clash.name}
    assert local_fingerprint(york) != local_fingerprint(leeds)  # York knows more than Leeds

    assert merge_trainees(york.db, clash.name, "ana") == 2
    assert [t.name for t in york.trainees()] == ["ana"]
    assert len(york.sessions("ana")) == 3
    assert name_clashes(york.db) == []

    # The merge travels: Leeds, given York's bundle, moves the calls the same way.
    export_bundle(york.db, tmp_path / "york.skeptic")
    import_bundle(leeds.db, tmp_path / "york.skeptic")
    assert [t.name for t in leeds.trainees()] == ["ana"]
    assert local_fingerprint(leeds) == local_fingerprint(york)


def test_a_deletion_travels_in_a_bundle_and_old_bundles_do_not_bring_it_back(
    two: tuple[SessionStore, SessionStore], tmp_path: Path
) -> None:
    leeds, york = two
    practise(leeds, "Ana")
    practise(leeds, "Ben")
    export_bundle(leeds.db, tmp_path / "before.skeptic")
    import_bundle(york.db, tmp_path / "before.skeptic")

    york.delete_trainee("Ana")
    export_bundle(york.db, tmp_path / "after.skeptic")
    _, report = import_bundle(leeds.db, tmp_path / "after.skeptic")
    assert report.trainees_removed == 1
    assert [t.name for t in leeds.trainees()] == ["Ben"]

    import_bundle(leeds.db, tmp_path / "before.skeptic")  # an old bundle, imported again
    assert [t.name for t in leeds.trainees()] == ["Ben"]
    assert local_fingerprint(leeds) == local_fingerprint(york)


def test_recordings_travel_only_when_asked_for_and_agreed_to(
    two: tuple[SessionStore, SessionStore], tmp_path: Path
) -> None:
    leeds, york = two
    leeds.set_recording_consent("Ana", True)
    (ana_call,) = practise(leeds, "Ana", turns=1)
    (ben_call,) = practise(leeds, "Ben", turns=1)
    samples = np.zeros(1600, dtype=np.float32)
    leeds.save_recording(leeds.call_turns(ana_call)[0].id, samples)
    leeds.set_recording_consent("Ben", True)
    leeds.save_recording(leeds.call_turns(ben_call)[0].id, samples)
    leeds.set_recording_consent("Ben", False)  # Ben changed his mind: his stay here

    without = export_bundle(leeds.db, tmp_path / "plain.skeptic")
    assert without.recordings == 0
    with zipfile.ZipFile(tmp_path / "plain.skeptic") as bundle:
        assert not [n for n in bundle.namelist() if n.startswith("recordings/")]

    with_audio = export_bundle(leeds.db, tmp_path / "audio.skeptic", with_recordings=True)
    assert with_audio.recordings == 1
    _, report = import_bundle(york.db, tmp_path / "audio.skeptic")
    assert report.recordings == 1
    (york_ana,) = [c for c in york.calls() if c.trainee == "Ana"]
    kept = york.call_turns(york_ana.id)[0].recording
    assert kept is not None and kept.read_bytes()[:4] == b"fLaC"


def _rewrite(bundle: Path, out: Path, change: dict[str, bytes]) -> None:
    with zipfile.ZipFile(bundle) as source, zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            target.writestr(name, change.get(name, source.read(name)))


def _tampered_turn(bundle: Path, out: Path) -> None:
    with zipfile.ZipFile(bundle) as source:
        turns = source.read("turns.jsonl").replace(b'"empathy":51', b'"empathy":99', 1)
    _rewrite(bundle, out, {"turns.jsonl": turns})


def _truncated(bundle: Path, out: Path) -> None:
    data = bundle.read_bytes()
    out.write_bytes(data[: len(data) * 2 // 3])


def _foreign_zip(bundle: Path, out: Path) -> None:
    with zipfile.ZipFile(out, "w") as target:
        target.writestr("README.txt", "holiday photos")


def _not_a_zip(bundle: Path, out: Path) -> None:
    out.write_text("name,calls\nAna,2\n")


def _forged_manifest_count(bundle: Path, out: Path) -> None:
    with zipfile.ZipFile(bundle) as source:
        manifest = json.loads(source.read("manifest.json"))
    manifest["counts"]["turn"] = 1
    _rewrite(bundle, out, {"manifest.json": json.dumps(manifest).encode()})


def _bad_field_with_matching_checksum(bundle: Path, out: Path) -> None:
    import hashlib

    with zipfile.ZipFile(bundle) as source:
        manifest = json.loads(source.read("manifest.json"))
        turns = source.read("turns.jsonl").replace(b'"empathy":51', b'"empathy":"lots"', 1)
    manifest["sha256"]["turns.jsonl"] = hashlib.sha256(turns).hexdigest()
    _rewrite(bundle, out, {"turns.jsonl": turns, "manifest.json": json.dumps(manifest).encode()})


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (_tampered_turn, "does not match its checksum"),
        (_truncated, "not a Skeptic bundle|damaged"),
        (_foreign_zip, "not a Skeptic bundle"),
        (_not_a_zip, "not a Skeptic bundle"),
        (_forged_manifest_count, "different count"),
        (_bad_field_with_matching_checksum, "empathy"),
    ],
)
def test_a_damaged_or_foreign_file_is_refused_whole(
    two: tuple[SessionStore, SessionStore], tmp_path: Path, damage: object, message: str
) -> None:
    leeds, york = two
    practise(leeds, "Ana", calls=3)
    practise(york, "Ben")
    export_bundle(leeds.db, tmp_path / "good.skeptic")
    damage(tmp_path / "good.skeptic", tmp_path / "bad.skeptic")  # type: ignore[operator]
    before = local_fingerprint(york)

    with pytest.raises(SyncError, match=message) as refused:
        import_bundle(york.db, tmp_path / "bad.skeptic")

    assert "\n" not in str(refused.value)
    assert local_fingerprint(york) == before
