"""Text from files and databases made safe to print: control characters shown, never obeyed.

A scenario or a stored call may hold escape sequences (written before validation refused them,
or by another program); printed raw they could retitle or clear the trainee's terminal.
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO, cast

# C0 and C1 controls except line break and tab, which are ordinary text, and the Unicode line
# and paragraph separators (which would split a one-line message).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def printable(text: str) -> str:
    """`text` with each control character written as an escape, like \\u001b.

    The \\uXXXX form is also a valid escape inside a JSON string, so `--json` output that
    carries a control character (JSON leaves DEL and the C1 controls raw) stays valid JSON.
    """
    return _CONTROL.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


class PrintableStream:
    """A text stream that writes every control character as an escape (see `printable`)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(printable(text))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextmanager
def safe_terminal() -> Iterator[None]:
    """For one command: output that cannot steer the terminal, and input that cannot stop it.

    A reply typed in a Latin-1 terminal (0xE9 for "é") is not UTF-8; decoded with replacement
    it keeps the rest of the words instead of ending the call.
    """
    saved = sys.stdout, sys.stderr
    stdin = sys.stdin
    if isinstance(stdin, io.TextIOWrapper):
        stdin.reconfigure(errors="replace")
    sys.stdout = cast(TextIO, PrintableStream(saved[0]))
    sys.stderr = cast(TextIO, PrintableStream(saved[1]))
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved
