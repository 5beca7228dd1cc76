"""Reading a reply for evaluation: its words, where each phrase occurs, and quotes from it.

Every position found in the folded (lower-cased) text is a position in the reply as said, so
evidence is always quoted in the trainee's own words.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Final

from app.core.evaluation.result import Component


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


NUMBER_WORDS: Final = {
    word: value
    for value, word in enumerate(
        _words(
            "zero one two three four five six seven eight nine ten eleven twelve thirteen"
            " fourteen fifteen sixteen seventeen eighteen nineteen"
        )
    )
} | {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
SCALES: Final = {"hundred": 100, "thousand": 1000}
# Words that deny what follows them in a sentence.
NEGATION: Final = re.compile(
    r"\b(?:never|not|no one|nobody|no need|without|don'?t|won'?t|doesn'?t|didn'?t|shouldn'?t"
    r"|wouldn'?t|can'?t|cannot|mustn'?t)\b"
)


@dataclass(frozen=True)
class Phrases:
    """Compiled phrases with their weights, and one pattern that finds whether any occurs.

    Most replies hold none of a list's phrases, so one search usually settles it.
    """

    patterns: tuple[tuple[re.Pattern[str], int], ...]
    any: re.Pattern[str]


def _whole_words(body: str) -> str:
    return rf"(?<![\w'])(?:{body})(?!\w)"


def compile_phrases(entries: Iterable[str | tuple[str, int]]) -> Phrases:
    """Compiles phrase entries (a pattern, or a pattern with its weight) to whole-word patterns.

    The same list compiles to the same object, so a reply searched for it twice (by empathy
    and by composure) is searched once.
    """
    return _compiled(tuple(entries))


@lru_cache(maxsize=256)
def _compiled(entries: tuple[str | tuple[str, int], ...]) -> Phrases:
    bodies: list[tuple[str, int]] = []
    for entry in entries:
        pattern, weight = (entry, 0) if isinstance(entry, str) else entry
        bodies.append((pattern.replace("'", "'?").replace(" ", r"[\s,]+"), weight))
    return Phrases(
        patterns=tuple((re.compile(_whole_words(body)), weight) for body, weight in bodies),
        any=re.compile(_whole_words("|".join(body for body, _ in bodies))),
    )


CLAUSE_END = re.compile(r"[!?;\n\u2013\u2014\"]|[.,:](?!\d)")  # dashes end clauses too
SENTENCE_END = re.compile(r"[!?\n]|\.(?!\d)")
TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[a-z]+(?:'[a-z]+)*")
MAX_QUOTE_WORDS = 12
# Characters either side of a phrase that a quote can reach: far more than a dozen words take.
QUOTE_REACH = 1000
WORDS_BEFORE, WORDS_AFTER = 1, 4  # context kept around a phrase in a long clause


@dataclass(frozen=True)
class Token:
    """One word of a reply: normalised text (number words as digits), its stem and its place."""

    text: str
    stem: str
    start: int
    end: int


@dataclass(frozen=True)
class Hit:
    """A phrase found in a reply: where it is, its weight and the reply's own words around it."""

    start: int
    end: int
    weight: int
    quote: str


@dataclass(frozen=True)
class Judged:
    """One component's verdict, with the tip that would raise it and the signals it raised."""

    component: Component
    tip: str | None = None
    signals: frozenset[str] = frozenset()
    # The highest total this finding allows, whatever else the reply did well (a sarcastic
    # reply is at most level 1 of the rubric however calm the rest): None for no limit.
    limit: int | None = None


def fold(text: str) -> str:
    """Lower-cases and straightens quotes without changing any position in the text, so a
    phrase found in the folded text can be quoted from the original."""
    curly = "\u2018\u2019\u0060\u00b4\u201c\u201d\u00a0"
    straightened = text.translate(str.maketrans(curly, "''''\"\" "))
    return "".join(low if len(low := ch.lower()) == 1 else ch for ch in straightened)


@lru_cache(maxsize=8192)
def stem(word: str) -> str:
    """A light stem, so "blocked", "blocking" and "blocks" all read as "block"."""
    if word.isdigit():
        return word
    stemmed = word.removesuffix("'s").replace("'", "")
    for suffix, replacement in (
        ("ies", "y"),
        ("ied", "y"),
        ("ing", ""),
        ("ed", ""),
        ("es", ""),
        ("s", ""),
    ):
        if stemmed.endswith(suffix) and len(stemmed) - len(suffix) >= 3:
            stemmed = stemmed[: -len(suffix)] + replacement
            break
    if len(stemmed) > 4 and stemmed.endswith("e"):
        stemmed = stemmed[:-1]
    if len(stemmed) >= 4 and stemmed[-1] == stemmed[-2]:
        stemmed = stemmed[:-1]
    return stemmed


