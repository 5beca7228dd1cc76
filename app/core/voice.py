"""Voice figures of a spoken reply, used for composure: computed from audio by app.audio."""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import ClassVar


@dataclass(frozen=True)
class VoiceFeatures:
    """Measured figures of one spoken reply. None means it could not be measured.

    Loudness is in dB relative to full scale (dBFS) over the voiced part of the audio; pitch is
    in semitones above 100 Hz, so a rise of 12 is an octave whoever speaks.
    """

    words_per_minute: float | None
    pause_count: int
    longest_pause_seconds: float
    loudness_db: float | None
    loudness_variation_db: float | None
    pitch_semitones_variation: float | None = None
    start_delay_seconds: float | None = None
    pitch_semitones: float | None = None
    pitch_hz: float | None = None
    # Hesitation sounds ("um", "uh", drawn-out vowels) heard in the audio, which recognisers
    # usually leave out of the transcript; per minute of speech.
    hesitation_count: int = 0
    hesitations_per_minute: float | None = None
    speaking_seconds: float | None = None

    # Reference ranges a calm, clear reply falls in; shown beside every figure.
    WORDS_PER_MINUTE_RANGE: ClassVar[tuple[float, float]] = (100.0, 165.0)
    LONGEST_PAUSE_RANGE: ClassVar[tuple[float, float]] = (0.0, 2.0)
    HESITATIONS_PER_MINUTE_RANGE: ClassVar[tuple[float, float]] = (0.0, 4.0)
    # Speech recorded at a usual microphone level; above this it is shouted or too close.
    LOUDNESS_DB_RANGE: ClassVar[tuple[float, float]] = (-40.0, -12.0)
    LOUDNESS_VARIATION_DB_RANGE: ClassVar[tuple[float, float]] = (2.0, 10.0)
    PITCH_VARIATION_SEMITONES_RANGE: ClassVar[tuple[float, float]] = (1.0, 5.0)
    START_DELAY_RANGE: ClassVar[tuple[float, float]] = (0.0, 3.0)
    # Against the trainee's own calm baseline: how far a figure may move before it shows stress.
    BASELINE_LOUDER_DB: ClassVar[float] = 6.0
    BASELINE_HIGHER_SEMITONES: ClassVar[float] = 2.0
    BASELINE_FASTER_SHARE: ClassVar[float] = 0.2

    def to_json(self) -> dict[str, object]:
        """Every measured figure with its unit and reference range (None when not measured)."""
        ranges = {
            "words_per_minute": self.WORDS_PER_MINUTE_RANGE,
            "longest_pause_seconds": self.LONGEST_PAUSE_RANGE,
            "hesitations_per_minute": self.HESITATIONS_PER_MINUTE_RANGE,
            "loudness_db": self.LOUDNESS_DB_RANGE,
            "loudness_variation_db": self.LOUDNESS_VARIATION_DB_RANGE,
            "pitch_semitones_variation": self.PITCH_VARIATION_SEMITONES_RANGE,
            "start_delay_seconds": self.START_DELAY_RANGE,
        }
        result: dict[str, object] = {}
        for field in fields(self):
            value = getattr(self, field.name)
            shown = round(value, 2) if isinstance(value, float) else value
            span = ranges.get(field.name)
            result[field.name] = {"value": shown, "range": list(span) if span else None}
        return result


def voice_from_figures(figures: Mapping[str, object]) -> VoiceFeatures | None:
    """Voice figures stored by name back as VoiceFeatures; None when they do not fit (stored by
    another version)."""
    known = {field.name for field in fields(VoiceFeatures)}
    try:
        return VoiceFeatures(**{k: v for k, v in figures.items() if k in known})  # type: ignore[arg-type]
    except TypeError:
        return None


def baseline_from(voices: Sequence[VoiceFeatures]) -> VoiceFeatures | None:
    """The trainee's usual voice: the median of each figure over earlier replies.

    None until there are replies to go by. Medians, so one tense reply does not shift it.
    """
    if not voices:
        return None

    def median(name: str) -> float | None:
        values = [getattr(voice, name) for voice in voices if getattr(voice, name) is not None]
        return float(statistics.median(values)) if values else None

    return VoiceFeatures(
        words_per_minute=median("words_per_minute"),
        pause_count=round(statistics.median(voice.pause_count for voice in voices)),
        longest_pause_seconds=float(
            statistics.median(voice.longest_pause_seconds for voice in voices)
        ),
        loudness_db=median("loudness_db"),
        loudness_variation_db=median("loudness_variation_db"),
        pitch_semitones_variation=median("pitch_semitones_variation"),
        start_delay_seconds=median("start_delay_seconds"),
        pitch_semitones=median("pitch_semitones"),
        pitch_hz=median("pitch_hz"),
        hesitation_count=round(statistics.median(voice.hesitation_count for voice in voices)),
        hesitations_per_minute=median("hesitations_per_minute"),
        speaking_seconds=median("speaking_seconds"),
    )
