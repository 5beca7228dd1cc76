"""Times the built bundle's launch against the source checkout's, alternating, on one display:
    xvfb-run -a .venv/bin/python packaging/linux/bench_launch.py [--rounds N] [BUNDLE]

Each round starts `dist/skeptic/skeptic gui` and `python -m app gui` once each (the order
alternates), with the start-up probe of app/bench/startup.py: seconds from starting the process
to the window shown and to ready to listen. Prints every launch and the medians; the figures
in docs/performance.md come from here.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from app.bench.startup import LaunchFigures, measure_launch  # noqa: E402


def _children_cpu_seconds() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _seconds(launch: LaunchFigures) -> str:
    def shown(value: float | None) -> str:
        return "-" if value is None else f"{value:.2f} s"

    return f"window {shown(launch.window_shown)}, ready {shown(launch.ready_to_listen)}"


def main() -> int:
    parser = argparse.ArgumentParser(description="bundle vs source launch times")
    parser.add_argument("bundle", nargs="?", type=Path, default=ROOT / "dist" / "skeptic")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    commands = {
        "bundle": [str(args.bundle / "skeptic"), "gui"],
        "source": [sys.executable, "-m", "app", "gui"],
    }
    os.chdir(ROOT)
    figures: dict[str, list[LaunchFigures]] = {name: [] for name in commands}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    for round_number in range(args.rounds):
        order = list(commands) if round_number % 2 == 0 else list(reversed(commands))
        for name in order:
            before = _children_cpu_seconds()
            launch = measure_launch(timeout=60, command=commands[name])
            # CPU time is what a busy machine does not stretch: the launched program's own,
            # from start to ready and quitting (its speech process is not counted).
            used = _children_cpu_seconds() - before
            figures[name].append(launch)
            cpu[name].append(used)
            print(
                f"{name} {round_number + 1}: {_seconds(launch)}, CPU {used:.2f} s {launch.note}",
                flush=True,
            )
    for name, launches in figures.items():
        shown = [f.window_shown for f in launches if f.window_shown is not None]
        ready = [f.ready_to_listen for f in launches if f.ready_to_listen is not None]
        if not shown or not ready:
            print(f"{name}: no complete launch")
            continue
        print(
            f"{name}: window median {statistics.median(shown):.2f} s (worst {max(shown):.2f}), "
            f"ready median {statistics.median(ready):.2f} s (worst {max(ready):.2f}), "
            f"CPU median {statistics.median(cpu[name]):.2f} s, {len(ready)} launches"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