def same_word(first: str, second: str) -> bool:
    """True for equal stems, or long stems a spelling apart ("canceled" and "cancelled")."""
    if first == second:
        return True
    if min(len(first), len(second)) < 5 or abs(len(first) - len(second)) > 2:
        return False
    return first[0] == second[0] and SequenceMatcher(None, first, second).ratio() >= 0.85


def _number_value(words: list[str]) -> int:
    total, current = 0, 0
    for word in words:
        if word in SCALES:
            if SCALES[word] == 100:
                current = max(current, 1) * 100
            else:
                total += max(current, 1) * SCALES[word]
                current = 0
        else:
            current += NUMBER_WORDS[word]
    return total + current


def tokenise(folded: str) -> tuple[Token, ...]:
    """The words of folded text, with spelled-out numbers turned into digits as Whisper writes
    them ("two hundred and forty-nine" reads as "249")."""
    raw = [(m.group(), m.start(), m.end()) for m in TOKEN.finditer(folded)]
    tokens: list[Token] = []
    index = 0
    while index < len(raw):
        text, start, end = raw[index]
        if text in NUMBER_WORDS or text in SCALES:
            words = [text]
            index += 1
            while index < len(raw):
                following = raw[index][0]
                is_joined_and = (
                    following == "and"
                    and index + 1 < len(raw)
                    and (raw[index + 1][0] in NUMBER_WORDS or raw[index + 1][0] in SCALES)
                )
                if following in NUMBER_WORDS or following in SCALES or is_joined_and:
                    if not is_joined_and:
                        words.append(following)
                    end = raw[index][2]
                    index += 1
                else:
                    break
            digits = str(_number_value(words))
            tokens.append(Token(digits, digits, start, end))
            continue
        if text[0].isdigit():
            text = text.replace(",", "").removesuffix(".00").removesuffix(".0")
        tokens.append(Token(text, stem(text), start, end))
        index += 1
    return tuple(tokens)


Span = tuple[int, int]
# A sentence that stops on one of these words was cut off before it said what it meant.
UNFINISHED_ENDINGS: Final = frozenset(
    _words(
        "and or but because the a an to of for with your my our their i i'll we'll i'd we'd"
        " i'm we're i've we've if which about from into at by than also very gonna let's"
    )
)
_TRAILING_OFF = re.compile(r"(?:\.\.\.|\u2026|-|\u2013|\u2014)\s*$")
_PUNCTUATED = re.compile(r"[.,;:!?]")
_UNSURE_MARK = "~"  # not a word character: a masked word is never part of a phrase or a token


