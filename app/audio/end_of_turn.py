"""When is a spoken reply over? A short silence, then a judgement of whether it is finished.

People leave about 200 ms between turns, but they also pause for a second or more in the middle
of a sentence ("I can see the payment on ... your account"). A fixed silence cannot tell the
two apart: short, it cuts trainees off; long, every answer waits. So after a short silence the
reply is judged from two sides, and it ends at once only when both say it is finished:

- the sound: Smart Turn (app.audio.smart_turn) hears intonation and rhythm;
- the words so far: a reply whose transcript ends on "and", "the", "because", a comma or "..."
  is not finished, whatever its tune.

An unfinished reply is given up to `longest_pause` of silence (at least 2 s) before it ends.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

# Words a finished sentence rarely ends on: a pause after them is a hesitation, not an end.
# Kept to words that almost never end a sentence: "I can do that", "I think so" and "thank
# you" end sentences, so "that", "so" and "you" are not here.
CONTINUATION_WORDS = frozenset(
    {
        *("and", "but", "or", "because", "if", "while", "although", "unless"),
        *("the", "a", "an", "to", "of", "for", "with", "at", "from", "about", "into", "on", "in"),
        *("by", "as", "like"),
        *("my", "your", "our", "their", "his", "her", "its", "than", "um", "uh", "er", "erm"),
        *("i", "we", "i'm", "i'll", "we'll", "we're", "there's", "very", "really"),
    }
)
_UNFINISHED_ENDINGS = (",", "...", "…", "-", ";", ":")


@dataclass(frozen=True)
class TurnTaking:
    """The silences that end a hands-free reply, in seconds from the last voiced audio."""

    # Judged after this much silence (people leave about 0.2 s between turns).
    judge_after: float = 0.2
    # A reply judged unfinished ends after this much silence anyway: long enough for a pause
    # to think (the measured 1.2 s pauses, jfk.flac's 1.1 s), short enough that a
    # trainee who has in fact finished is not left waiting long.
    longest_pause: float = 2.0
    # Smart Turn's output at or above which the sound of the reply counts as finished.
    finished_probability: float = 0.5
    # Words so far are transcribed once this much silence has passed (a short gap between
    # words is shorter: about 0.1 s), when the recogniser is idle (app.audio.turn_hearer).
    transcribe_after: float = 0.15
    # With the recogniser busy, a reply that sounds unfinished is transcribed after this much
    # silence: ready by the longest pause, without queueing a pass for every hesitation.
    transcribe_unfinished_after: float = 1.0

    def __post_init__(self) -> None:
        if self.longest_pause < 2.0:
            raise ValueError("an unfinished reply must be given at least 2 s of silence")
        if not 0.0 < self.transcribe_after <= self.judge_after < self.longest_pause:
            raise ValueError("pauses must grow: transcribe_after <= judge_after < longest_pause")
        if not self.judge_after <= self.transcribe_unfinished_after < self.longest_pause:
            raise ValueError("an unfinished reply is transcribed between judging and giving up")


class Verdict(Enum):
    WAIT = "wait"  # keep listening
    FINISHED = "finished"  # the reply is over: answer now
    TIMED_OUT = "timed out"  # judged unfinished, but the silence reached the longest pause


def words_sound_unfinished(text: str) -> bool:
    """True when a transcript so far stops where no sentence ends ("...and", "the", a comma)."""
    stripped = text.strip()
    if not stripped:
        return True
    if stripped.endswith(_UNFINISHED_ENDINGS):
        return True
    last = stripped.split()[-1].strip(".?!,;:\"'").lower()
    return last in CONTINUATION_WORDS


def verdict(
    rules: TurnTaking,
    silence_seconds: float,
    sound_finished_probability: float | None,
    words_so_far: str | None,
) -> Verdict:
    """The decision at one moment of a silence.

    `sound_finished_probability` is Smart Turn's judgement of this silence, None while it is
    being made (or when no model could load); `words_so_far` the transcript up to this
    silence, None while Whisper is still on it.
    """
    if silence_seconds >= rules.longest_pause:
        return Verdict.TIMED_OUT
    if silence_seconds < rules.judge_after or words_so_far is None:
        return Verdict.WAIT
    if words_sound_unfinished(words_so_far):
        return Verdict.WAIT
    if sound_finished_probability is None:
        return Verdict.WAIT
    if sound_finished_probability >= rules.finished_probability:
        return Verdict.FINISHED
    return Verdict.WAIT
