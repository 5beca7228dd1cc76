"""Writing an output file whole or not at all, with the reason when it cannot be written.

The file is written beside its destination under a temporary name, flushed to the disk and
renamed into place, so a full disk or an unwritable folder leaves no empty or half-written
file behind (and an earlier file of that name untouched) and is reported, never taken as done.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from app.errors import UserError


@contextmanager
def replaced_atomically(out: Path) -> Iterator[Path]:
    """A temporary path to write; renamed onto `out` when the block ends without an error."""
    out = Path(out)
    if not out.parent.is_dir():
        raise ValueError(f"cannot write {out}: the folder {out.parent} does not exist")
    if out.is_dir():
        raise ValueError(f"cannot write {out}: it is a folder")
    partial = out.with_name(f".{out.name}.partial")
    try:
        # Made here first, so that a folder that cannot be written says why (a writer such as
        # Qt's PDF writer would only fail silently).
        partial.touch()
        yield partial
        if not partial.is_file():
            raise UserError(f"cannot write {out}: nothing was written")
        with open(partial, "rb+") as written:
            os.fsync(written.fileno())  # a full disk can surface only here
        os.replace(partial, out)
    except OSError as error:
        raise UserError(f"cannot write {out}: {error.strerror or error}") from None
    finally:
        # An unwritable folder holds no partial file, and refuses the unlink too.
        with suppress(OSError):
            partial.unlink(missing_ok=True)
