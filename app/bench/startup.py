"""Launch times of the real app: a start-up probe the window reports to, and the launcher.

With SKEPTIC_STARTUP_PROBE=1 the app writes one line to stderr per moment of its start-up,
`skeptic-startup <moment> <unix time>`, and quits once it is ready to listen. The window
reports "window_shown" when the main window is first on screen and "ready_to_listen" once the
speech recogniser is loaded and the customer's voice is warm.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass

STARTUP_PROBE_ENV = "SKEPTIC_STARTUP_PROBE"
_PREFIX = "skeptic-startup"
WINDOW_TITLE = "Skeptic"


def startup_probe_requested() -> bool:
    """True when the app was launched to measure its start-up (it should quit when ready)."""
    return os.environ.get(STARTUP_PROBE_ENV) == "1"


def report_startup(moment: str) -> None:
    """Write one start-up moment ("window_shown", "ready_to_listen") when probing; else nothing."""
    if startup_probe_requested():
        print(f"{_PREFIX} {moment} {time.time():.6f}", file=sys.stderr, flush=True)


@dataclass(frozen=True)
class LaunchFigures:
    """Seconds from starting the process; None when the moment was not seen (see `note`)."""

    window_shown: float | None
    ready_to_listen: float | None
    note: str


def _visible_window(title: str) -> bool:
    found = subprocess.run(
        ["xdotool", "search", "--onlyvisible", "--name", title],
        capture_output=True,
        text=True,
        check=False,
    )
    return bool(found.stdout.strip())


def measure_launch(timeout: float = 20.0, command: Sequence[str] | None = None) -> LaunchFigures:
    """Starts `python -m app gui` (or `command`, e.g. a built bundle) on the current display and
    times it until ready to listen."""
    if not os.environ.get("DISPLAY"):
        return LaunchFigures(None, None, "no display: start the bench under xvfb-run")
    moments: dict[str, float] = {}
    ready = threading.Event()
    with tempfile.TemporaryDirectory(prefix="skeptic-launch-") as folder:
        environment = dict(
            os.environ,
            **{
                STARTUP_PROBE_ENV: "1",
                "SKEPTIC_DATA_DIR": os.path.join(folder, "data"),
                "SKEPTIC_CONFIG_DIR": os.path.join(folder, "config"),
            },
        )
        environment.pop("QT_QPA_PLATFORM", None)  # a real window on the display
        launched = time.time()
        process = subprocess.Popen(
            list(command or [sys.executable, "-m", "app", "gui"]),
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )

        def read_moments() -> None:
            assert process.stderr is not None
            for line in process.stderr:
                parts = line.split()
                if len(parts) == 3 and parts[0] == _PREFIX:
                    moments[parts[1]] = float(parts[2]) - launched
                    if parts[1] == "ready_to_listen":
                        ready.set()
            ready.set()  # the app ended

        reader = threading.Thread(target=read_moments, daemon=True)
        reader.start()
        window_seen: float | None = None
        can_look = shutil.which("xdotool") is not None
        deadline = time.monotonic() + timeout
        while not ready.is_set() and time.monotonic() < deadline:
            if can_look and window_seen is None and _visible_window(WINDOW_TITLE):
                window_seen = time.time() - launched
            ready.wait(0.01)
        if process.poll() is None:
            process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        reader.join(timeout=2)
    shown = moments.get("window_shown", window_seen)
    notes = []
    if "window_shown" not in moments and window_seen is not None:
        notes.append("window seen on the display with xdotool")
    if "ready_to_listen" not in moments:
        notes.append("the app did not report ready_to_listen (start-up probe not wired)")
    return LaunchFigures(shown, moments.get("ready_to_listen"), "; ".join(notes))
