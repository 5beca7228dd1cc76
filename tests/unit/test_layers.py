"""The import arrows point one way: only app.gui may import Qt; the core needs no engines."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest


def _modules_after_importing(module: str) -> set[str]:
    code = f"import sys, {module}; print('\\n'.join(sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    return set(result.stdout.split())


@pytest.mark.parametrize(
    "module",
    [
        "app.core.session",
        "app.core.session_machine",
        "app.core.scenario",
        "app.core.evaluation",
        "app.storage",
        "app.calls.executor",
        "app.cli",
        "app.sync.bundle",
        "app.sync.central.push",
        "app.room.server",
        "app.room.hot_seat",
        "app.room.report",
        "app.commands.room_serve",
    ],
)
def test_core_storage_and_cli_load_without_qt(module: str) -> None:
    loaded = _modules_after_importing(module)
    assert not any(name.startswith("PySide6") for name in loaded)


@pytest.mark.parametrize("module", ["app.core.session", "app.core.session_machine"])
def test_the_core_loads_no_audio_or_database_library(module: str) -> None:
    loaded = _modules_after_importing(module)
    forbidden = {"sqlite3", "sqlite_utils", "pyaudio", "sounddevice", "faster_whisper", "pyttsx3"}
    assert not loaded & forbidden


def test_nothing_below_the_window_imports_the_sync_package() -> None:
    for module in ("app.storage", "app.core.session", "app.core.evaluation", "app.cli"):
        loaded = _modules_after_importing(module)
        assert not any(name.startswith("app.sync") for name in loaded), module


def test_the_window_starts_without_the_central_store_driver() -> None:
    """psycopg is loaded by the sync child process and the organisation view, not at start-up."""
    assert "psycopg" not in _modules_after_importing("app.gui.run")


APP = Path(__file__).resolve().parents[2] / "app"
# The executors of the one turn loop: each builds a SessionMachine and runs its commands
# through the shared CallExecutor.
EXECUTORS = (
    "gui/call_controller.py",
    "commands/practice.py",
    "commands/selftest.py",
    "bench/turns.py",
)
# What only the machine may do: hold the call, score a reply into a turn, let the customer react.
LOOP_STEPS = re.compile(r"PracticeSession\(|\.submit\(\s*(?:heard\.)?transcript|\.respond\(")


def _modules() -> list[Path]:
    return sorted(APP.rglob("*.py"))


@pytest.mark.parametrize("executor", EXECUTORS)
def test_every_executor_drives_the_session_machine(executor: str) -> None:
    source = (APP / executor).read_text(encoding="utf-8")
    assert "SessionMachine(" in source
    assert "CallExecutor(" in source
    assert ".save_turn(" not in source  # saving goes through the executor's CallRecord


def test_no_loop_of_its_own_outside_the_core() -> None:
    offenders = [
        str(path.relative_to(APP))
        for path in _modules()
        if path.parent.name != "core"
        and "core" not in path.relative_to(APP).parts
        and LOOP_STEPS.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_turns_are_saved_only_by_the_call_record() -> None:
    savers = {
        str(path.relative_to(APP))
        for path in _modules()
        if ".save_turn(" in path.read_text(encoding="utf-8")
    }
    assert savers == {"storage/call_record.py"}


def test_no_module_passes_400_lines() -> None:
    long = {
        str(path.relative_to(APP)): count
        for path in _modules()
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > 400
    }
    assert long == {}
