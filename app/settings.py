"""The user's settings: one small JSON file, read once at start-up. It lives in
$SKEPTIC_CONFIG_DIR when set, else in the data folder when one was chosen (--data-dir or
$SKEPTIC_DATA_DIR: each data folder has its own trainee, look and first-run guide), else in the
user config folder (~/.config/Skeptic on Linux).

A damaged or foreign file never stops the app: it is set aside and defaults are used.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Literal

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.paths import APP_NAME, DATA_DIR_ENV

CONFIG_DIR_ENV = "SKEPTIC_CONFIG_DIR"
SETTINGS_FILE = "settings.json"

Mode = Literal["hands-free", "push-to-talk"]


class Settings(BaseModel):
    """Everything the user chooses once and expects to find again."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    trainee: str = ""
    mode: Mode = "hands-free"
    microphone: str | None = None  # a device name; None: the system's default input
    speaker: str | None = None  # a device name; None: the system's default output
    font_size: int = Field(default=11, ge=8, le=32)
    high_contrast: bool = False
    last_scenario: str = ""
    first_run_done: bool = False
    # Speak with a natural (neural) voice when one is installed; espeak-ng otherwise.
    neural_voice: bool = True


def config_dir() -> Path:
    override = os.environ.get(CONFIG_DIR_ENV) or os.environ.get(DATA_DIR_ENV)
    return Path(override).expanduser() if override else Path(platformdirs.user_config_dir(APP_NAME))


def settings_path() -> Path:
    return config_dir() / SETTINGS_FILE


def load_settings(path: Path | None = None) -> tuple[Settings, str | None]:
    """The saved settings, or the defaults and a one-line note when the file was unusable."""
    path = path or settings_path()
    if not path.exists():
        return Settings(), None
    try:
        return Settings.model_validate(json.loads(path.read_text(encoding="utf-8"))), None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, ValidationError) as error:
        kept = path.with_suffix(".unreadable.json")
        try:
            path.replace(kept)
        except OSError:
            kept = path
        reason = type(error).__name__ if isinstance(error, ValidationError) else str(error)
        return (
            Settings(),
            f"Settings could not be read ({reason.splitlines()[0]}); "
            f"kept as {kept.name}, defaults used.",
        )


def save_settings(settings: Settings, path: Path | None = None) -> None:
    """Written to a temporary file first, so a crash never leaves half a settings file."""
    path = path or settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".tmp")
    partial.write_text(settings.model_dump_json(indent=2), encoding="utf-8")
    partial.replace(path)
