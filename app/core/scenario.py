"""Scenario files: who the customer is, what worries them and what they say at each stage.

Scenarios are TOML data, never code, so trainers can write new calls without touching the
program. A broken file is reported in one line naming the file, the field and (when it can be
found) the line, so its author can fix it without reading a traceback.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Annotated, Literal, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError

from app.core.voice_preset import voice_preset_names

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
Lines = Annotated[tuple[Text, ...], Field(min_length=1)]
Trust = Annotated[int, Field(ge=0, le=100)]
Temperament = Annotated[float, Field(gt=0, le=5)]
Patience = Annotated[int, Field(ge=1, le=10)]
Difficulty = Literal["easy", "standard", "hard"]

# What each difficulty means for the customer's behaviour. A persona field left out of a file
# takes its value from here, so the label always changes how the customer acts; a field written
# in the file wins. Harder customers start colder, warm more slowly, sour faster, need more
# trust before they are satisfied and lose patience after fewer poor replies.
DIFFICULTY_DEFAULTS: dict[str, dict[str, float | int]] = {
    "easy": {
        "starting_trust": 45,
        "trust_gain": 1.2,
        "trust_loss": 0.7,
        "resolve_trust": 70,
        "walkout_trust": 8,
        "patience": 4,
    },
    "standard": {
        "starting_trust": 35,
        "trust_gain": 1.0,
        "trust_loss": 1.0,
        "resolve_trust": 75,
        "walkout_trust": 8,
        "patience": 3,
    },
    "hard": {
        "starting_trust": 20,
        "trust_gain": 0.7,
        "trust_loss": 1.4,
        "resolve_trust": 80,
        "walkout_trust": 6,
        "patience": 2,
    },
}


def _problem(path: tuple[str | int, ...], message: str) -> PydanticCustomError:
    """A cross-field error that still names the exact field, relative to the validated model."""
    return PydanticCustomError("scenario", "{message}", {"message": message, "path": path})


class _Part(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Persona(_Part):
    """The customer: their story, their voice and how quickly they warm up or give up.

    `patience` is how many poor replies in a row the customer takes before escalating (asking
    for a supervisor, threatening to leave or complain).
    """

    name: Text
    situation: Text
    backstory: Text
    suspicious_because: Text
    voice: Text
    starting_trust: Trust
    trust_gain: Temperament = 1.0
    trust_loss: Temperament = 1.0
    resolve_trust: Trust
    walkout_trust: Trust
    patience: Patience = 3

    @model_validator(mode="after")
    def _voice_exists(self) -> Self:
        known = voice_preset_names()
        if self.voice not in known:
            raise _problem(
                ("voice",),
                f"unknown voice {self.voice!r} (voices in assets/voices: {', '.join(known)})",
            )
        return self

    @model_validator(mode="after")
    def _thresholds_in_order(self) -> Self:
        if not self.walkout_trust < self.starting_trust < self.resolve_trust:
            raise _problem(
                ("starting_trust",),
                f"must lie between walkout_trust ({self.walkout_trust}) and "
                f"resolve_trust ({self.resolve_trust}), got {self.starting_trust}",
            )
        return self


class Concern(_Part):
    """Something the customer needs answered; `cues` are phrases that show a reply addressed it."""

    id: Slug
    description: Text
    cues: Lines
    key: bool = False


class LinePool(_Part):
    """Lines the customer may say; one is picked at random and never said twice in a call."""

    lines: Lines


class Stage(_Part):
    """One step of the call: the concern the customer presses, worded by how the last reply went."""

    id: Slug
    concern: Slug
    hint: Text
    model_replies: Lines
    warmer: Lines
    neutral: Lines
    colder: Lines

    def lines(self, reaction: str) -> tuple[str, ...]:
        """The lines for "warmer", "neutral" or "colder"."""
        pools = {"warmer": self.warmer, "neutral": self.neutral, "colder": self.colder}
        return pools[reaction]

    @property
    def all_lines(self) -> frozenset[str]:
        return frozenset((*self.warmer, *self.neutral, *self.colder))


class Endings(_Part):
    """The customer's last words for each way a call can end."""

    resolved: Lines
    walked_out: Lines
    turn_limit: Lines


