"""Scenario files: who the customer is, what worries them and what they say at each stage.

Scenarios are TOML data, never code, so trainers can write new calls without touching the
program. A broken file is reported in one line naming the file, the field and (when it can be
found) the line, so its author can fix it without reading a traceback.
"""

from __future__ import annotations

import tomllib
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Annotated, Literal, Self, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    Strict,
    StringConstraints,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError

from app.core.scenario_errors import (
    ScenarioError,
    number_too_long,
    schema_error,
    syntax_error,
)
from app.core.voice_preset import voice_preset_names

__all__ = ["Scenario", "ScenarioError", "find_scenario", "load_scenario", "load_scenarios"]

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


def _no_control_characters(text: str) -> str:
    # Escape sequences (ESC [2J, OSC titles ending in BEL) would reach the trainee's terminal
    # and be stored with every call; line breaks and tabs are ordinary text.
    for character in text:
        if character not in "\n\t" and unicodedata.category(character) == "Cc":
            raise PydanticCustomError(
                "control_character",
                "contains the control character {code} (remove it; only text is allowed)",
                {"code": f"U+{ord(character):04X}"},
            )
    return text


# Strict scalars: TOML has real booleans and numbers, so "yes" or "5" in quotes is a mistake.
Text = Annotated[
    str,
    Strict(),
    StringConstraints(strip_whitespace=True, min_length=1),
    AfterValidator(_no_control_characters),
]
Slug = Annotated[str, Strict(), StringConstraints(pattern=SLUG_PATTERN)]
Lines = Annotated[tuple[Text, ...], Field(min_length=1)]
Trust = Annotated[int, Strict(), Field(ge=0, le=100)]
Temperament = Annotated[float, Field(gt=0, le=5)]
Patience = Annotated[int, Strict(), Field(ge=1, le=10)]
Difficulty = Literal["easy", "standard", "hard", "expert"]
DIFFICULTIES: tuple[str, ...] = ("easy", "standard", "hard", "expert")
# The techniques the training names, by the scorer's component names (docs/evaluation.md): a
# scenario lists those it trains, so the library can be checked to cover each of them.
Technique = Literal[
    "acknowledges_feeling",
    "validates",
    "apology",
    "active_listening",
    "answers_question",
    "transparency",
    "next_step",
    "checks_understanding",
    "safety",
    "respect",
    "calm_wording",
    "not_defensive",
    "concise",
    "boundary",
]
TECHNIQUES: tuple[str, ...] = get_args(Technique)

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
    # Quick to escalate: one poor reply is enough, a fall costs nearly double, and several key
    # concerns must all be answered before trust is high enough.
    "expert": {
        "starting_trust": 15,
        "trust_gain": 0.6,
        "trust_loss": 1.8,
        "resolve_trust": 82,
        "walkout_trust": 5,
        "patience": 1,
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
    key: Annotated[bool, Strict()] = False
    # What the customer says once the question has been dodged twice in a row ("You still
    # haven't told me why you need my date of birth."); each is said at most once a call.
    unanswered: tuple[Text, ...] = ()


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
    max_turns: Annotated[int, Strict(), Field(ge=2, le=40)]
    debrief: Text
    # For the trainer only, shown in the debrief after the call: the facts the trainee should
    # find out by asking or looking (what the account shows, what really happened).
    trainer_note: Text | None = None
    techniques: tuple[Technique, ...] = ()
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


# What people write scenarios in by mistake: named, rather than parsed as broken TOML.
NOT_TOML_SUFFIXES = (".yaml", ".yml", ".json")


def load_scenario(path: Path) -> Scenario:
    """Read and validate one scenario file, or raise ScenarioError saying what is wrong."""
    if path.suffix.lower() in NOT_TOML_SUFFIXES:
        raise ScenarioError(
            path, "", f"scenarios are TOML files (.toml), not {path.suffix.lstrip('.').upper()}"
        )
    try:
        # utf-8-sig: a byte-order mark from a Windows editor is not part of the text.
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ScenarioError(path, "", "file not found") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ScenarioError(path, "", f"cannot be read: {error}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise syntax_error(path, text, error) from None
    except RecursionError:
        raise ScenarioError(path, "", "nested too deeply to be a scenario") from None
    except ValueError:
        # Python's limit on integer digits, raised bare by tomllib.
        raise number_too_long(path, text) from None
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as error:
        raise schema_error(path, text, error) from None
    except RecursionError:
        raise ScenarioError(path, "", "nested too deeply to be a scenario") from None
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
        for path in scenario_files(folder):
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


def scenario_files(folder: Path) -> list[Path]:
    """The scenario files of a folder, and files that look meant as scenarios but are not TOML."""
    return sorted(
        path
        for path in folder.iterdir()
        if path.is_file() and path.suffix.lower() in (".toml", *NOT_TOML_SUFFIXES)
    )


def find_scenario(scenarios: Iterable[Scenario], scenario_id: str) -> Scenario:
    """The scenario with this id; LookupError lists the ids there are."""
    candidates = list(scenarios)
    for scenario in candidates:
        if scenario.id == scenario_id:
            return scenario
    known = ", ".join(sorted(scenario.id for scenario in candidates)) or "none"
    raise LookupError(f"no scenario {scenario_id!r}; known scenarios: {known}")
