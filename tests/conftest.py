"""Shared test set-up: Qt offscreen by default, a private data folder for every test."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

SPEECH_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "speech"


@pytest.fixture(autouse=True)
def private_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own data folder, so no test touches a real user's database."""
    folder = tmp_path / "data"
    folder.mkdir()
    monkeypatch.setenv("SKEPTIC_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def speech_data() -> Path:
    """The real human recordings in ../shared/data/speech (read-only)."""
    if not SPEECH_DATA.is_dir():
        pytest.fail(f"recordings missing: {SPEECH_DATA}")
    return SPEECH_DATA


def virtual_audio_available() -> bool:
    """True when ./scripts/test started the PulseAudio virtual microphone and speaker."""
    return bool(os.environ.get("PULSE_SERVER")) and shutil.which("pactl") is not None


@pytest.fixture
def virtual_audio() -> None:
    """Needs the virtual devices. Under ./scripts/test (SKEPTIC_TEST_AUDIO=1) their absence
    fails the test instead of skipping it, so CI cannot pass without exercising real audio."""
    if virtual_audio_available():
        return
    if os.environ.get("SKEPTIC_TEST_AUDIO"):
        pytest.fail("PULSE_SERVER is not set although ./scripts/test should have started it")
    pytest.skip("no PulseAudio virtual devices: run through ./scripts/test")


@pytest.fixture(autouse=True)
def private_config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own settings folder, so no test reads or writes a user's settings."""
    folder = tmp_path / "config"
    monkeypatch.setenv("SKEPTIC_CONFIG_DIR", str(folder))
    return folder


@pytest.fixture
def rules_only() -> Iterator[None]:
    """Scores by the rules alone, without the learned layer: for tests that pin what the rules
    find. The learned layer is measured by `calibrate` and tested in test_learned_layer.py."""
    from app.core.evaluation import learned

    learned.set_enabled(False)
    yield
    learned.set_enabled(True)
