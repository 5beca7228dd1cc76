"""Voice figures of a spoken reply, used for composure: computed from audio by app.audio."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class VoiceFeatures:
    """Measured figures of one spoken reply. None means it could not be measured."""

    words_per_minute: float | None
    pause_count: int
    longest_pause_seconds: float
    loudness_db: float | None
    loudness_variation_db: float | None
    pitch_semitones_variation: float | None = None
    start_delay_seconds: float | None = None

    # Reference ranges a calm, clear reply falls in; shown beside every figure.
    WORDS_PER_MINUTE_RANGE = (100.0, 165.0)
    LONGEST_PAUSE_RANGE = (0.0, 2.0)
