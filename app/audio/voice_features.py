"""Voice figures of a spoken reply (pace, pauses, hesitations, loudness, pitch) for composure.

Pitch comes from Praat's autocorrelation pitch tracker (praat-parselmouth): it is the standard
tool of speech research, robust on ordinary microphones, and fast enough (about 20 ms for ten
seconds of speech) to run after every reply.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import numpy as np
import parselmouth
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
# Pitch of speech lies in this band for adult voices; measured every 15 ms.
PITCH_FLOOR_HZ, PITCH_CEILING_HZ, PITCH_STEP_SECONDS = 75.0, 500.0, 0.015
PITCH_REFERENCE_HZ = 100.0
# A sound the recogniser left out: voice at least this long outside every recognised word,
# allowing for the slack of word timings.
HESITATION_MIN_SECONDS = 0.2
WORD_TIMING_SLACK = 0.15
HESITATION_BELOW_SPEECH_DB = 6.0
# A drawn-out "uhhh": voiced, pitch held within this many semitones from step to step, this long.
DRAWL_STEP_SEMITONES = 0.25
DRAWL_MIN_SECONDS = 0.6

Levels = NDArray[np.float64]


def measure_voice(
    samples: Samples, words: Sequence[Word], start_delay_seconds: float | None = None
) -> VoiceFeatures:
    """Pace from the word timings; pauses, hesitations, loudness and pitch from the audio.

    Whisper stretches word timings over the silences next to them, so pauses are found in the
    audio; the word timings are used only when the audio holds no voice to measure.
    `start_delay_seconds` is how long the trainee took to begin, when the caller knows it.
    """
    audio = np.asarray(samples, dtype=np.float32)
    levels = frame_levels_dbfs(audio)
    voiced = _voiced_frames(levels)
    loudness_db = loudness_variation_db = None
    pitch_level = pitch_variation = pitch_hz = None
    hesitations = 0
    if voiced.any():
        pauses = _pauses_in_audio(voiced)
        voiced_levels = levels[voiced]
        loudness_db = float(np.mean(voiced_levels))
        loudness_variation_db = float(np.std(voiced_levels))
        track = _pitch_track(audio)
        semitones = _semitones(track[track > 0])
        if semitones.size:
            pitch_level = float(np.median(semitones))
            pitch_variation = float(np.std(semitones))
            pitch_hz = PITCH_REFERENCE_HZ * 2 ** (pitch_level / 12)
        unrecognised = _unrecognised_sounds(levels, voiced, words)
        drawls = [d for d in _drawls(track) if not any(_overlap(d, u) for u in unrecognised)]
        hesitations = len(unrecognised) + len(drawls)
    else:
        pauses = _pauses_between_words(words)
    speaking_seconds = _speaking_seconds(voiced, words)
    return VoiceFeatures(
        words_per_minute=_words_per_minute(words),
        pause_count=len(pauses),
        longest_pause_seconds=max(pauses, default=0.0),
        loudness_db=loudness_db,
        loudness_variation_db=loudness_variation_db,
        pitch_semitones_variation=pitch_variation,
        start_delay_seconds=start_delay_seconds,
        pitch_semitones=pitch_level,
        pitch_hz=pitch_hz,
        hesitation_count=hesitations,
        hesitations_per_minute=(
            hesitations * 60.0 / speaking_seconds if speaking_seconds else None
        ),
        speaking_seconds=speaking_seconds,
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


def _runs(flags: NDArray[np.bool_]) -> list[tuple[int, int]]:
    """(start, end) frame indexes of each run of True, end exclusive."""
    padded = np.concatenate(([False], flags, [False])).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return [(int(start), int(end)) for start, end in zip(edges[::2], edges[1::2], strict=True)]


def _pauses_in_audio(voiced: NDArray[np.bool_]) -> list[float]:
    """Lengths of the silences between the first and the last voiced frame."""
    voiced_at = np.flatnonzero(voiced)
    inner = voiced[voiced_at[0] : voiced_at[-1] + 1]
    silences = _runs(~inner)
    lengths = [(end - start) * FRAME_SECONDS for start, end in silences]
    return [length for length in lengths if length > PAUSE_SECONDS]


def _pauses_between_words(words: Sequence[Word]) -> list[float]:
    gaps = (later.start - earlier.end for earlier, later in itertools.pairwise(words))
    return [gap for gap in gaps if gap > PAUSE_SECONDS]


def _pitch_track(audio: NDArray[np.float32]) -> NDArray[np.float64]:
    """Pitch in Hz at every step, 0 where there is no voiced sound."""
    if audio.size < SAMPLE_RATE * 0.1:
        return np.zeros(0, dtype=np.float64)
    sound = parselmouth.Sound(audio.astype(np.float64), sampling_frequency=SAMPLE_RATE)
    pitch = sound.to_pitch_ac(
        time_step=PITCH_STEP_SECONDS, pitch_floor=PITCH_FLOOR_HZ, pitch_ceiling=PITCH_CEILING_HZ
    )
    return np.asarray(pitch.selected_array["frequency"], dtype=np.float64)


def _semitones(hertz: NDArray[np.float64]) -> NDArray[np.float64]:
    """Semitones above 100 Hz: equal steps for every voice, low or high."""
    return np.asarray(12.0 * np.log2(hertz / PITCH_REFERENCE_HZ), dtype=np.float64)


Span = tuple[float, float]  # start and end, in seconds


def _overlap(first: Span, second: Span) -> bool:
    return first[0] < second[1] and second[0] < first[1]


def _unrecognised_sounds(
    levels: Levels, voiced: NDArray[np.bool_], words: Sequence[Word]
) -> list[Span]:
    """Voiced stretches outside every recognised word: sounds the recogniser did not write
    down, which in a reply are nearly always "um", "uh" or a false start."""
    if not words:
        return []
    covered = np.zeros(voiced.size, dtype=np.bool_)
    for word in words:
        first = max(0, math.floor((word.start - WORD_TIMING_SLACK) / FRAME_SECONDS))
        last = math.ceil((word.end + WORD_TIMING_SLACK) / FRAME_SECONDS)
        covered[first:last] = True
    # A hesitation is said at speaking level; quieter leftovers are breath or the room.
    speaking_level = float(np.median(levels[voiced])) - HESITATION_BELOW_SPEECH_DB
    return [
        (start * FRAME_SECONDS, end * FRAME_SECONDS)
        for start, end in _runs(voiced & ~covered)
        if (end - start) * FRAME_SECONDS >= HESITATION_MIN_SECONDS
        and float(np.max(levels[start:end])) >= speaking_level
    ]


def _drawls(track: NDArray[np.float64]) -> list[Span]:
    """Drawn-out sounds on one held pitch ("uhhhh"), which the recogniser often writes as
    nothing or folds into the next word."""
    if track.size < 2:
        return []
    semitones = np.full(track.size, np.nan)
    semitones[track > 0] = _semitones(track[track > 0])
    held = np.nan_to_num(np.abs(np.diff(semitones)), nan=99.0) < DRAWL_STEP_SEMITONES
    min_steps = round(DRAWL_MIN_SECONDS / PITCH_STEP_SECONDS)
    return [
        (start * PITCH_STEP_SECONDS, end * PITCH_STEP_SECONDS)
        for start, end in _runs(held)
        if end - start >= min_steps
    ]


def _speaking_seconds(voiced: NDArray[np.bool_], words: Sequence[Word]) -> float | None:
    """From the first to the last sound of the reply."""
    if voiced.any():
        voiced_at = np.flatnonzero(voiced)
        return float((voiced_at[-1] + 1 - voiced_at[0]) * FRAME_SECONDS)
    if words:
        return max(0.0, words[-1].end - words[0].start) or None
    return None


def _words_per_minute(words: Sequence[Word]) -> float | None:
    if len(words) < MIN_WORDS_FOR_PACE:
        return None
    speaking_seconds = words[-1].end - words[0].start
    if speaking_seconds < MIN_SECONDS_FOR_PACE:
        return None
    return len(words) * 60.0 / speaking_seconds
