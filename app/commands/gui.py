"""`skeptic` / `skeptic gui`: the desktop app, or one line saying why it cannot open."""

from __future__ import annotations

import argparse
import os
import sys

from app.paths import DATA_DIR_ENV, data_dir


def display_available() -> bool:
    """Qt aborts the whole process without a display, so look before starting it."""
    if not sys.platform.startswith("linux"):
        return True
    return any(os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


def run_gui(args: argparse.Namespace) -> int:
    if not display_available():
        print(
            "skeptic: no display found: start it with `xvfb-run -a ./scripts/run`, or practise "
            "in the terminal with `python -m app practice --scenario unrecognised-charge`",
            file=sys.stderr,
        )
        return 2
    # onnxruntime (the voice detector) first: loaded after Qt, it can bind to the copies of
    # shared libraries Qt brought in, which in a PyInstaller bundle fails (packaging/README.md).
    import onnxruntime  # noqa: F401

    from app.gui.run import run_app

    folder = data_dir(getattr(args, "data_dir", None))
    if getattr(args, "data_dir", None):
        # The settings are kept beside the data the user chose (app.settings.config_dir).
        os.environ[DATA_DIR_ENV] = str(folder)
    return run_app(folder)
