"""`skeptic export | import | trainees | sync | central | history org` as a user runs them.

Two workstations (data folders), one offline with bundles, and a real PostgreSQL central store
end with the same history.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.paths import database_path
from app.storage import SessionStore
from tests.e2e.test_cli import assert_one_line_error, run_cli
from tests.sync.conftest import (
    MANAGER,
    PASSWORD,
    Central,
    local_fingerprint,
    practise,
    workstation,
)


def skeptic(folder: Path, *args: str, stdin: str = "") -> tuple[int, str, str]:
    result = run_cli("--data-dir", str(folder), *args, stdin=stdin, env=dict(os.environ))
    return result.returncode, result.stdout, result.stderr


def test_an_offline_branch_and_an_online_one_end_with_the_central_history(
    central: Central, tmp_path: Path
) -> None:
    online, offline = tmp_path / "leeds", tmp_path / "village"
    with workstation(online) as leeds, workstation(offline) as village:
        practise(leeds, "Ana", calls=2)
        practise(village, "Ben", calls=1)
        practise(village, "Ana", calls=1)  # another Ana: a different person, or the same?

    code, out, err = skeptic(offline, "export", "--out", str(tmp_path / "village.skeptic"))
    assert code == 0, err
    assert "2 trainees, 2 calls, 4 turns" in out
    code, out, err = skeptic(online, "import", str(tmp_path / "village.skeptic"))
    assert code == 0, err
    assert "Kept apart: Ana (" in out
    code, out, _ = skeptic(online, "import", str(tmp_path / "village.skeptic"))
    assert "nothing new" in out

    code, out, _ = skeptic(online, "trainees")
    assert "also called 'Ana'" in out
    marked = out.split(":")[0]
    code, out, err = skeptic(online, "trainees", "merge", marked, "--into", "Ana", "--yes")
    assert code == 0, err
    assert "1 calls moved" in out

    code, out, err = skeptic(online, "sync", "--central", central.url("ws_one"))
    assert code == 0, err
    assert "Synced with ws_one@127.0.0.1" in out
    code, out, err = skeptic(online, "sync")  # the address is remembered
    assert code == 0 and "sent 0 trainees, 0 calls, 0 turns" in out, err
    code, out, _ = skeptic(online, "central", "status")
    assert "Last synced: 20" in out and "0 changes waiting" in out
    settings = database_path(online).read_bytes()
    assert b"correct horse" not in settings  # the password lives only in the pgpass file

    # The merge reaches the offline branch in a bundle back from the online one.
    skeptic(online, "export", "--out", str(tmp_path / "leeds.skeptic"))
    code, _, err = skeptic(offline, "import", str(tmp_path / "leeds.skeptic"))
    assert code == 0, err
    with (
        SessionStore.open(database_path(online)) as leeds,
        SessionStore.open(database_path(offline)) as village,
    ):
        assert local_fingerprint(leeds) == local_fingerprint(village) == central.fingerprint()

    code, out, err = skeptic(online, "history", "org", "--central", central.url(MANAGER))
    assert code == 0, err
    assert out.splitlines()[1].startswith("(none)")
    assert " 2 " in out.splitlines()[1] and " 4 " in out.splitlines()[1]


def test_bad_bundles_and_bad_addresses_are_one_line_and_exit_2(tmp_path: Path) -> None:
    folder = tmp_path / "leeds"
    with workstation(folder) as leeds:
        practise(leeds, "Ana")
    (tmp_path / "photo.skeptic").write_bytes(b"\x89PNG\r\n\x1a\n not a bundle")
    assert_one_line_error(
        run_cli("--data-dir", str(folder), "import", str(tmp_path / "photo.skeptic")),
        "not a Skeptic bundle",
    )
    assert_one_line_error(
        run_cli("--data-dir", str(folder), "import", str(tmp_path / "missing.skeptic")),
        "does not exist",
    )
    assert_one_line_error(
        run_cli("--data-dir", str(folder), "export", "--out", "x", "--since", "last week"),
        "--since",
    )
    assert_one_line_error(run_cli("--data-dir", str(folder), "sync"), "no central store given")
    assert_one_line_error(
        run_cli("--data-dir", str(folder), "sync", "--central", "postgresql://a:pw@127.0.0.1/x"),
        "holds a password",
    )
    assert_one_line_error(
        run_cli("--data-dir", str(folder), "sync", "--central", "host=127.0.0.1 port=1 user=a"),
        "cannot reach",
    )
    assert_one_line_error(
        run_cli("--data-dir", str(folder), "trainees", "merge", "Nobody", "--into", "Ana", "--yes"),
        "no trainee called 'Nobody'",
    )


def test_the_password_can_live_in_the_system_keyring(
    central: Central, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "leeds"
    with workstation(folder) as leeds:
        practise(leeds, "Ana")
    empty = tmp_path / "empty-pgpass"
    empty.write_text("")
    empty.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(empty))  # no pgpass entry: only the keyring knows it
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "tests.sync.file_keyring.FileKeyring")
    monkeypatch.setenv("SKEPTIC_TEST_KEYRING_FILE", str(tmp_path / "keyring.json"))
    address = central.url("ws_one")

    assert_one_line_error(run_cli("--data-dir", str(folder), "sync", "--central", address),
                          "refused the password")  # fmt: skip
    code, out, err = skeptic(folder, "central", "password", "--central", address, stdin=PASSWORD)
    assert code == 0, err
    assert "kept in the system keyring" in out
    code, out, err = skeptic(folder, "sync", "--central", address)
    assert code == 0, err
    data = b"".join(path.read_bytes() for path in folder.iterdir() if path.is_file())
    assert PASSWORD.encode() not in data  # never in the database or beside it
