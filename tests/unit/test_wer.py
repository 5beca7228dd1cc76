"""Word error rate and the normalising that makes recognisers comparable."""

from __future__ import annotations

import pytest

from app.core.wer import normalise_words, number_in_words, word_error_rate


@pytest.mark.parametrize(
    ("number", "spoken"),
    [
        (0, "zero"),
        (7, "seven"),
        (15, "fifteen"),
        (40, "forty"),
        (42, "forty two"),
        (100, "one hundred"),
        (305, "three hundred five"),
        (1_200, "one thousand two hundred"),
        (2_000_019, "two million nineteen"),
    ],
)
def test_numbers_are_spelled_out(number: int, spoken: str) -> None:
    assert number_in_words(number) == spoken


def test_normalising_drops_case_punctuation_and_apostrophes() -> None:
    assert normalise_words("I'm SORRY, sir -- really!") == ["im", "sorry", "sir", "really"]


def test_digits_and_spelled_numbers_are_the_same_words() -> None:
    assert word_error_rate("one two three", "1, 2, 3.") == 0.0
    assert word_error_rate("a refund of one thousand two hundred", "A refund of 1,200.") == 0.0


def test_long_digit_strings_are_read_digit_by_digit() -> None:
    assert normalise_words("account 0123456789") == [
        "account",
        *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"),
    ]


def test_counts_substitutions_deletions_and_insertions() -> None:
    reference = "let me check your account"
    assert word_error_rate(reference, "let me check your account") == 0.0
    assert word_error_rate(reference, "let me check my account") == pytest.approx(1 / 5)
    assert word_error_rate(reference, "let me check account") == pytest.approx(1 / 5)
    assert word_error_rate(reference, "let me just check your account now") == pytest.approx(2 / 5)
    assert word_error_rate(reference, "") == 1.0


def test_empty_reference() -> None:
    assert word_error_rate("", "") == 0.0
    assert word_error_rate("...", "hello") == 1.0
