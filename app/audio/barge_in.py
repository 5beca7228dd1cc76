"""Is the trainee talking over the customer? Their voice, told from the customer's own echo.

While the customer speaks, the microphone hears the trainee and also the customer's voice
coming back from the speakers. Voice-activity detection alone cannot tell the two apart: both
are speech. Two things do:

- the echo is the played line, delayed and scaled: once `EchoCanceller` has found the delay
  (cross-correlation, searched again every 0.25 s), it subtracts the line, and Silero listens
  to what is left;
- loudness: what is left must be `margin_db` louder than the echo could be, from the played
  frames near the delay times the coupling (how much of the speaker reaches the microphone),
  learnt while the customer talks alone. Before the delay is found, the loudest played frame
  within `echo_window` stands in, with a cautious coupling.

The trainee is barging in when both hold for `frames_needed` frames (32 ms each) in a row.
The coupling is a high percentile (90th) of heard-to-played ratios over frames in which
nothing louder than the echo was heard, so the trainee's own speech does not teach it that
the echo is louder than it is, and one odd loud echo frame does not make the trainee harder
to hear.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np

from app.audio.echo import EchoCanceller, resampled
from app.audio.streaming import FRAME_SAMPLES, SpeechDetector
from app.core.ports import SAMPLE_RATE, Samples

FRAME_SECONDS = FRAME_SAMPLES / SAMPLE_RATE
_FLOOR = 1e-10
_DIGITAL_SILENCE = 1e-9
_LAG_FRAMES_NEEDED = 16  # half a second of the echo alone before its delay is trusted
_LAG_HISTORY = 94  # three seconds


@dataclass(frozen=True)
class BargeIn:
    """What counts as the trainee talking over the customer."""

    # 64 ms of speech in a row: a cough or a click is shorter. Measured, 3 frames did not
    # remove the odd false alarm and made stops 0.3-1.8 s instead of 55-85 ms.
    frames_needed: int = 2
    speech_probability: float = 0.6
    margin_db: float = 6.0  # above the loudest echo the played voice could make
    # The echo arrives up to this long after the sample was played (output and input
    # buffers, the room): PulseAudio's virtual devices measured 40-120 ms, rooms add less.
    echo_window: float = 0.4
    # Before any coupling is learnt: the loudest echo assumed, relative to the played voice.
    # Laptop speakers a foot from the microphone couple at about -10 dB; -3 dB is cautious.
    initial_coupling_db: float = -3.0
    learn_percentile: float = 90.0
    learn_frames: int = 20  # played frames needed before the learnt coupling is trusted
    # The most the echo's subtraction is trusted to remove: on the virtual devices it removed
    # 15-28 dB in most frames, but only 6 dB in the worst tenth (a drifting delay).
    max_cancellation_db: float = 6.0


def frame_power(samples: Samples, frame: int) -> Samples:
    """Mean square of each whole frame of `frame` samples."""
    count = samples.size // frame
    if count == 0:
        return np.zeros(0, dtype=np.float32)
    shaped = np.asarray(samples[: count * frame], dtype=np.float32).reshape(count, frame)
    power: Samples = np.mean(shaped**2, axis=1).astype(np.float32)
    return power


class BargeInDetector:
    """Fed the microphone frame by frame while the customer speaks; says when the trainee does.

    Call `playing(samples, sample_rate, started_at)` when a line starts to play (`started_at`
    is the `time.perf_counter()` moment of its first sample at the speaker), then `hear(chunk,
    at)` for each microphone chunk with the moment it arrived.
    """

    def __init__(self, rules: BargeIn | None = None, detector: SpeechDetector | None = None):
        self.rules = rules or BargeIn()
        self._detector = detector or SpeechDetector()
        self._played = np.zeros(0, dtype=np.float32)
        self._started_at = 0.0
        self._pending = np.zeros(0, dtype=np.float32)
        self._run = 0
        self._ratios: deque[float] = deque(maxlen=200)
        self._cancelled_ratios: deque[float] = deque(maxlen=200)
        self._canceller = EchoCanceller(np.zeros(0, dtype=np.float32))
        self._frames_heard = 0
        self._heard: deque[tuple[int, float]] = deque(maxlen=_LAG_HISTORY)
        self._lag: int | None = None
        self._samples_heard = 0
        self._clock = float("inf")
        self.detected_at: float | None = None

    def playing(self, samples: Samples, sample_rate: int, started_at: float) -> None:
        """A new line starts playing; forgets the last one's state but keeps the coupling."""
        reference = resampled(samples, sample_rate)
        self._played = frame_power(reference, FRAME_SAMPLES)
        self._canceller = EchoCanceller(reference)
        self._frames_heard = 0
        self._started_at = started_at
        self._pending = np.zeros(0, dtype=np.float32)
        self._run = 0
        self._heard.clear()
        self._samples_heard = 0
        self._clock = float("inf")
        self._detector.reset()
        self.detected_at = None

    @property
    def playing_since(self) -> float | None:
        """The moment the current line's first sample reached the speaker."""
        return self._started_at if self._played.size else None

    def hear(self, chunk: Samples, arrived_at: float) -> bool:
        """True once the trainee has been talking over the customer for long enough."""
        # When each frame was captured comes from counting samples, not from arrival times,
        # which jitter by tens of milliseconds on a busy machine: the capture clock is placed
        # by the earliest arrival seen relative to the samples counted.
        self._samples_heard += chunk.size
        self._clock = min(self._clock, arrived_at - self._samples_heard / SAMPLE_RATE)
        first_sample = self._samples_heard - chunk.size - self._pending.size
        self._pending = np.concatenate([self._pending, chunk])
        frames = self._pending.size // FRAME_SAMPLES
        for index in range(frames):
            frame = self._pending[index * FRAME_SAMPLES : (index + 1) * FRAME_SAMPLES]
            captured = self._clock + (first_sample + (index + 1) * FRAME_SAMPLES) / SAMPLE_RATE
            if self._frame(frame, captured) and self.detected_at is None:
                self.detected_at = captured
        self._pending = self._pending[frames * FRAME_SAMPLES :]
        return self.detected_at is not None

    def _frame(self, frame: Samples, captured: float) -> bool:
        rules = self.rules
        residual = self._canceller.residual(frame)
        delay = self._canceller.delay
        self._frames_heard += 1
        raw_power = float(np.mean(frame**2))
        power = float(np.mean(residual**2))
        subtracted = delay is not None and power <= raw_power
        if not subtracted:
            # Subtracting made the frame louder: the echo's delay has moved (it is searched
            # again soon). Until then this frame is judged as heard, against the full echo.
            residual, power = frame, raw_power
        speech = self._detector.probability(residual)
        if delay is None:
            # Until the echo is found: when the frame was captured, and the loudest played
            # frame near the delay its loudness follows.
            position = round((captured - self._started_at) / FRAME_SECONDS)
            echo_source = self._echo_source(position)
            ratios = self._ratios
        else:
            position = ((self._frames_heard - 1) * FRAME_SAMPLES - delay) // FRAME_SAMPLES
            echo_source = self._echo_source(position, exact=True)
            ratios = self._cancelled_ratios
            if not subtracted:
                # The delay is off (samples dropped by a busy machine shift it at once): any
                # played frame of the last `echo_window` may be what is heard.
                timed = round((captured - self._started_at) / FRAME_SECONDS)
                echo_source = max(echo_source, self._echo_source(timed))
        coupling = self._coupling(ratios)
        if delay is not None:
            # Subtraction is credited with at most `max_cancellation_db`: a delay that drifts,
            # or a room's reverberation, leaves more of the echo than the best frames showed.
            echo_power = self._canceller.gain**2
            credit = rules.max_cancellation_db if subtracted else 0.0
            coupling = max(coupling, echo_power * 10 ** (-credit / 10))
        expected_echo = echo_source * coupling
        louder = power > expected_echo * 10 ** (rules.margin_db / 10)
        if not louder:
            # Nothing louder than the echo could be: this frame teaches the delay and coupling.
            if delay is None:
                self._heard.append((position, power))
                self._lag = self._estimated_lag()
            # A microphone never hears perfect silence: digital zeros mean the input is not
            # delivering yet (a virtual device starting), and teach nothing about the echo.
            if (
                echo_source > _FLOOR
                and raw_power > _DIGITAL_SILENCE
                and subtracted == (delay is not None)
            ):
                ratios.append(power / echo_source)
        self._run = self._run + 1 if speech >= rules.speech_probability and louder else 0
        return self._run >= rules.frames_needed

    def _coupling(self, ratios: deque[float]) -> float:
        """How loud the echo (or what is left of it) is against the played voice, as power."""
        if len(ratios) < self.rules.learn_frames:
            return float(10 ** (self.rules.initial_coupling_db / 10))
        return float(np.percentile(np.asarray(ratios), self.rules.learn_percentile))

    def _echo_source(self, position: int, exact: bool = False) -> float:
        """The loudest played frame whose echo could be in the microphone frame at `position`:
        the frame and its neighbours when the echo was found to the sample (`exact`); within
        two frames of the delay the loudness follows once known; else anywhere in
        `echo_window` before."""
        if exact:
            # The delay drifts between searches (PulseAudio's loopback moved it by up to 0.1 s
            # within a line), so frames up to five earlier and two later are counted too.
            newest, oldest = position + 3, position - 5
        elif self._lag is None:
            newest, oldest = position + 1, position - int(self.rules.echo_window / FRAME_SECONDS)
        else:
            newest, oldest = position - self._lag + 3, position - self._lag - 2
        newest = min(newest, self._played.size)
        oldest = max(0, oldest)
        if newest <= oldest:
            return 0.0
        return float(self._played[oldest:newest].max())

    def _estimated_lag(self) -> int | None:
        """The delay, in frames, at which what was heard best follows what was played."""
        if len(self._heard) < _LAG_FRAMES_NEEDED:
            return self._lag
        heard = np.asarray(self._heard, dtype=np.float64)
        positions = heard[:, 0].astype(int)
        loudness = np.log10(heard[:, 1] + _FLOOR)
        best, best_score = self._lag, 0.3  # a weaker match than this is no evidence of a delay
        for lag in range(int(self.rules.echo_window / FRAME_SECONDS) + 1):
            sources = positions - lag
            usable = (sources >= 0) & (sources < self._played.size)
            if usable.sum() < _LAG_FRAMES_NEEDED:
                continue
            played = np.log10(self._played[sources[usable]] + _FLOOR)
            if np.std(played) == 0 or np.std(loudness[usable]) == 0:
                continue  # nothing varies: no evidence for any delay
            score = float(np.corrcoef(loudness[usable], played)[0, 1])
            if score > best_score:
                best, best_score = lag, score
        return best
