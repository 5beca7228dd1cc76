"""Taking the customer's own voice out of the microphone signal, once its echo is found.

The microphone hears the played line delayed (output and input buffers, the air) and scaled
(how much of the speaker reaches it). Cross-correlating the last second and a half of the
microphone with the played line finds that delay to the sample and the scale; subtracting the
delayed, scaled line leaves the trainee's voice and the room. On the virtual devices this
takes the echo down by 20-30 dB; in a room, reverberation leaves more, which the barge-in
detector's loudness margin allows for. The alignment is searched again every quarter of a
second, so a delay that drifts (PulseAudio's loopback adapts its latency) is followed.
"""

from __future__ import annotations

import numpy as np

from app.core.ports import SAMPLE_RATE, Samples

MAX_DELAY_SECONDS = 0.5
_SEARCH_SECONDS = 1.5
_SEARCH_EVERY_SAMPLES = SAMPLE_RATE // 4
# Below this normalised correlation the microphone does not follow the played line closely
# enough (little echo, or the trainee talking over all of it) to subtract anything.
MIN_CORRELATION = 0.5


def resampled(samples: Samples, from_rate: int, to_rate: int = SAMPLE_RATE) -> Samples:
    """Linear interpolation: enough to line up a voice with its echo."""
    audio = np.asarray(samples, dtype=np.float32).reshape(-1)
    if from_rate == to_rate or audio.size == 0:
        return audio
    count = max(1, round(audio.size * to_rate / from_rate))
    positions = np.linspace(0, audio.size - 1, count)
    return np.interp(positions, np.arange(audio.size), audio).astype(np.float32)


class EchoCanceller:
    """Fed the microphone's samples in order; gives them back with the played line removed."""

    def __init__(self, played: Samples) -> None:
        self.played = np.asarray(played, dtype=np.float32)
        self._heard = np.zeros(SAMPLE_RATE * 4, dtype=np.float32)
        self._size = 0
        self._next_search = SAMPLE_RATE // 2
        self.delay: int | None = None  # microphone sample index minus played sample index
        self.gain = 0.0

    def residual(self, frame: Samples) -> Samples:
        """The frame without the echo; unchanged until the echo has been found."""
        start = self._size
        self._append(frame)
        if self._size >= self._next_search:
            self._search()
            self._next_search = self._size + _SEARCH_EVERY_SAMPLES
        if self.delay is None:
            return frame
        return frame - self.gain * self._played_at(start - self.delay, frame.size)

    def _played_at(self, start: int, size: int) -> Samples:
        out = np.zeros(size, dtype=np.float32)
        begin, end = max(0, start), min(self.played.size, start + size)
        if end > begin:
            out[begin - start : end - start] = self.played[begin:end]
        return out

    def _append(self, frame: Samples) -> None:
        if self._size + frame.size > self._heard.size:
            bigger = np.zeros(max(self._heard.size * 2, self._size + frame.size), np.float32)
            bigger[: self._size] = self._heard[: self._size]
            self._heard = bigger
        self._heard[self._size : self._size + frame.size] = frame
        self._size += frame.size

    def _search(self) -> None:
        heard = self._heard[max(0, self._size - int(_SEARCH_SECONDS * SAMPLE_RATE)) : self._size]
        first = self._size - heard.size
        longest = int(MAX_DELAY_SECONDS * SAMPLE_RATE)
        # The played samples whose echo could be in `heard`: from `longest` before it to its end.
        played = self._played_at(first - longest, heard.size + longest)
        if not np.any(played) or not np.any(heard):
            return
        size = 1 << (played.size - 1).bit_length()
        # correlation[s] = sum over n of played[s + n] * heard[n]: no wrap-around for s <= longest.
        spectrum = np.fft.rfft(played, size) * np.conj(np.fft.rfft(heard, size))
        correlation = np.fft.irfft(spectrum, size)[: longest + 1]
        shift = int(np.argmax(correlation))
        aligned = played[shift : shift + heard.size]
        energy = float(np.dot(aligned, aligned))
        heard_energy = float(np.dot(heard, heard))
        if energy <= 0 or heard_energy <= 0:
            return
        match = float(np.dot(heard, aligned))
        if match / np.sqrt(energy * heard_energy) >= MIN_CORRELATION:
            self.delay, self.gain = longest - shift, match / energy
