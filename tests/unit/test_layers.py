"""The import arrows point one way: only app.gui may import Qt; the core needs no engines."""

from __future__ import annotations

import subprocess
import sys

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
        *("app.core.session", "app.core.scenario", "app.core.evaluation", "app.storage"),
        *("app.cli", "app.sync.bundle", "app.sync.central.push"),
    ],
)
def test_core_storage_and_cli_load_without_qt(module: str) -> None:
    loaded = _modules_after_importing(module)
    assert not any(name.startswith("PySide6") for name in loaded)


def test_the_core_loads_no_audio_or_database_library() -> None:
    loaded = _modules_after_importing("app.core.session")
    forbidden = {"sqlite3", "sqlite_utils", "pyaudio", "sounddevice", "faster_whisper", "pyttsx3"}
    assert not loaded & forbidden


def test_nothing_below_the_window_imports_the_sync_package() -> None:
    for module in ("app.storage", "app.core.session", "app.core.evaluation", "app.cli"):
        loaded = _modules_after_importing(module)
        assert not any(name.startswith("app.sync") for name in loaded), module


def test_the_window_starts_without_the_central_store_driver() -> None:
    """psycopg is loaded by the sync child process and the organisation view, not at start-up."""
    assert "psycopg" not in _modules_after_importing("app.gui.run")
