"""A read-only disk, a folder that cannot be written and a full disk: reading works, and
every write that cannot be done says why in one line, leaving no empty or partial file.

The disks are small tmpfs mounts, so these tests need root (as the test machine runs).
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.paths import database_path
from app.storage import SessionStore
from tests.e2e.test_cli import SCENARIO_ID, assert_one_line_error, run_cli, without_speakers
from tests.storage.helpers import add_call

needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small disk needs root")


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount_point)], check=False
    )
    if mounted.returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=True)


def a_call_in(folder: Path) -> int:
    folder.mkdir(exist_ok=True)
    with SessionStore.open(database_path(folder)) as store:
        return add_call(store, "Ana", [(70, 80)], started_at="2024-05-01T09:00:00.000+00:00")


def fill(disk: Path) -> None:
    # Unbuffered: a write the full disk refuses is not retried (and refused again) on close.
    with open(disk / "filler", "wb", buffering=0) as filler:
        try:
            while True:
                filler.write(b"\0" * 65536)
        except OSError:
            pass


def read_commands(folder: Path, call: int) -> None:
    listed = run_cli("--data-dir", str(folder), "history", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert '"Ana"' in listed.stdout
    shown = run_cli("--data-dir", str(folder), "history", "show", str(call))
    assert shown.returncode == 0, shown.stderr


@needs_root
def test_history_reads_from_a_read_only_disk(small_disk: Path, tmp_path: Path) -> None:
    folder = small_disk / "data"
    call = a_call_in(folder)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)

    read_commands(folder, call)
    out = tmp_path / "call.pdf"
    exported = run_cli(
        "--data-dir",
        str(folder),
        "history",
        "export",
        "--format",
        "pdf",
        "--call",
        str(call),
        "--out",
        str(out),
    )
    assert exported.returncode == 0, exported.stderr
    assert out.read_bytes().startswith(b"%PDF")
    refused = run_cli("--data-dir", str(folder), "history", "profile", "Ana", "--team", "Cards")
    assert_one_line_error(refused, "cannot be written to")


@needs_root
def test_history_reads_from_a_folder_that_cannot_be_written(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    call = a_call_in(folder)
    assert not (folder / "skeptic.db-shm").exists()
    subprocess.run(["chattr", "+i", str(folder)], check=True)
    try:
        read_commands(folder, call)
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


@needs_root
def test_a_full_disk_still_reads_and_refuses_writes_in_one_line(small_disk: Path) -> None:
    folder = small_disk / "data"
    call = a_call_in(folder)
    fill(small_disk)

    read_commands(folder, call)
    refused = run_cli("--data-dir", str(folder), "history", "profile", "Ana", "--team", "Cards")
    assert_one_line_error(refused, "the disk is full")


@needs_root
@pytest.mark.parametrize("file_format", ["pdf", "csv", "json"])
def test_an_export_to_a_full_disk_fails_in_one_line_and_leaves_no_file(
    small_disk: Path, private_data_dir: Path, file_format: str
) -> None:
    call = a_call_in(private_data_dir)
    fill(small_disk)
    out = small_disk / f"call.{file_format}"

    refused = run_cli(
        "history", "export", "--format", file_format, "--call", str(call), "--out", str(out)
    )

    assert_one_line_error(refused, f"cannot write {out}")
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler"]


@needs_root
def test_an_export_to_a_folder_that_cannot_be_written_fails_in_one_line(
    tmp_path: Path, private_data_dir: Path
) -> None:
    call = a_call_in(private_data_dir)
    folder = tmp_path / "locked"
    folder.mkdir()
    subprocess.run(["chattr", "+i", str(folder)], check=True)
    try:
        refused = run_cli(
            "history",
            "export",
            "--format",
            "pdf",
            "--call",
            str(call),
            "--out",
            str(folder / "call.pdf"),
        )
        assert_one_line_error(refused, "cannot write", "call.pdf")
        assert list(folder.iterdir()) == []
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


@needs_root
def test_an_old_database_on_a_read_only_disk_says_it_needs_upgrading(small_disk: Path) -> None:
    folder = small_disk / "data"
    folder.mkdir()
    saved = Path(__file__).resolve().parents[1] / "data" / "databases" / "skeptic-v1.db"
    database_path(folder).write_bytes(saved.read_bytes())
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)

    refused = run_cli("--data-dir", str(folder), "history", "list")

    assert_one_line_error(refused, "must be upgraded", "copy it to a writable folder")


@needs_root
def test_practice_on_a_read_only_disk_keeps_the_replies_and_exits_2(
    small_disk: Path, tmp_path: Path
) -> None:
    folder = small_disk / "data"
    a_call_in(folder)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    reply = "I am sorry, let me check that charge for you right now."
    env = {**without_speakers(), "TMPDIR": str(tmp_path)}

    result = run_cli(
        *("--data-dir", str(folder), "practice", "--scenario", SCENARIO_ID, "--typed"),
        stdin=f"{reply}\n/end\n",
        env=env,
    )

    assert result.returncode == 2, result.stdout + result.stderr
    assert "waiting for the database" not in result.stdout
    line = assert_one_line_error(result, "not saved")
    (kept,) = tmp_path.glob("skeptic-unsaved-call-*.json")
    assert str(kept) in line
    saved = json.loads(kept.read_text(encoding="utf-8"))
    assert [turn["transcript"] for turn in saved["turns"]] == [reply]
