"""`python -m app`: the same as the `skeptic` command."""

import multiprocessing
import sys

from app.cli import main

if __name__ == "__main__":
    # The speech process is started with "spawn" on every platform, and a frozen Windows build
    # needs freeze_support() before anything else runs.
    multiprocessing.freeze_support()
    multiprocessing.set_start_method("spawn", force=True)
    sys.exit(main())
