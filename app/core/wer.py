"""Word error rate: how far a recogniser's words are from what was really said.

Used by the tests and the bench to judge recognisers fairly: both texts are normalised first, so
"1, 2, 3." and "one two three" count as the same words and punctuation or case never counts.
"""

from __future__ import annotations

import re

# fmt: off
_ONES = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
)
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
# fmt: on
_SCALES = ((1_000_000, "million"), (1_000, "thousand"), (100, "hundred"))


def number_in_words(number: int) -> str:
    """Spells out a whole number below a billion as it is usually said: 42 -> "forty two"."""
    if number < 0:
        return "minus " + number_in_words(-number)
    if number < 20:
        return _ONES[number]
    if number < 100:
        tens, ones = divmod(number, 10)
        return _TENS[tens] + ("" if ones == 0 else " " + _ONES[ones])
    for scale, name in _SCALES:
        if number >= scale:
            head, rest = divmod(number, scale)
            spoken = f"{number_in_words(head)} {name}"
            return spoken if rest == 0 else f"{spoken} {number_in_words(rest)}"
    raise AssertionError("unreachable")  # pragma: no cover


def normalise_words(text: str) -> list[str]:
    """Lower-case words with punctuation dropped and numbers spelled out."""
    text = text.lower().replace("'", "").replace("\u2019", "")
    # Thousands separators ("1,200") would otherwise split one number into two.
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)
    words: list[str] = []
    for token in re.findall(r"[a-z]+|\d+", text):
        if token.isdigit():
            # Long digit strings (account or phone numbers) are read out digit by digit.
            spoken = (
                number_in_words(int(token))
                if len(token) < 10
                else " ".join(_ONES[int(digit)] for digit in token)
            )
            words.extend(spoken.split())
        else:
            words.append(token)
    return words


def word_error_rate(reference: str, hypothesis: str) -> float:
    """(substitutions + deletions + insertions) / words in the reference, after normalising.

    An empty reference gives 0.0 when the hypothesis is empty too, else 1.0.
    """
    expected = normalise_words(reference)
    heard = normalise_words(hypothesis)
    if not expected:
        return 0.0 if not heard else 1.0
    # Levenshtein distance over words, one row at a time.
    previous = list(range(len(heard) + 1))
    for row, expected_word in enumerate(expected, start=1):
        current = [row]
        for column, heard_word in enumerate(heard, start=1):
            current.append(
                min(
                    previous[column] + 1,
                    current[column - 1] + 1,
                    previous[column - 1] + (expected_word != heard_word),
                )
            )
        previous = current
    return previous[-1] / len(expected)