class Scenario(_Part):
    """A complete practice call, validated: every reference resolves and no line has to repeat."""

    id: Slug
    title: Text
    difficulty: Difficulty
    summary: Text
    max_turns: Annotated[int, Field(ge=2, le=40)]
    debrief: Text
    # For the trainer only, shown in the debrief after the call: the facts the trainee should
    # find out by asking or looking (what the account shows, what really happened).
    trainer_note: Text | None = None
    persona: Persona
    concerns: Annotated[tuple[Concern, ...], Field(min_length=1)]
    opening: LinePool
    stages: Annotated[tuple[Stage, ...], Field(min_length=4)]
    escalation: LinePool
    de_escalation: LinePool
    endings: Endings
    # The file it was loaded from: set by load_scenario, never by the file itself.
    _source: Path | None = PrivateAttr(default=None)

    @property
    def source(self) -> Path | None:
        return self._source

    @model_validator(mode="before")
    @classmethod
    def _difficulty_fills_the_persona(cls, data: object) -> object:
        if not isinstance(data, dict):
            return data
        defaults = DIFFICULTY_DEFAULTS.get(str(data.get("difficulty")))
        persona = data.get("persona")
        if defaults is None or not isinstance(persona, dict):
            return data
        return {**data, "persona": {**defaults, **persona}}

    @model_validator(mode="after")
    def _references_resolve(self) -> Self:
        _require_unique("concerns", [concern.id for concern in self.concerns])
        _require_unique("stages", [stage.id for stage in self.stages])
        known = [concern.id for concern in self.concerns]
        for index, stage in enumerate(self.stages):
            if stage.concern not in known:
                raise _problem(
                    ("stages", index, "concern"),
                    f"unknown concern {stage.concern!r} (declared: {', '.join(known)})",
                )
        # The customer says at most one line per reply before the call ends; if a stage and the
        # shared pools hold that many distinct lines, the customer never has to repeat a line.
        needed = self.max_turns - 1
        shared = set(self.escalation.lines) | set(self.de_escalation.lines)
        for index, stage in enumerate(self.stages):
            available = len(stage.all_lines | shared)
            if available < needed:
                raise _problem(
                    ("stages", index),
                    f"has {available} distinct lines counting escalation and de_escalation; "
                    f"max_turns {self.max_turns} needs at least {needed} so no line repeats",
                )
        return self

    @property
    def key_concerns(self) -> frozenset[str]:
        """Concerns that must all be addressed before the call can end resolved."""
        return frozenset(concern.id for concern in self.concerns if concern.key)


def _require_unique(field: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for index, item_id in enumerate(ids):
        if item_id in seen:
            raise _problem((field, index, "id"), f"duplicate id {item_id!r}")
        seen.add(item_id)


class ScenarioError(Exception):
    """A scenario file that cannot be used, explained in one line for the CLI and the window."""

    def __init__(self, file: Path, field: str, message: str, line: int | None = None) -> None:
        self.file = file
        self.field = field
        self.message = message
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.field}: " if self.field else ""
        at_line = f" (line {self.line})" if self.line is not None else ""
        return f"{self.file.name}: {where}{self.message}{at_line}"


