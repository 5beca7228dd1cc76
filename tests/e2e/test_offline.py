"""A whole call with every real engine while the network is blocked in every process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

GUARD = Path(__file__).parent / "offline_guard"


def _offline_env(tmp_path: Path) -> tuple[dict[str, str], Path]:
    log = tmp_path / "network.log"
    log.touch()
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(GUARD), env.get("PYTHONPATH")]))
    env["SKEPTIC_NETWORK_LOG"] = str(log)
    env.pop("HF_HUB_OFFLINE", None)  # the product must stay offline without this guard too
    return env, log


def test_the_guard_really_blocks_connections(tmp_path: Path) -> None:
    env, log = _offline_env(tmp_path)
    probe = "import socket; socket.create_connection(('127.0.0.1', 9), timeout=1)"
    result = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "network blocked" in result.stderr
    assert "127.0.0.1" in log.read_text()


def test_a_whole_call_needs_no_network(tmp_path: Path) -> None:
    env, log = _offline_env(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "app", "selftest"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("PASS") == 5
    assert "conversation" in result.stdout
    assert log.read_text() == ""
