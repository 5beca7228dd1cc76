"""Voice presets: how a customer persona sounds, independent of the speech engine.

A preset is a small TOML file in assets/voices/ (name, language, gender, age, speaking rate,
pitch and volume) plus how each mood changes them: an agitated customer speaks faster, louder
and higher than a calm one. The speech engine picks its closest voice from these figures.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Annotated, Literal, cast

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from app.paths import VOICES_DIR

MOODS = ("calm", "wary", "agitated", "angry")
Mood = Literal["calm", "wary", "agitated", "angry"]

# The speaking rates (words per minute) every engine here can produce.
MIN_RATE = 80
MAX_RATE = 450

PRESET_NAME_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
# A language tag such as "en-GB" or "en-US".
LANGUAGE_PATTERN = r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$"

Multiplier = Annotated[float, Field(gt=0, le=3)]
# Piper's voice names: language_REGION-name-quality ("en_GB-alba-medium").
VOICE_PACK_PATTERN = r"^[A-Za-z0-9_.-]{1,80}$"


class MoodModulation(BaseModel):
    """Multipliers applied to the preset's rate, pitch and volume in one mood (1.0 = unchanged)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rate: Multiplier = 1.0
    pitch: Multiplier = 1.0
    volume: Multiplier = 1.0


class VoicePreset(BaseModel):
    """How one customer persona sounds. Moods left out of the file speak as the base voice."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: Annotated[str, StringConstraints(pattern=PRESET_NAME_PATTERN)]
    description: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
    language: Annotated[str, StringConstraints(pattern=LANGUAGE_PATTERN)]
    gender: Literal["female", "male"]
    age: Literal["young", "middle", "older"]
    rate: Annotated[int, Field(ge=MIN_RATE, le=MAX_RATE)]
    pitch: Annotated[int, Field(ge=0, le=100)] = 50
    volume: Annotated[float, Field(ge=0, le=1)] = 1.0
    moods: dict[Mood, MoodModulation] = Field(default_factory=dict)
    # Neural (Piper) voice packs that suit this persona, best first, by file name without
    # ".onnx" ("en_US-joe-medium"): the first one installed speaks for the persona, and
    # espeak-ng does when none is.
    neural_voices: tuple[Annotated[str, StringConstraints(pattern=VOICE_PACK_PATTERN)], ...] = ()

    def modulation(self, mood: str) -> MoodModulation:
        """How this mood changes the base voice (multipliers; 1.0 = unchanged)."""
        if mood not in MOODS:
            raise VoicePresetError(f"unknown mood {mood!r}: expected one of {', '.join(MOODS)}")
        return self.moods.get(cast(Mood, mood), MoodModulation())

    def effective(self, mood: str) -> tuple[int, int, float]:
        """Rate (words per minute), pitch (0-100) and volume (0-1) to speak with in this mood."""
        if mood not in MOODS:
            raise VoicePresetError(f"unknown mood {mood!r}: expected one of {', '.join(MOODS)}")
        modulation = self.moods.get(cast(Mood, mood), MoodModulation())
        rate = round(self.rate * modulation.rate)
        pitch = round(self.pitch * modulation.pitch)
        volume = round(self.volume * modulation.volume, 3)
        return (
            min(max(rate, MIN_RATE), MAX_RATE),
            min(max(pitch, 0), 100),
            min(max(volume, 0.0), 1.0),
        )


class VoicePresetError(Exception):
    """A voice preset that cannot be used, explained in one line for the CLI and the window."""


def voice_preset_names(directory: Path = VOICES_DIR) -> list[str]:
    """The names of the presets in the folder, sorted (a missing folder holds none)."""
    if not directory.is_dir():
        return []
    return sorted(path.stem for path in directory.glob("*.toml"))


def load_voice_preset(name: str, directory: Path = VOICES_DIR) -> VoicePreset:
    """The preset called `name` (its file name without .toml), or VoicePresetError."""
    if not re.fullmatch(PRESET_NAME_PATTERN, name) or not (directory / f"{name}.toml").is_file():
        known = ", ".join(voice_preset_names(directory)) or "none"
        raise VoicePresetError(f"unknown voice {name!r}; known voices: {known}")
    return load_voice_preset_file(directory / f"{name}.toml")


def load_voice_preset_file(path: Path) -> VoicePreset:
    """Read and validate one preset file; errors name the file and the field."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise VoicePresetError(f"{path.name}: cannot be read: {error}") from None
    except tomllib.TOMLDecodeError as error:
        raise VoicePresetError(f"{path.name}: TOML syntax error: {error}") from None
    try:
        preset = VoicePreset.model_validate(data)
    except ValidationError as error:
        raise VoicePresetError(_describe(path, error)) from None
    if preset.name != path.stem:
        raise VoicePresetError(
            f"{path.name}: name: {preset.name!r} must match the file name {path.stem!r}"
        )
    return preset


_FRIENDLY_MESSAGES = {
    "extra_forbidden": "not a field of the voice preset format (check the spelling)",
    "missing": "missing (this field is required)",
}


def _describe(path: Path, error: ValidationError) -> str:
    problems = error.errors()
    first = problems[0]
    field = ".".join(str(part) for part in first["loc"])
    message = _FRIENDLY_MESSAGES.get(first["type"], first["msg"])
    if first["type"] == "literal_error" and first["loc"][0] == "moods":
        message = f"not a mood: expected one of {', '.join(MOODS)}"
    if len(problems) > 1:
        others = len(problems) - 1
        message += f" (and {others} more problem{'s' if others > 1 else ''})"
    return f"{path.name}: {field}: {message}"
