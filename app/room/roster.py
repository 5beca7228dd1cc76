"""A room's roster file: one trainee a line, in the order they take the seat.

    Ana Silva            in the room, not on the leaderboard
    + Ben Okafor         on the leaderboard under his own name
    + Cleo Marsh (Cleo)  on the leaderboard under the alias "Cleo"
    # a comment

The leaderboard is opt-in: only a line starting with "+" puts a trainee on it.
"""

from __future__ import annotations

import re
from pathlib import Path

from app.storage.rooms import Member

MAX_TRAINEES = 60
MAX_NAME = 80
_ALIAS = re.compile(r"^(?P<name>.*?)\s*\((?P<alias>[^()]*)\)$")


class RosterError(ValueError):
    """A roster that cannot be used, naming the file and line."""


def parse_roster(text: str, where: str = "roster") -> list[Member]:
    members: list[Member] = []
    seen: set[str] = set()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        at = f"{where}:{number}"
        on_board = line.startswith("+")
        line = line.removeprefix("+").strip()
        alias = ""
        match = _ALIAS.match(line)
        if match:
            line, alias = match["name"].strip(), match["alias"].strip()
            if not on_board:
                raise RosterError(f'{at}: an alias is for the leaderboard: start the line with "+"')
        if not line:
            raise RosterError(f"{at}: no name")
        if any(ord(char) < 32 for char in line + alias):
            raise RosterError(f"{at}: control characters in the name")
        if len(line) > MAX_NAME or len(alias) > MAX_NAME:
            raise RosterError(f"{at}: a name is longer than {MAX_NAME} characters")
        if line.casefold() in seen:
            raise RosterError(f"{at}: {line} is already on the roster")
        seen.add(line.casefold())
        members.append(Member(line, on_board, alias))
    if not members:
        raise RosterError(f"{where}: no trainees")
    if len(members) > MAX_TRAINEES:
        raise RosterError(f"{where}: more than {MAX_TRAINEES} trainees")
    return members


def read_roster(path: Path) -> list[Member]:
    if not path.is_file():
        raise RosterError(f"{path}: no such file")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise RosterError(f"{path}: not UTF-8 text") from None
    return parse_roster(text, str(path))
