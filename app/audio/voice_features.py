"""Voice figures of a spoken reply (pace, pauses, loudness) for the composure score."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from app.core.ports import SAMPLE_RATE, Samples
from app.core.transcript import Word
from app.core.voice import VoiceFeatures

# A silence longer than this is heard as a pause rather than as word spacing.
PAUSE_SECONDS = 0.35
FRAME_SECONDS = 0.030
# Frames quieter than this are silence whatever the recording level.
SILENCE_DBFS = -55.0
# Where voice starts between the room's noise floor and the speech level (0 = floor, 1 = speech):
# judged relative to both, so a noisy room does not hide pauses and a quiet voice still counts.
VOICE_THRESHOLD_FRACTION = 0.35
# Pace is meaningless over a word or two, or over a fraction of a second.
MIN_WORDS_FOR_PACE = 3
MIN_SECONDS_FOR_PACE = 1.0

Levels = NDArray[np.float64]


def measure_voice(samples: Samples, words: Sequence[Word]) -> VoiceFeatures:
    """Pace from the word timings; pauses and loudness from the audio.

    Whisper stretches word timings over the silences next to them, so pauses are found in the
    audio; the word timings are used only when the audio holds no voice to measure.
    """
    levels = frame_levels_dbfs(np.asarray(samples, dtype=np.float32))
    voiced = _voiced_frames(levels)
    if voiced.any():
        pauses = _pauses_in_audio(voiced)
        voiced_levels = levels[voiced]
        loudness_db: float | None = float(np.mean(voiced_levels))
        loudness_variation_db: float | None = float(np.std(voiced_levels))
    else:
        pauses = _pauses_between_words(words)
        loudness_db = loudness_variation_db = None
    return VoiceFeatures(
        words_per_minute=_words_per_minute(words),
        pause_count=len(pauses),
        longest_pause_seconds=max(pauses, default=0.0),
        loudness_db=loudness_db,
        loudness_variation_db=loudness_variation_db,
    )


def frame_levels_dbfs(samples: Samples) -> Levels:
    """RMS level in dBFS of each 30 ms frame (a trailing partial frame is dropped)."""
    frame_length = int(SAMPLE_RATE * FRAME_SECONDS)
    frame_count = len(samples) // frame_length
    if frame_count == 0:
        return np.zeros(0, dtype=np.float64)
    frames = samples[: frame_count * frame_length].astype(np.float64).reshape(frame_count, -1)
    rms = np.sqrt(np.mean(frames**2, axis=1))
    return np.asarray(20.0 * np.log10(np.maximum(rms, 1e-10)), dtype=np.float64)


def _voiced_frames(levels: Levels) -> NDArray[np.bool_]:
    if levels.size == 0:
        return np.zeros(0, dtype=np.bool_)
    noise_floor, speech_level = np.percentile(levels, [10, 95])
    threshold = max(
        SILENCE_DBFS, noise_floor + VOICE_THRESHOLD_FRACTION * (speech_level - noise_floor)
    )
    return np.asarray(levels > threshold, dtype=np.bool_)


def _pauses_in_audio(voiced: NDArray[np.bool_]) -> list[float]:
    """Lengths of the silences between the first and the last voiced frame."""
    voiced_at = np.flatnonzero(voiced)
    inner = voiced[voiced_at[0] : voiced_at[-1] + 1]
    pauses = []
    silent_frames = 0
    for is_voiced in inner:
        if is_voiced:
            if silent_frames * FRAME_SECONDS > PAUSE_SECONDS:
                pauses.append(silent_frames * FRAME_SECONDS)
            silent_frames = 0
        else:
            silent_frames += 1
    return pauses


def _pauses_between_words(words: Sequence[Word]) -> list[float]:
    gaps = (later.start - earlier.end for earlier, later in itertools.pairwise(words))
    return [gap for gap in gaps if gap > PAUSE_SECONDS]


def _words_per_minute(words: Sequence[Word]) -> float | None:
    if len(words) < MIN_WORDS_FOR_PACE:
        return None
    speaking_seconds = words[-1].end - words[0].start
    if speaking_seconds < MIN_SECONDS_FOR_PACE:
        return None
    return len(words) * 60.0 / speaking_seconds
