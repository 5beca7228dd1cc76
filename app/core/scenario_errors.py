"""What is wrong with a scenario file, said per problem: the file, the field and the line.

The line lookup reads the file once with patterns that cannot backtrack, so a hostile file (a
line of 10,000 spaces, a 5,000-digit number) costs linear time and never stops the others.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a file: the dotted field (empty for the whole file) and the line."""

    field: str
    message: str
    line: int | None = None

    def describe(self, file: Path, full_path: bool = False) -> str:
        where = f"{self.field}: " if self.field else ""
        at_line = f" (line {self.line})" if self.line is not None else ""
        return f"{file if full_path else file.name}: {where}{self.message}{at_line}"


class ScenarioError(Exception):
    """A scenario file that cannot be used: every problem, one line each.

    `str()` is one line (the first problem and how many more) for a status bar;
    `lines()` lists them all for `scenarios validate`.
    """

    def __init__(
        self,
        file: Path,
        field: str,
        message: str,
        line: int | None = None,
        *,
        more: tuple[Problem, ...] = (),
    ) -> None:
        self.file = file
        self.field = field
        self.message = message
        self.line = line
        self.problems = (Problem(field, message, line), *more)
        super().__init__(str(self))

    def __str__(self) -> str:
        text = self.problems[0].describe(self.file)
        others = len(self.problems) - 1
        if others:
            text += f" (and {others} more problem{'s' if others > 1 else ''})"
        return text

    def lines(self, full_path: bool = False) -> list[str]:
        """Every problem; with `full_path`, each names the file as given (not only its name)."""
        return [problem.describe(self.file, full_path) for problem in self.problems]


def from_problems(file: Path, problems: list[Problem]) -> ScenarioError:
    first, *more = problems
    return ScenarioError(file, first.field, first.message, first.line, more=tuple(more))


def syntax_error(path: Path, text: str, error: tomllib.TOMLDecodeError) -> ScenarioError:
    # tomllib ends its message with "(at line 4, column 9)" or "(at end of document)"; keep the
    # words and report the line separately, as for every other error.
    message = str(error)
    position = re.search(r"\s*\(at (?:line (\d+), column \d+|end of document)\)$", message)
    line: int | None = None
    if position:
        message = message[: position.start()]
        line = int(position.group(1)) if position.group(1) else max(1, len(text.splitlines()))
    return ScenarioError(path, "", f"TOML syntax error: {message}", line)


_LONG_NUMBER = re.compile(r"[0-9_]{4000,}")


def number_too_long(path: Path, text: str) -> ScenarioError:
    """tomllib refuses integers past Python's 4,300-digit limit with a bare ValueError."""
    found = _LONG_NUMBER.search(text)
    line = text.count("\n", 0, found.start()) + 1 if found else None
    return ScenarioError(path, "", "a number with thousands of digits: no field needs one", line)


_FRIENDLY_MESSAGES = {
    "extra_forbidden": "not a field of the scenario format (check the spelling)",
    "missing": "missing (this field is required)",
    "string_pattern_mismatch": "must be lowercase words joined by hyphens, like 'card-fraud'",
    "bool_type": "must be true or false (without quotes)",
    "int_type": "must be a whole number (without quotes)",
}


def schema_error(path: Path, text: str, error: ValidationError) -> ScenarioError:
    lines = _line_index(text)
    problems: list[Problem] = []
    for found in error.errors():
        location: tuple[str | int, ...] = tuple(found["loc"])
        context = found.get("ctx") or {}
        if found["type"] == "scenario":
            location += tuple(context["path"])
            message = str(context["message"])
        else:
            message = _FRIENDLY_MESSAGES.get(found["type"], found["msg"])
        field = ".".join(str(part) for part in location)
        problems.append(Problem(field, message, _line_of(lines, location)))
    return from_problems(path, problems)


# Linear patterns: a key is bare words or quoted strings joined by dots, with no overlapping
# repetition that could backtrack over a long run of spaces.
_PART = r"(?:[A-Za-z0-9_\-]+|\"[^\"\n]*\"|'[^'\n]*')"
_KEY = re.compile(rf"[ \t]*({_PART}(?:[ \t]*\.[ \t]*{_PART})*)[ \t]*=")
_TABLE_HEADER = re.compile(rf"[ \t]*(\[\[?)[ \t]*({_PART}(?:[ \t]*\.[ \t]*{_PART})*)[ \t]*\]")


def _line_index(text: str) -> dict[tuple[str, ...], int]:
    """The first line of every table and key, by path: `[[stages]]` counts as stages.0, .1 ..."""
    first_line: dict[tuple[str, ...], int] = {}
    array_counts: dict[tuple[str, ...], int] = {}
    table: tuple[str, ...] = ()
    for number, line in enumerate(text.splitlines(), start=1):
        header = _TABLE_HEADER.match(line)
        if header:
            table = _resolve_table(header.group(2), array_counts)
            if header.group(1) == "[[":
                array_counts[table] = array_counts.get(table, -1) + 1
                table = (*table, str(array_counts[table]))
            first_line.setdefault(table, number)
            continue
        key = _KEY.match(line)
        if key:
            first_line.setdefault((*table, *_split_dotted(key.group(1))), number)
    return first_line


def _line_of(first_line: dict[tuple[str, ...], int], location: tuple[str | int, ...]) -> int | None:
    """The line where a field (or the nearest table or key holding it) is written."""
    wanted = tuple(str(part) for part in location)
    for length in range(len(wanted), 0, -1):
        if wanted[:length] in first_line:
            return first_line[wanted[:length]]
    return None


def _split_dotted(dotted: str) -> tuple[str, ...]:
    return tuple(part.strip().strip("\"'") for part in re.findall(_PART, dotted))


def _resolve_table(dotted: str, array_counts: dict[tuple[str, ...], int]) -> tuple[str, ...]:
    # `[stages.extra]` inside the third `[[stages]]` belongs to stages.2.extra.
    *parents, name = _split_dotted(dotted)
    resolved: tuple[str, ...] = ()
    for part in parents:
        resolved = (*resolved, part)
        if resolved in array_counts:
            resolved = (*resolved, str(array_counts[resolved]))
    return (*resolved, name)
