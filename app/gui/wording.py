"""Small pieces of English the window builds sentences from."""

from __future__ import annotations


def plural(count: int, noun: str, many: str | None = None) -> str:
    """'1 call', '2 calls' ('1 reply', '2 replies' with many="replies")."""
    return f"{count} {noun if count == 1 else many or noun + 's'}"


def in_sentence(label: str) -> str:
    """A label that starts with a capital, as it reads inside a sentence or a list after a
    colon: 'A level tone' becomes 'a level tone'; an abbreviation ('PIN never asked') stays."""
    if len(label) > 1 and label[0].isupper() and not label[1].isupper():
        return label[0].lower() + label[1:]
    return label
