"""Where Skeptic's files live: shipped data beside the package, user data per platform."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from app.errors import UserError

APP_NAME = "Skeptic"
# Shipped scenarios and voice presets sit at the top of the source tree (and of a frozen bundle).
PROJECT_ROOT = Path(__file__).resolve().parent.parent
SHIPPED_SCENARIOS_DIR = PROJECT_ROOT / "scenarios"
VOICES_DIR = PROJECT_ROOT / "assets" / "voices"
DATA_DIR_ENV = "SKEPTIC_DATA_DIR"


def data_dir(override: str | os.PathLike[str] | None = None, create: bool = True) -> Path:
    """The folder holding the database and the user's own scenarios.

    `--data-dir` wins over the SKEPTIC_DATA_DIR environment variable, which wins over the
    platform's user data folder. Commands that only read pass `create=False`: a folder that
    does not exist (often a mistyped path) is then an error, never created.
    """
    if override is not None and not str(override).strip():
        # An empty --data-dir is a mistake (an unset shell variable), never "the default".
        raise ValueError("--data-dir is empty: give the folder to use")
    chosen = override or os.environ.get(DATA_DIR_ENV)
    path = Path(chosen).expanduser() if chosen else Path(platformdirs.user_data_dir(APP_NAME))
    if path.exists() and not path.is_dir():
        raise NotADirectoryError(f"the data folder {path} is a file, not a folder")
    if not create and not path.exists():
        raise UserError(f"the data folder {path} does not exist: no calls are saved there")
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_path(folder: Path) -> Path:
    return folder / "skeptic.db"
