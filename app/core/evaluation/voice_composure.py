"""Composure heard in the voice: pace, pauses, hesitation sounds, loudness, pitch, start.

Stress shows differently in every voice, so once the trainee has a calm baseline each figure is
judged against it; before that, against the reference range a calm reply falls in. Every figure
is cited with the range it was judged against.
"""

from __future__ import annotations

from typing import Final

from app.core.evaluation.reading import Judged
from app.core.evaluation.result import Component
from app.core.voice import VoiceFeatures

VOICE_WEIGHTS: Final = {
    "steady_pace": 15,
    "pauses": 10,
    "fillers_heard": 10,
    "steady_volume": 10,
    "steady_pitch": 10,
    "prompt_start": 5,
}
# One hesitation sound in a short reply is normal speech; this many start to count.
HESITATIONS_BEFORE_COUNTING = 2


def judge_voice(voice: VoiceFeatures, baseline: VoiceFeatures | None) -> tuple[Judged, ...]:
    """The voice components that could be measured."""
    judged = []
    if voice.words_per_minute is not None:
        judged.append(_steady_pace(voice.words_per_minute, baseline))
    judged.append(_pauses(voice))
    if voice.hesitations_per_minute is not None:
        judged.append(_fillers_heard(voice))
    if voice.loudness_db is not None:
        judged.append(_steady_volume(voice, baseline))
    if voice.pitch_semitones is not None:
        judged.append(_steady_pitch(voice, baseline))
    if voice.start_delay_seconds is not None:
        judged.append(_prompt_start(voice.start_delay_seconds))
    return tuple(judged)


def _score(shortfall: float, points_per_unit: float) -> int:
    return max(0, min(100, round(100 - points_per_unit * max(0.0, shortfall))))


def _steady_pace(words_per_minute: float, baseline: VoiceFeatures | None) -> Judged:
    low, high = VoiceFeatures.WORDS_PER_MINUTE_RANGE
    figure = f"{words_per_minute:.0f} words a minute (calm range {low:.0f}-{high:.0f})"
    distance = low - words_per_minute if words_per_minute < low else words_per_minute - high
    score = _score(distance, 2.5)
    evidence = [figure]
    usual = baseline.words_per_minute if baseline else None
    if usual:
        faster_than_usual = words_per_minute - usual * (1 + VoiceFeatures.BASELINE_FASTER_SHARE)
        evidence.append(
            f"your usual pace is {usual:.0f} words a minute (calm: up to "
            f"{usual * (1 + VoiceFeatures.BASELINE_FASTER_SHARE):.0f})"
        )
        score = min(score, _score(faster_than_usual, 2.5))
    if score == 100:
        return Judged(Component("steady_pace", 100, tuple(evidence)))
    if words_per_minute < low:
        tip = f"Pick up the pace a little: {words_per_minute:.0f} words a minute sounds hesitant."
    else:
        tip = f"Slow down: {words_per_minute:.0f} words a minute sounds rushed; aim for about 140."
    return Judged(Component("steady_pace", score, tuple(evidence)), tip)


def _pauses(voice: VoiceFeatures) -> Judged:
    _, longest_allowed = VoiceFeatures.LONGEST_PAUSE_RANGE
    longest = voice.longest_pause_seconds
    pauses = "1 pause" if voice.pause_count == 1 else f"{voice.pause_count} pauses"
    figure = f"{pauses}, the longest {longest:.1f} s (calm up to {longest_allowed:.1f} s)"
    if longest <= longest_allowed:
        return Judged(Component("pauses", 100, (figure,)))
    return Judged(
        Component("pauses", _score(longest - longest_allowed, 30), (figure,)),
        f"Keep pauses under {longest_allowed:.0f} s: if you need time, say "
        '"Let me just check that for you."',
    )


