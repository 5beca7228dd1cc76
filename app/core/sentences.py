"""A customer's line in sentences, so that speech can start as soon as the first one is ready.

A neural voice takes a few hundred milliseconds per sentence; saying a line sentence by sentence,
the next synthesised while the last is heard, lets the first sound start after one short
sentence instead of after the whole line.
"""

from __future__ import annotations

import re

# Titles whose full stop does not end a sentence ("Mr. Hale", "St. Albans").
_ABBREVIATIONS = frozenset({"mr", "mrs", "ms", "dr", "st", "vs", "etc", "e.g", "i.e"})
# Closing quotes may follow the mark; an opening quote may start the next sentence.
_CLOSERS = "\"')\u201d\u2019"
_OPENERS = "\"'(\u201c\u2018"
_BOUNDARY = re.compile(rf"[.!?][{_CLOSERS}]*(?=\s+[{_OPENERS}]?[A-Z0-9])")


def sentences(text: str) -> list[str]:
    """The sentences of `text`, in order, none empty; text without a boundary is one sentence."""
    pieces: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        before = text[start : match.start()]
        last_word = before.rsplit(None, 1)[-1].lower() if before.split() else ""
        if match.group().startswith(".") and last_word in _ABBREVIATIONS:
            continue
        pieces.append(text[start : match.end()])
        start = match.end()
    pieces.append(text[start:])
    return [piece.strip() for piece in pieces if piece.strip()]
