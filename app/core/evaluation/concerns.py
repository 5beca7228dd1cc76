"""Whether a reply dealt with the worries the customer raised, from each concern's cue words.

Cues match whatever the inflection ("blocked" for "block"), spelling ("cancelled", "canceled")
and small words between ("block the card" is found in "blocking your card"), so a trainee is
not marked down for saying the right thing in their own way.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Protocol

from app.core.evaluation.reading import Hit, Reply, Token, fold, same_word, tokenise

# Words that may stand in for one another, or be left out, inside a cue.
INTERCHANGEABLE = frozenset({"the", "a", "an", "your", "my", "this", "that", "our", "it", "its"})


class ConcernCues(Protocol):
    """A worry the customer may raise, and the words that show a reply dealt with it."""

    @property
    def id(self) -> str: ...

    @property
    def cues(self) -> Sequence[str]: ...


def addressed_concerns(reply: Reply, concerns: Sequence[ConcernCues]) -> dict[str, Hit]:
    """The concerns whose cue words occur in the reply, with where."""
    found: dict[str, Hit] = {}
    if not concerns:
        return found
    words = _significant(reply.tokens)
    for concern in concerns:
        for cue in concern.cues:
            hit = _find(reply, words, _cue_stems(cue))
            if hit is not None:
                found[concern.id] = hit
                break
    return found


def find_cue(reply: Reply, cue: str) -> Hit | None:
    """Where the cue's words occur in a row in the reply, small words aside."""
    return _find(reply, _significant(reply.tokens), _cue_stems(cue))


@lru_cache(maxsize=4096)
def _cue_stems(cue: str) -> tuple[str, ...]:
    return tuple(token.stem for token in _significant(tokenise(fold(cue))))


def _significant(tokens: Sequence[Token]) -> tuple[Token, ...]:
    return tuple(token for token in tokens if token.text not in INTERCHANGEABLE)


def _find(reply: Reply, words: Sequence[Token], cue: Sequence[str]) -> Hit | None:
    if not cue:
        return None
    first_stem = cue[0]
    for first in range(len(words) - len(cue) + 1):
        if not same_word(words[first].stem, first_stem):
            continue
        window = words[first : first + len(cue)]
        if all(same_word(token.stem, wanted) for token, wanted in zip(window, cue, strict=True)):
            start, end = window[0].start, window[-1].end
            return Hit(start, end, 0, reply.quote(start, end))
    return None