def _fillers_heard(voice: VoiceFeatures) -> Judged:
    rate = voice.hesitations_per_minute or 0.0
    _, calm_rate = VoiceFeatures.HESITATIONS_PER_MINUTE_RANGE
    count = voice.hesitation_count
    sounds = "1 hesitation sound" if count == 1 else f"{count} hesitation sounds"
    figure = f"{sounds} ({rate:.0f} a minute; calm up to {calm_rate:.0f})"
    if count < HESITATIONS_BEFORE_COUNTING or rate <= calm_rate:
        return Judged(Component("fillers_heard", 100, (figure,)))
    return Judged(
        Component("fillers_heard", _score(rate - calm_rate, 8), (figure,)),
        'Swap "um" and "uh" for a short silent pause: it sounds surer.',
    )


def _steady_volume(voice: VoiceFeatures, baseline: VoiceFeatures | None) -> Judged:
    level = voice.loudness_db
    assert level is not None
    low, high = VoiceFeatures.LOUDNESS_DB_RANGE
    usual = baseline.loudness_db if baseline else None
    if usual is not None:
        allowed = VoiceFeatures.BASELINE_LOUDER_DB
        louder = level - usual
        evidence = [
            f"{level:.0f} dBFS, {louder:+.0f} dB against your usual {usual:.0f} dBFS "
            f"(calm: within {allowed:.0f} dB)"
        ]
        score = _score(louder - allowed, 12)
    else:
        evidence = [f"{level:.0f} dBFS (calm range {low:.0f} to {high:.0f} dBFS)"]
        score = _score(level - high, 12)
    variation = voice.loudness_variation_db
    if variation is not None:
        low_var, high_var = VoiceFeatures.LOUDNESS_VARIATION_DB_RANGE
        evidence.append(
            f"loudness varies by {variation:.1f} dB (calm range {low_var:.0f}-{high_var:.0f} dB)"
        )
        score = min(score, _score(variation - high_var, 10))
    if score == 100:
        return Judged(Component("steady_volume", 100, tuple(evidence)))
    return Judged(
        Component("steady_volume", score, tuple(evidence)),
        "Bring your voice down to your usual level: a raised voice sounds like a row.",
    )


def _steady_pitch(voice: VoiceFeatures, baseline: VoiceFeatures | None) -> Judged:
    level = voice.pitch_semitones
    assert level is not None
    hertz = f" ({voice.pitch_hz:.0f} Hz)" if voice.pitch_hz else ""
    usual = baseline.pitch_semitones if baseline else None
    score = 100
    if usual is not None:
        allowed = VoiceFeatures.BASELINE_HIGHER_SEMITONES
        higher = level - usual
        evidence = [
            f"pitch {level:.1f} semitones above 100 Hz{hertz}, {higher:+.1f} against your usual "
            f"(calm: within {allowed:.0f})"
        ]
        score = _score(higher - allowed, 20)
    else:
        evidence = [
            f"pitch {level:.1f} semitones above 100 Hz{hertz} (judged once you have a baseline)"
        ]
    variation = voice.pitch_semitones_variation
    if variation is not None:
        low_var, high_var = VoiceFeatures.PITCH_VARIATION_SEMITONES_RANGE
        evidence.append(
            f"pitch varies by {variation:.1f} semitones (calm range {low_var:.0f}-{high_var:.0f})"
        )
        score = min(score, _score(variation - high_var, 15))
    if score == 100:
        return Judged(Component("steady_pitch", 100, tuple(evidence)))
    return Judged(
        Component("steady_pitch", score, tuple(evidence)),
        "Let your voice settle lower: breathe out before you answer.",
    )


def _prompt_start(delay: float) -> Judged:
    _, calm_delay = VoiceFeatures.START_DELAY_RANGE
    figure = f"started after {delay:.1f} s (calm up to {calm_delay:.0f} s)"
    if delay <= calm_delay:
        return Judged(Component("prompt_start", 100, (figure,)))
    return Judged(
        Component("prompt_start", _score(delay - calm_delay, 15), (figure,)),
        'Start sooner, even with "Let me look at that for you": silence worries them.',
    )