def load_scenario(path: Path) -> Scenario:
    """Read and validate one scenario file, or raise ScenarioError saying what is wrong."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError(path, "", "file not found") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ScenarioError(path, "", f"cannot be read: {error}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise _syntax_error(path, text, error) from None
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as error:
        raise _schema_error(path, text, error) from None
    scenario._source = path
    return scenario


def load_scenarios(folders: Sequence[Path]) -> tuple[list[Scenario], list[ScenarioError]]:
    """Every scenario in the folders, sorted by title, with the files that could not be used.

    A missing folder holds no scenarios. A broken file never stops the others loading; a file
    repeating an id already loaded is reported instead of silently replacing it.
    """
    scenarios: list[Scenario] = []
    errors: list[ScenarioError] = []
    loaded_from: dict[str, Path] = {}
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            try:
                scenario = load_scenario(path)
            except ScenarioError as error:
                errors.append(error)
                continue
            if scenario.id in loaded_from:
                first = loaded_from[scenario.id]
                errors.append(
                    ScenarioError(path, "id", f"{scenario.id!r} is already used by {first}")
                )
                continue
            loaded_from[scenario.id] = path
            scenarios.append(scenario)
    scenarios.sort(key=lambda scenario: (scenario.title.casefold(), scenario.id))
    return scenarios, errors


def find_scenario(scenarios: Iterable[Scenario], scenario_id: str) -> Scenario:
    """The scenario with this id; LookupError lists the ids there are."""
    candidates = list(scenarios)
    for scenario in candidates:
        if scenario.id == scenario_id:
            return scenario
    known = ", ".join(sorted(scenario.id for scenario in candidates)) or "none"
    raise LookupError(f"no scenario {scenario_id!r}; known scenarios: {known}")


def _syntax_error(path: Path, text: str, error: tomllib.TOMLDecodeError) -> ScenarioError:
    # tomllib ends its message with "(at line 4, column 9)" or "(at end of document)"; keep the
    # words and report the line separately, as for every other error.
    message = str(error)
    position = re.search(r"\s*\(at (?:line (\d+), column \d+|end of document)\)$", message)
    line: int | None = None
    if position:
        message = message[: position.start()]
        line = int(position.group(1)) if position.group(1) else max(1, len(text.splitlines()))
    return ScenarioError(path, "", f"TOML syntax error: {message}", line)


_FRIENDLY_MESSAGES = {
    "extra_forbidden": "not a field of the scenario format (check the spelling)",
    "missing": "missing (this field is required)",
    "string_pattern_mismatch": "must be lowercase words joined by hyphens, like 'card-fraud'",
}


def _schema_error(path: Path, text: str, error: ValidationError) -> ScenarioError:
    problems = error.errors()
    first = problems[0]
    location: tuple[str | int, ...] = tuple(first["loc"])
    context = first.get("ctx") or {}
    if first["type"] == "scenario":
        location += tuple(context["path"])
        message = str(context["message"])
    else:
        message = _FRIENDLY_MESSAGES.get(first["type"], first["msg"])
    if len(problems) > 1:
        others = len(problems) - 1
        message += f" (and {others} more problem{'s' if others > 1 else ''})"
    field = ".".join(str(part) for part in location)
    return ScenarioError(path, field, message, _line_of(text, location))


_TABLE_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?")
_KEY = re.compile(r"^\s*([A-Za-z0-9_.\-\s\"']+?)\s*=")


def _line_of(text: str, location: tuple[str | int, ...]) -> int | None:
    """The line where a field (or the nearest table or key holding it) is written.

    Best effort over the common shapes of a scenario file: `[table]`, `[[array]]` and `key =`.
    """
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
            keys = tuple(part.strip().strip("\"'") for part in key.group(1).split("."))
            first_line.setdefault((*table, *keys), number)
    wanted = tuple(str(part) for part in location)
    for length in range(len(wanted), 0, -1):
        if wanted[:length] in first_line:
            return first_line[wanted[:length]]
    return None


def _resolve_table(dotted: str, array_counts: dict[tuple[str, ...], int]) -> tuple[str, ...]:
    # `[stages.extra]` inside the third `[[stages]]` belongs to stages.2.extra.
    *parents, name = (piece.strip().strip("\"'") for piece in dotted.split("."))
    resolved: tuple[str, ...] = ()
    for part in parents:
        resolved = (*resolved, part)
        if resolved in array_counts:
            resolved = (*resolved, str(array_counts[resolved]))
    return (*resolved, name)