class Reply:
    """A reply read for evaluation: the trainee's own words, and a folded copy to match phrases.

    Every position refers to both texts, so evidence is always quoted from the reply as said.
    `unsure` holds the spans of words the recogniser was unsure of: they are masked in the folded
    copy, so no phrase and no word is ever credited (or held against the trainee) from them.
    """

    def __init__(self, text: str, unsure: tuple[Span, ...] = ()) -> None:
        self.text = text
        folded = fold(text)
        for start, end in unsure:
            start, end = max(0, start), min(len(folded), end)
            if start < end:
                folded = folded[:start] + _UNSURE_MARK * (end - start) + folded[end:]
        self.folded = folded
        self.tokens = tokenise(self.folded)
        self.unsure = unsure
        self._found: dict[int, list[Hit]] = {}
        # Where every clause and sentence ends, found once: looking them up per hit by scanning
        # from the start made a long reply cost quadratic time (120 KB took 43 s).
        clauses = [m.span() for m in CLAUSE_END.finditer(self.text)]
        sentences = [m.span() for m in SENTENCE_END.finditer(self.folded)]
        self._clause_starts = [span[0] for span in clauses]
        self._clause_ends = [span[1] for span in clauses]
        self._sentence_starts = [span[0] for span in sentences]
        self._sentence_ends = [span[1] for span in sentences]

    @property
    def word_count(self) -> int:
        return len(self.tokens)

    @property
    def is_cut_off(self) -> bool:
        """True when the reply stops mid-sentence: on "and", "the", "I'll", or trailing off."""
        stripped = self.text.rstrip()
        if not self.tokens or not stripped:
            return False
        if _TRAILING_OFF.search(stripped):
            return True
        last = self.tokens[-1].text
        if last in UNFINISHED_ENDINGS and not stripped.endswith("?"):
            return True
        # A punctuated reply whose last sentence has no full stop stopped mid-way; a reply with
        # no punctuation at all is a recogniser's, which often leaves it out.
        ended = stripped.rstrip("\"')\u201d\u2019")[-1:] in (".", "!", "?")
        return not ended and bool(_PUNCTUATED.search(stripped)) and self.word_count >= 4

    def sentences(self) -> list[Span]:
        """The (start, end) of each sentence with at least one word."""
        spans: list[Span] = []
        start = 0
        for match in SENTENCE_END.finditer(self.folded):
            spans.append((start, match.start()))
            start = match.end()
        spans.append((start, len(self.folded)))
        return [(s, e) for s, e in spans if TOKEN.search(self.folded, s, e)]

    def find(self, phrases: Phrases) -> list[Hit]:
        """Every place one of the phrases occurs, in order, overlaps resolved to the earliest."""
        found = self._found.get(id(phrases))
        if found is None:
            found = self._found[id(phrases)] = self._search(phrases)
        return list(found)

    def _search(self, phrases: Phrases) -> list[Hit]:
        if phrases.any.search(self.folded) is None:
            return []
        spans = sorted(
            (match.start(), -match.end(), weight)
            for pattern, weight in phrases.patterns
            for match in pattern.finditer(self.folded)
            if match.end() > match.start()
        )
        hits: list[Hit] = []
        for start, negative_end, weight in spans:
            if hits and start < hits[-1].end:
                continue
            hits.append(Hit(start, -negative_end, weight, self.quote(start, -negative_end)))
        return hits

    def quote(self, start: int, end: int) -> str:
        """The reply's own words around a span: its clause, cut to a short quote if long."""
        clause_start = _last_end_before(self._clause_ends, self.text, start, ".,:")
        clause_end = _first_start_from(self._clause_starts, end, len(self.text))
        clause_start, clause_end = self._near(clause_start, clause_end, start, end)
        words = [m.span() for m in re.finditer(r"\S+", self.text[clause_start:clause_end])]
        if not words:
            return self.text[start:end].strip()
        inside = [
            i
            for i, (s, e) in enumerate(words)
            if clause_start + e > start and clause_start + s < end
        ] or [0]
        first, last = inside[0], inside[-1]
        if len(words) <= MAX_QUOTE_WORDS:
            first, last = 0, len(words) - 1
        elif last - first + 1 < MAX_QUOTE_WORDS:
            # Without punctuation to go by, a phrase's sense usually runs on to its right.
            first = max(0, first - WORDS_BEFORE)
            last = min(len(words) - 1, last + WORDS_AFTER, first + MAX_QUOTE_WORDS - 1)
        quoted = self.text[clause_start + words[first][0] : clause_start + words[last][1]]
        return quoted.strip(" \t\n,;:.!?'\"")

    def _near(self, clause_start: int, clause_end: int, start: int, end: int) -> tuple[int, int]:
        """The clause, cut to whole words within QUOTE_REACH characters of the span.

        A quote is a dozen words, so a clause of thousands (a reply with no punctuation) need
        not be split into words again for each of its hits.
        """
        if start - clause_start > QUOTE_REACH:
            space = self.text.find(" ", start - QUOTE_REACH, start)
            clause_start = space + 1 if space >= 0 else clause_start
        if clause_end - end > QUOTE_REACH:
            space = self.text.rfind(" ", end, end + QUOTE_REACH)
            clause_end = space if space >= 0 else clause_end
        return clause_start, clause_end

    def sentence_bounds(self, position: int) -> tuple[int, int]:
        start = _last_end_before(self._sentence_ends, self.folded, position, ".")
        return (start, _first_start_from(self._sentence_starts, position, len(self.folded)))

    def is_negated(self, position: int) -> bool:
        """True when the words just before a position in its sentence deny it ("we will never
        ask for your PIN")."""
        sentence_start, _ = self.sentence_bounds(position)
        return bool(NEGATION.search(self.folded, max(sentence_start, position - 60), position))


def _last_end_before(ends: list[int], text: str, position: int, before_digit: str) -> int:
    """The end of the last clause (or sentence) mark within text[:position], 0 if none.

    The same answer as searching text[:position]: there a mark in `before_digit` just before
    `position` counts, since the digit that would make it a decimal point is cut off.
    """
    if position > 0 and text[position - 1] in before_digit:
        return position
    index = bisect.bisect_right(ends, position)
    return ends[index - 1] if index else 0


def _first_start_from(starts: list[int], position: int, default: int) -> int:
    """Where the first mark at or after `position` starts, like pattern.search(text, position)."""
    index = bisect.bisect_left(starts, position)
    return starts[index] if index < len(starts) else default


def quoted(hit: Hit, label: str) -> str:
    """Evidence in the one shape every view shows: the reply's words in quotes, then why."""
    return f'"{hit.quote}" - {label}'
