"""Text from files and databases made safe to print: control characters shown, never obeyed.

A scenario or a stored call may hold escape sequences (written before validation refused them,
or by another program); printed raw they could retitle or clear the trainee's terminal.
"""

from __future__ import annotations

import re

# C0 and C1 controls except line break and tab, which are ordinary text.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """`text` with each control character written as an escape, like \\x1b."""
    return _CONTROL.sub(lambda found: repr(found.group())[1:-1], text)
