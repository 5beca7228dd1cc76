"""Roster files: one trainee a line, the leaderboard opt-in, aliases; bad lines named."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.room.roster import RosterError, parse_roster, read_roster
from app.storage.rooms import Member


def test_names_order_leaderboard_and_aliases() -> None:
    text = "# Thursday\nAna Silva\n\n+ Ben Okafor\n+Cleo Marsh (Cleo)\n"
    assert parse_roster(text) == [
        Member("Ana Silva"),
        Member("Ben Okafor", True),
        Member("Cleo Marsh", True, "Cleo"),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no trainees"),
        ("# only a comment\n", "no trainees"),
        ("Ana\nana\n", "roster:2: ana is already"),
        ("Ana (Ace)\n", "start the line with"),
        ("+ (Ace)\n", "no name"),
        ("A" * 81 + "\n", "longer than 80"),
        ("Ana\x07\n", "control characters"),
        ("\n".join(f"T{n}" for n in range(61)), "more than 60"),
    ],
)
def test_bad_rosters_are_refused_with_the_line(text: str, message: str) -> None:
    with pytest.raises(RosterError, match=message):
        parse_roster(text)


def test_a_roster_file_must_exist_and_be_text(tmp_path: Path) -> None:
    with pytest.raises(RosterError, match="no such file"):
        read_roster(tmp_path / "missing.txt")
    binary = tmp_path / "roster.txt"
    binary.write_bytes(b"\xff\xfe\x00A")
    with pytest.raises(RosterError, match="not UTF-8"):
        read_roster(binary)


@given(st.text(max_size=400))
def test_any_text_gives_a_roster_or_one_clear_error(text: str) -> None:
    try:
        members = parse_roster(text)
    except RosterError as error:
        assert "\n" not in str(error)
        return
    assert members and all(member.name.strip() == member.name for member in members)
    assert len({member.name.casefold() for member in members}) == len(members)
